/**
 * Translation of better-sqlite3 errors (SqliteError with an extended result code) into Crucible's hierarchy.
 */
import { BusyError, type CrucibleError, DataError, DBAPIError, IntegrityError, OperationalError, ProgrammingError } from "../../util/errors.js";
import type { RawDriverError } from "../base/dialect.js";

export function translateSqliteError({ error, sql, params }: RawDriverError): CrucibleError {
  const e = error as { code?: string; message?: string };
  const code = e.code ?? "";
  const message = e.message ?? String(error);
  const opts = { sql, params, cause: error, code };
  if (code.startsWith("SQLITE_CONSTRAINT")) {
    // "UNIQUE constraint failed: user_account.name", "CHECK constraint failed: positive_price"
    const m = /constraint failed: (.+)$/.exec(message);
    return new IntegrityError(`(sqlite) ${message}`, { ...opts, constraint: m?.[1] });
  }
  // SQLITE_BUSY, SQLITE_LOCKED and their extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE, ...).
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
    return new BusyError(
      `(sqlite) ${message}: another connection holds the lock; retry, or raise the busy timeout (createEngine(url, { connectArgs: { timeout } }))`,
      opts,
    );
  if (code === "SQLITE_MISMATCH" || code === "SQLITE_TOOBIG" || code === "SQLITE_RANGE") return new DataError(`(sqlite) ${message}`, opts);
  if (code === "SQLITE_ERROR" || code === "SQLITE_AUTH") return new ProgrammingError(`(sqlite) ${message}`, opts);
  if (code.startsWith("SQLITE_")) return new OperationalError(`(sqlite) ${message}`, opts);
  if (error instanceof RangeError || error instanceof TypeError) return new ProgrammingError(`(sqlite) ${message}`, opts);
  return new DBAPIError(`(sqlite) ${message}`, opts);
}
