/**
 * Translation of PostgreSQL errors (pg's and PGlite's DatabaseError, with a SQLSTATE `code`) and of lost connections
 * (socket errors, pg's "Connection terminated") into Crucible's hierarchy.
 */
import {
  type CrucibleError,
  DataError,
  DBAPIError,
  DeadlockError,
  DisconnectError,
  IntegrityError,
  OperationalError,
  ProgrammingError,
} from "../../util/errors.js";
import type { RawDriverError } from "../base/dialect.js";

/** Node socket error codes that mean the connection is gone. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** SQLSTATEs of a connection the server ended or never allowed. */
const DISCONNECT_STATES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"]);

/** Messages node-postgres and PGlite use for a connection that is gone (they carry no code). */
const DISCONNECT_MESSAGE =
  /Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|connection error|not queryable|PGlite is closed|server closed the connection/i;

/** SQLSTATE classes (first two characters) that are programming errors. */
const PROGRAMMING_CLASSES = new Set(["0A", "26", "2D", "2F", "34", "3D", "3F", "42", "44"]);
/** SQLSTATE classes of operational problems: resources, locks, cancellation, the server or the system. */
const OPERATIONAL_CLASSES = new Set(["08", "53", "54", "55", "57", "58", "F0", "HV"]);

interface PgErrorLike {
  readonly code?: string;
  readonly message?: string;
  readonly constraint?: string;
  readonly detail?: string;
}

/**
 * Turns a pg / PGlite error into a Crucible error that keeps the SQL and parameters.
 *
 * ```ts
 * translatePostgresError({ error: { code: "23505", constraint: "uq_email", message: "duplicate key" }, sql, params });
 * // IntegrityError with constraint "uq_email"
 * ```
 */
export function translatePostgresError({ error, sql, params }: RawDriverError): CrucibleError {
  const e = (error ?? {}) as PgErrorLike;
  const code = typeof e.code === "string" ? e.code : "";
  const message = e.message ?? String(error);
  const detail = e.detail ? `\nDETAIL: ${e.detail}` : "";
  const text = `(postgresql) ${message}${detail}`;
  const opts = { sql, params, cause: error, code: code || undefined };
  // Unique, foreign key, check and exclusion violations name their constraint; not-null ones name the column in the message.
  if (code.startsWith("23")) return new IntegrityError(text, { ...opts, constraint: e.constraint });
  if (code === "40P01" || code === "40001")
    return new DeadlockError(`${text}\nThe transaction was rolled back by the server; run it again (the error is retryable).`, opts);
  if (DISCONNECT_STATES.has(code) || SOCKET_CODES.has(code) || (!/^[0-9A-Z]{5}$/.test(code) && DISCONNECT_MESSAGE.test(message)))
    return new DisconnectError(`${text}\nThe connection to the server was lost; it was discarded and the next connection from the pool is a new one.`, opts);
  if (code.length === 5) {
    const cls = code.slice(0, 2);
    if (cls === "22") return new DataError(text, opts);
    if (PROGRAMMING_CLASSES.has(cls)) return new ProgrammingError(text, opts);
    if (OPERATIONAL_CLASSES.has(cls) || cls === "40") return new OperationalError(text, opts);
    return new DBAPIError(text, opts);
  }
  if (error instanceof TypeError || error instanceof RangeError) return new ProgrammingError(text, opts);
  return new DBAPIError(text, opts);
}
