/**
 * How result values are read from PostgreSQL's text format. Both drivers are given these parsers per client (pg's
 * `types` option, PGlite's `parsers` option), never globally, so other users of `pg` in the process are untouched.
 *
 * What they fix (DESIGN §4, "driver quirks are normalized"):
 * - int8 arrives as a string from pg: it becomes a number when it is a safe integer and an exact `bigint` beyond;
 * - `date` is parsed by pg into a local-time Date: it stays a `YYYY-MM-DD` string;
 * - `timestamp` (without time zone) is parsed by pg in the process time zone: it is read as UTC wall-clock time;
 * - `numeric[]` is parsed by pg into floats: it stays exact strings.
 */
import { parseArrayLiteral } from "./array-literal.js";

/**
 * Type OIDs of the types whose parsing Crucible controls.
 *
 * ```ts
 * SCALAR_PARSERS[OID.DATE]("2024-02-29"); // "2024-02-29"
 * ```
 */
export const OID = {
  INT8: 20,
  JSON: 114,
  DATE: 1082,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  NUMERIC: 1700,
  JSONB: 3802,
} as const;

/**
 * int8 text → number when exact, else bigint.
 *
 * ```ts
 * parseInt8("42");                  // 42
 * parseInt8("9223372036854775807"); // 9223372036854775807n
 * ```
 */
export function parseInt8(s: string): number | bigint {
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

const TS_RE = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?( BC)?$/;

/**
 * A `timestamp` / `timestamptz` as PostgreSQL writes it → Date. Without an offset the text is UTC wall-clock time
 * (naive DateTime); `infinity` becomes ±Infinity as in pg-types.
 *
 * ```ts
 * parseTimestamp("2024-03-01 12:30:00.25").toISOString();  // "2024-03-01T12:30:00.250Z"
 * parseTimestamp("2024-03-01 12:30:00+02").toISOString();  // "2024-03-01T10:30:00.000Z"
 * ```
 */
export function parseTimestamp(s: string): Date | number {
  const m = TS_RE.exec(s);
  if (!m) {
    if (s === "infinity") return Number.POSITIVE_INFINITY;
    if (s === "-infinity") return Number.NEGATIVE_INFINITY;
    throw new TypeError(`cannot read ${JSON.stringify(s)} as a PostgreSQL timestamp`);
  }
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  let year = Number(m[1]);
  if (m[12]) year = 1 - year; // 1 BC is year 0 in the proleptic Gregorian calendar JS uses
  const d = new Date(Date.UTC(2000, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
  d.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  if (m[8]) {
    const offset = (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)) * 1000;
    d.setTime(d.getTime() - (m[8] === "-" ? -offset : offset));
  }
  return d;
}

const identity = (s: string): string => s;

/**
 * Parsers of the scalar types Crucible controls, by OID (given as is to PGlite, whose arrays use them too).
 *
 * ```ts
 * SCALAR_PARSERS[OID.JSONB]('{"a":1}'); // { a: 1 }
 * ```
 */
export const SCALAR_PARSERS: Readonly<Record<number, (s: string) => unknown>> = {
  [OID.INT8]: parseInt8,
  [OID.DATE]: identity,
  [OID.TIMESTAMP]: parseTimestamp,
  [OID.TIMESTAMPTZ]: parseTimestamp,
  [OID.NUMERIC]: identity,
  [OID.JSON]: (s) => JSON.parse(s),
  [OID.JSONB]: (s) => JSON.parse(s),
};

/**
 * Array type OID → element type OID, for the arrays of the types above.
 *
 * ```ts
 * ARRAY_ELEMENTS[1016]; // 20: int8[] holds int8
 * ```
 */
export const ARRAY_ELEMENTS: Readonly<Record<number, number>> = {
  1016: OID.INT8,
  199: OID.JSON,
  1182: OID.DATE,
  1115: OID.TIMESTAMP,
  1185: OID.TIMESTAMPTZ,
  1231: OID.NUMERIC,
  3807: OID.JSONB,
};

/** The scalar parsers and one array parser per ARRAY_ELEMENTS entry, made once (pg asks per column of every result). */
const PARSERS = new Map<number, (s: string) => unknown>(Object.entries(SCALAR_PARSERS).map(([oid, parse]) => [Number(oid), parse]));
for (const [oid, element] of Object.entries(ARRAY_ELEMENTS)) {
  const parse = SCALAR_PARSERS[element];
  PARSERS.set(Number(oid), (s) => parseArrayLiteral(s, parse));
}

/**
 * The parser Crucible uses for a type OID, or null to keep the driver's own.
 *
 * ```ts
 * parserFor(20)?.("9007199254740993"); // 9007199254740993n
 * ```
 */
export function parserFor(oid: number): ((s: string) => unknown) | null {
  return PARSERS.get(oid) ?? null;
}
