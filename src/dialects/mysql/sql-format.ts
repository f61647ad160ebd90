/**
 * Client-side parameter interpolation for MySQL's text protocol: every `?` outside string literals, quoted
 * identifiers and comments is replaced by the escaped value. Crucible sends statements with mysql2's `query()` rather
 * than server-side prepared statements (`execute()`), see drivers/mysql2.ts for why; the escaping is done here, not by
 * mysql2's `format()`, because that one replaces `?` inside string literals too and cannot write exact decimals.
 *
 * The connection character set is utf8mb4, which has no multi-byte sequence ending in a backslash or quote byte,
 * so escaping by characters is safe (the GBK/SJIS escaping attacks do not apply).
 */
import { ArgumentError } from "../../util/errors.js";
import { LRUCache } from "../../util/lru.js";
import { DECIMAL_RE, formatUtcDateTime } from "../base/processors.js";

/**
 * An exact number written into SQL unquoted (DECIMAL values): MySQL compares a DECIMAL column with a quoted string as
 * floating-point numbers, so `price = '0.1000000000000000055511151231257827'` would match the wrong rows.
 *
 * ```ts
 * escapeValue(new ExactNumber("12.50"), false); // "12.50"
 * ```
 */
export class ExactNumber {
  constructor(readonly text: string) {
    if (!DECIMAL_RE.test(text)) throw new ArgumentError(`${JSON.stringify(text)} is not a decimal number`);
  }
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

const BACKSLASH_ESCAPES: Record<string, string> = {
  "\0": "\\0",
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
  "\x1a": "\\Z",
  "'": "\\'",
  "\\": "\\\\",
};
// biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are what must be escaped
const NEEDS_BACKSLASH_ESCAPE = /[\0\b\t\n\r\x1a'\\]/g;

/**
 * A MySQL string literal. With `noBackslashEscapes` (the NO_BACKSLASH_ESCAPES sql_mode) only quotes are doubled.
 *
 * ```ts
 * quoteString("it's", false); // "'it\\'s'"
 * ```
 */
export function quoteString(s: string, noBackslashEscapes: boolean): string {
  if (noBackslashEscapes) return `'${s.replace(/'/g, "''")}'`;
  return `'${s.replace(NEEDS_BACKSLASH_ESCAPE, (c) => BACKSLASH_ESCAPES[c])}'`;
}

/**
 * One value as SQL. Values arrive already converted by the type processors; this covers what remains: numbers,
 * bigints (exact), booleans, strings, Buffers (hex), Dates (UTC wall-clock text) and JSON for other objects.
 *
 * ```ts
 * escapeValue(9223372036854775807n, false); // "9223372036854775807"
 * ```
 */
export function escapeValue(v: unknown, noBackslashEscapes: boolean): string {
  if (v === null || v === undefined) return "NULL";
  switch (typeof v) {
    case "number":
      if (!Number.isFinite(v)) throw new ArgumentError(`${v} cannot be sent to MySQL: it has no representation for NaN or Infinity`);
      return String(v);
    case "bigint":
      return v.toString();
    case "boolean":
      return v ? "TRUE" : "FALSE";
    case "string":
      return quoteString(v, noBackslashEscapes);
    default:
      if (v instanceof ExactNumber) return v.text;
      if (v instanceof Uint8Array) return `X'${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex")}'`;
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) throw new ArgumentError("an invalid Date cannot be sent to MySQL");
        return `'${formatUtcDateTime(v)}'`;
      }
      return quoteString(JSON.stringify(v), noBackslashEscapes);
  }
}

/**
 * Splits SQL at its `?` placeholders, skipping `'...'`, `"..."` and backtick-quoted text and `--`, `#` and block
 * comments. The result has one more part than there are placeholders.
 *
 * ```ts
 * splitPlaceholders("SELECT '?', ? FROM t", false); // ["SELECT '?', ", " FROM t"]
 * ```
 */
export function splitPlaceholders(sql: string, noBackslashEscapes: boolean): string[] {
  const parts: string[] = [];
  let start = 0;
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const ch = sql[i];
    if (ch === "?") {
      parts.push(sql.slice(start, i));
      start = ++i;
    } else if (ch === "'" || ch === '"' || ch === "`") {
      i++;
      while (i < n) {
        const c = sql[i];
        if (c === "\\" && ch !== "`" && !noBackslashEscapes) i += 2;
        else if (c === ch) {
          if (sql[i + 1] === ch) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (ch === "#" || (ch === "-" && sql[i + 1] === "-" && (i + 2 >= n || /\s/.test(sql[i + 2])))) {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? n : end + 1;
    } else if (ch === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else i++;
  }
  parts.push(sql.slice(start));
  return parts;
}

const splitCache = [new LRUCache<string, string[]>(500), new LRUCache<string, string[]>(50)];

/**
 * Replaces the placeholders of `sql` with escaped values.
 *
 * ```ts
 * formatQuery("SELECT * FROM t WHERE id = ? AND name = ?", [1, "x"], false); // "... id = 1 AND name = 'x'"
 * ```
 */
export function formatQuery(sql: string, params: readonly unknown[], noBackslashEscapes: boolean): string {
  if (params.length === 0) return sql;
  const cache = splitCache[noBackslashEscapes ? 1 : 0];
  let parts = cache.get(sql);
  if (parts === undefined) {
    parts = splitPlaceholders(sql, noBackslashEscapes);
    if (sql.length < 100_000) cache.set(sql, parts);
  }
  if (parts.length - 1 !== params.length)
    throw new ArgumentError(`the statement has ${parts.length - 1} placeholders but ${params.length} parameters were given: ${sql.slice(0, 200)}`);
  let out = parts[0];
  for (let i = 0; i < params.length; i++) out += escapeValue(params[i], noBackslashEscapes) + parts[i + 1];
  return out;
}
