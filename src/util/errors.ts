import { showValues } from "./show.js";

export { showValue } from "./show.js";

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

/**
 * A function was called with arguments it cannot use (a malformed URL, an unknown option, a wrong value).
 *
 * ```ts
 * createEngine("sqlite://app.db"); // ArgumentError: a file path needs three slashes (sqlite:///app.db) ...
 * ```
 */
export class ArgumentError extends CrucibleError {}

/**
 * A statement cannot be turned into SQL for this dialect (an unsupported construct, a missing FROM, ...).
 *
 * ```ts
 * await sqliteEngine.execute(select(t.c.a).distinctOn(t.c.a)); // CompileError: DISTINCT ON is not supported by the sqlite dialect ...
 * ```
 */
export class CompileError extends CrucibleError {}

/**
 * The operation is not valid in the current state (a closed Connection, a transaction already begun, ...).
 *
 * ```ts
 * await conn.begin();
 * await conn.begin(); // InvalidRequestError: a transaction is already begun on this Connection ...
 * ```
 */
export class InvalidRequestError extends CrucibleError {}

/**
 * The Session's transaction failed during a flush and was rolled back; call `session.rollback()` before anything else.
 * `cause` is the original error.
 *
 * ```ts
 * try { await session.commit(); } catch (e) { await session.rollback(); throw e; }
 * ```
 */
export class PendingRollbackError extends InvalidRequestError {}

/**
 * A relationship attribute was read but never loaded (Crucible never runs a hidden query on attribute access). The
 * message names the three fixes.
 *
 * ```ts
 * const user = (await session.scalars(select(User))).first()!;
 * user.addresses; // UnloadedRelationshipError: load it with selectinload(User.addresses), lazy: "selectin", or session.load()
 * await session.load(user, "addresses");
 * ```
 */
export class UnloadedRelationshipError extends InvalidRequestError {}

/**
 * An operation needs an object attached to this Session and got a detached one (after `session.close()`, or never
 * added): `add()` or `merge()` it first.
 *
 * ```ts
 * await session.close();
 * await otherSession.refresh(user); // DetachedInstanceError: User(id=1) is detached (not in any Session); add() or merge() it ...
 * ```
 */
export class DetachedInstanceError extends InvalidRequestError {}

/**
 * An operation needs an instance of a mapped class (a class made with `Base.model()`) and got something else.
 *
 * ```ts
 * session.add({ name: "x" } as never); // UnmappedInstanceError: an object of class Object is not an instance of a mapped class
 * ```
 */
export class UnmappedInstanceError extends InvalidRequestError {}

/**
 * `Result.one()` / `scalarOne()` found no row.
 *
 * ```ts
 * (await conn.execute(select(users).where(users.c.id.eq(-1)))).one(); // NoResultFoundError
 * ```
 */
export class NoResultFoundError extends InvalidRequestError {}

/**
 * `Result.one()` / `oneOrNone()` found more than one row.
 *
 * ```ts
 * (await conn.execute(select(users))).oneOrNone(); // MultipleResultsFoundError when there are two users or more
 * ```
 */
export class MultipleResultsFoundError extends InvalidRequestError {}

/**
 * An UPDATE or DELETE of a flush matched a different number of rows than expected (the row changed or vanished).
 *
 * ```ts
 * user.fullname = "x"; // meanwhile another connection deleted the row
 * await session.commit(); // StaleDataError: expected to update 1 row; 0 were matched
 * ```
 */
export class StaleDataError extends CrucibleError {}

/**
 * A migration could not be planned or run; the message names the revision and the schema's state. Reserved:
 * migrations are not built yet, so nothing raises it today.
 *
 * ```ts
 * if (e instanceof MigrationError) console.error(e.message);
 * ```
 */
export class MigrationError extends CrucibleError {}

/**
 * Options given to a DBAPIError: the SQL, its parameters and the driver's own error.
 *
 * ```ts
 * new IntegrityError("(sqlite) UNIQUE constraint failed: t.name", { sql, params, cause: driverError, code: "SQLITE_CONSTRAINT_UNIQUE" });
 * ```
 */
export interface DBAPIErrorOptions {
  readonly sql?: string;
  readonly params?: readonly unknown[];
  readonly cause?: unknown;
  /** The constraint the database reported as violated, when it says so. */
  readonly constraint?: string;
  /** The driver's error code (SQLITE_CONSTRAINT_UNIQUE, 23505, ER_DUP_ENTRY, ...). */
  readonly code?: string;
}

function showParams(params: readonly unknown[] | undefined): string {
  return params && params.length > 0 ? `\n[parameters: (${showValues(params)})]` : "";
}

/**
 * An error raised by the database driver, wrapped with the SQL and parameters that caused it.
 * The driver's own error is `cause`.
 *
 * ```ts
 * catch (e) { if (e instanceof DBAPIError) console.log(e.code, e.sql, e.params); }
 * ```
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

/**
 * A constraint was violated: unique, foreign key, not-null or check. `constraint` names it when the database does.
 *
 * ```ts
 * catch (e) { if (e instanceof IntegrityError && e.constraint === "user_account.name") return "name taken"; throw e; }
 * ```
 */
export class IntegrityError extends DBAPIError {}

/**
 * The database could not do the work for an operational reason (connection, locks, resources).
 *
 * ```ts
 * catch (e) { if (e instanceof OperationalError && e.retryable) return retry(); throw e; }
 * ```
 */
export class OperationalError extends DBAPIError {}

/**
 * The connection to the database was lost; the connection is discarded and the pool stays usable. Retryable.
 *
 * ```ts
 * catch (e) { if (e instanceof DisconnectError) return engine.begin(work); throw e; } // a new connection
 * ```
 */
export class DisconnectError extends OperationalError {
  override readonly retryable = true;
}

/**
 * The transaction was chosen as a deadlock victim or failed serialization; run it again. Retryable.
 *
 * ```ts
 * catch (e) { if (e instanceof DeadlockError) return Session.begin(engine, work); throw e; }
 * ```
 */
export class DeadlockError extends OperationalError {
  override readonly retryable = true;
}

/**
 * The database is locked by another connection (SQLite `SQLITE_BUSY`) for longer than the busy timeout. Retryable.
 *
 * ```ts
 * createEngine("sqlite:///app.db", { connectArgs: { timeout: 10_000 } }); // wait up to 10 s for the write lock
 * ```
 */
export class BusyError extends OperationalError {
  override readonly retryable = true;
}

/**
 * Waiting for something (a pooled connection, a lock) took longer than allowed. Retryable.
 *
 * ```ts
 * createEngine(url, { pool: { max: 5, acquireTimeoutMs: 2000 } }); // TimeoutError after 2 s without a free connection
 * ```
 */
export class TimeoutError extends OperationalError {
  override readonly retryable = true;
}

/**
 * The SQL is wrong for the database: a syntax error, an unknown table or column.
 *
 * ```ts
 * await conn.execute(text("SELECT * FROM missing")); // ProgrammingError: (sqlite) no such table: missing
 * ```
 */
export class ProgrammingError extends DBAPIError {}

/**
 * A value is wrong for its column: out of range, too long, not a number.
 *
 * ```ts
 * await conn.execute(insert(t).values({ code: "far too long for VARCHAR(3)" })); // DataError on PostgreSQL and MySQL
 * ```
 */
export class DataError extends DBAPIError {}
