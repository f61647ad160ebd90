/**
 * The one error hierarchy of Crucible (DESIGN §8). Every error names the object at fault and what to do next.
 *
 * ```ts
 * try { await session.commit(); } catch (e) { if (e instanceof IntegrityError) console.log(e.constraint); }
 * ```
 */
export class CrucibleError extends Error {
  /** True when running the same work again may succeed (deadlocks, serialization failures, busy databases). */
  readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A function was called with arguments it cannot use (a malformed URL, an unknown option, a wrong value). */
export class ArgumentError extends CrucibleError {}

/** A statement cannot be turned into SQL for this dialect (an unsupported construct, a missing FROM, ...). */
export class CompileError extends CrucibleError {}

/** The operation is not valid in the current state (a closed Session, a relationship that was never loaded, ...). */
export class InvalidRequestError extends CrucibleError {}

/**
 * The Session's transaction failed during a flush and was rolled back; call `session.rollback()` before anything else.
 * `cause` is the original error.
 */
export class PendingRollbackError extends InvalidRequestError {}

/** A relationship attribute was read but never loaded (Crucible never runs a hidden query on attribute access). */
export class UnloadedRelationshipError extends InvalidRequestError {}

/** An operation needs a Session but the object is not attached to one. */
export class DetachedInstanceError extends InvalidRequestError {}

/** `Result.one()` / `scalarOne()` found no row. */
export class NoResultFoundError extends InvalidRequestError {}

/** `Result.one()` / `oneOrNone()` found more than one row. */
export class MultipleResultsFoundError extends InvalidRequestError {}

/** An UPDATE or DELETE of a flush matched a different number of rows than expected (the row changed or vanished). */
export class StaleDataError extends CrucibleError {}

/** A migration could not be planned or run; the message names the revision and the schema's state. */
export class MigrationError extends CrucibleError {}

/** Options given to a DBAPIError: the SQL, its parameters and the driver's own error. */
export interface DBAPIErrorOptions {
  readonly sql?: string;
  readonly params?: readonly unknown[];
  readonly cause?: unknown;
  /** The constraint the database reported as violated, when it says so. */
  readonly constraint?: string;
  /** The driver's error code (SQLITE_CONSTRAINT_UNIQUE, 23505, ER_DUP_ENTRY, ...). */
  readonly code?: string;
}

const MAX_PARAMS_SHOWN = 10;

function showParams(params: readonly unknown[] | undefined): string {
  if (!params || params.length === 0) return "";
  const shown = params.slice(0, MAX_PARAMS_SHOWN).map(showValue).join(", ");
  const more = params.length > MAX_PARAMS_SHOWN ? `, ... ${params.length - MAX_PARAMS_SHOWN} more` : "";
  return `\n[parameters: (${shown}${more})]`;
}

/** Renders one bound value the way the echo log and error messages show it. */
export function showValue(value: unknown): string {
  if (typeof value === "string") {
    const v = value.length > 200 ? `${value.slice(0, 200)}...` : value;
    return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
  }
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return "undefined";
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * An error raised by the database driver, wrapped with the SQL and parameters that caused it.
 * The driver's own error is `cause`.
 */
export class DBAPIError extends CrucibleError {
  readonly sql: string | undefined;
  readonly params: readonly unknown[] | undefined;
  readonly constraint: string | undefined;
  readonly code: string | undefined;
  constructor(message: string, options: DBAPIErrorOptions = {}) {
    const sqlPart = options.sql ? `\n[SQL: ${options.sql.length > 2000 ? `${options.sql.slice(0, 2000)} ...` : options.sql}]` : "";
    super(`${message}${sqlPart}${showParams(options.params)}`, { cause: options.cause });
    this.sql = options.sql;
    this.params = options.params;
    this.constraint = options.constraint;
    this.code = options.code;
  }
}

/** A constraint was violated: unique, foreign key, not-null or check. `constraint` names it when the database does. */
export class IntegrityError extends DBAPIError {}

/** The database could not do the work for an operational reason (connection, locks, resources). */
export class OperationalError extends DBAPIError {}

/** The connection to the database was lost; the connection is discarded and the pool stays usable. */
export class DisconnectError extends OperationalError {
  override readonly retryable = true;
}

/** The transaction was chosen as a deadlock victim or failed serialization; run it again. */
export class DeadlockError extends OperationalError {
  override readonly retryable = true;
}

/** The database is locked by another connection (SQLite `SQLITE_BUSY`) for longer than the busy timeout. */
export class BusyError extends OperationalError {
  override readonly retryable = true;
}

/** Waiting for something (a pooled connection, a lock) took longer than allowed. */
export class TimeoutError extends OperationalError {
  override readonly retryable = true;
}

/** The SQL is wrong for the database: a syntax error, an unknown table or column. */
export class ProgrammingError extends DBAPIError {}

/** A value is wrong for its column: out of range, too long, not a number. */
export class DataError extends DBAPIError {}
