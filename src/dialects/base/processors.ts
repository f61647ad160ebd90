/**
 * Value converters shared by dialects: each turns a JS value into what a driver takes, or a driver value back into
 * the JS value of a SQL type. Nulls never reach them (the engine skips nulls).
 */

import type { SqlType } from "../../sql/types/sql-type.js";
import { ArgumentError } from "../../util/errors.js";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `Date` → `YYYY-MM-DD HH:MM:SS.sss` in UTC (naive DateTime: UTC wall-clock time, whatever the process zone). */
export function formatUtcDateTime(d: Date): string {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new ArgumentError(`expected a valid Date for a DateTime column, got ${String(d)}`);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Parses a datetime string; without an offset it is read as UTC wall-clock time. */
export function parseDateTime(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "number") return new Date(value);
  const s = String(value).trim();
  const m = DATETIME_RE.exec(s);
  if (!m) {
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) throw new ArgumentError(`cannot read ${JSON.stringify(s)} as a date and time`);
    return d;
  }
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  let t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  const off = m[8];
  if (off && off.toUpperCase() !== "Z") {
    const sign = off[0] === "-" ? -1 : 1;
    const digits = off.slice(1).replace(":", "");
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0);
    t -= sign * minutes * 60_000;
  }
  // Years before 100 are not shifted by Date.UTC when built this way.
  const d = new Date(t);
  if (Number(m[1]) < 100) d.setUTCFullYear(Number(m[1]));
  return d;
}

/** A `Date` (its UTC date) or a `YYYY-MM-DD` string → `YYYY-MM-DD`. */
export function formatDate(value: unknown): string {
  if (value instanceof Date) return formatUtcDateTime(value).slice(0, 10);
  const s = String(value);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new ArgumentError(`expected a date as "YYYY-MM-DD", got ${JSON.stringify(s)}`);
  return s;
}

/** Driver date value (string or Date) → `YYYY-MM-DD`. */
export function readDate(value: unknown): string {
  if (value instanceof Date) return `${pad(value.getFullYear(), 4)}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  return String(value).slice(0, 10);
}

/** Time values as `HH:MM:SS[.ffffff]` strings. */
export function formatTime(value: unknown): string {
  const s = String(value);
  if (!/^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) throw new ArgumentError(`expected a time as "HH:MM[:SS[.ffffff]]", got ${JSON.stringify(s)}`);
  return s;
}

/** A decimal number as text: optional sign, digits with an optional point, optional exponent. */
export const DECIMAL_RE = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Exact decimals are strings; numbers and bigints are accepted and converted. */
export function decimalToDriver(value: unknown): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new ArgumentError(`${value} is not a valid Numeric value`);
    return String(value);
  }
  const s = String(value);
  if (!DECIMAL_RE.test(s)) throw new ArgumentError(`expected a decimal number for a Numeric column, got ${JSON.stringify(s)}`);
  return s;
}

/** Driver decimal (string, number or bigint) → exact string, padded to the type's scale. */
export function decimalFromDriver(type: SqlType<unknown>): (value: unknown) => string {
  const scale = type.options.scale;
  return (value) => {
    let s = typeof value === "string" ? value : typeof value === "number" ? numberToPlainString(value) : String(value);
    if (scale !== undefined && scale > 0) {
      const dot = s.indexOf(".");
      if (dot < 0) s = `${s}.${"0".repeat(scale)}`;
      else if (s.length - dot - 1 < scale) s = s + "0".repeat(scale - (s.length - dot - 1));
    }
    return s;
  };
}

/** A number without exponent notation (1e21 → "1000000000000000000000"). */
function numberToPlainString(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 });
}

export function bigintToDriver(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^[-+]?\d+$/.test(value)) return BigInt(value);
  throw new ArgumentError(`expected an integer (bigint) for a BigInteger column, got ${String(value)}`);
}

export function bigintFromDriver(value: unknown): bigint {
  return typeof value === "bigint" ? value : BigInt(value as string | number);
}

/** Numbers a driver reads as strings or bigints (PostgreSQL int8 counts, MySQL DECIMAL sums) become JS numbers. */
export function numberFromDriver(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

export function booleanToInt(value: unknown): number {
  return value ? 1 : 0;
}
export function booleanFromDriver(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return value === "1" || value.toLowerCase() === "true" || value === "t";
  return Number(value) !== 0;
}

export function jsonToDriver(value: unknown): string {
  return JSON.stringify(value);
}
export function jsonFromDriver(value: unknown): unknown {
  if (typeof value === "string") return JSON.parse(value);
  if (value instanceof Uint8Array) return JSON.parse(Buffer.from(value).toString("utf8"));
  return value;
}

/**
 * JSON array text of already-converted values, for a long IN list sent as one parameter: nulls, strings, finite
 * numbers and bigints (written exact); `other` writes any other value, or gives null when it has no JSON form here.
 * Null when some value has none: the list then goes in as placeholders.
 */
export function jsonArrayText(values: readonly unknown[], other: (value: unknown) => string | null = () => null): string | null {
  const parts: string[] = [];
  for (const v of values) {
    let json: string | null;
    if (v === null || v === undefined) json = "null";
    else if (typeof v === "bigint") json = v.toString();
    else if (typeof v === "number" && Number.isFinite(v)) json = String(v);
    else if (typeof v === "string") json = JSON.stringify(v);
    else json = other(v);
    if (json === null) return null;
    parts.push(json);
  }
  return `[${parts.join(",")}]`;
}

/** Uint8Array → Buffer (drivers take Buffers; a Buffer is a Uint8Array, so results need no conversion). */
export function binaryToDriver(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new ArgumentError(`expected a Uint8Array for a LargeBinary column, got ${typeof value}`);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function uuidToDriver(value: unknown): string {
  const s = String(value);
  if (!UUID_RE.test(s)) throw new ArgumentError(`expected a UUID string like "123e4567-e89b-12d3-a456-426614174000", got ${JSON.stringify(s)}`);
  return s.toLowerCase();
}
export function uuidFromDriver(value: unknown): string {
  return String(value).toLowerCase();
}

/** Checks an Enum value against the allowed ones. */
export function enumToDriver(type: SqlType<unknown>): (value: unknown) => unknown {
  const allowed = new Set(type.options.values ?? []);
  return (value) => {
    if (!allowed.has(value as string))
      throw new ArgumentError(`${JSON.stringify(value)} is not one of the allowed values ${[...allowed].map((v) => JSON.stringify(v)).join(", ")}`);
    return value;
  };
}

/** Composes a custom type's processor with its impl type's. */
export function compose(first: ((v: any) => unknown) | null, second: ((v: any) => unknown) | null): ((v: any) => unknown) | null {
  if (!first) return second;
  if (!second) return first;
  return (v) => {
    const x = first(v);
    return x === null || x === undefined ? x : second(x);
  };
}
