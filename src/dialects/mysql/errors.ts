/**
 * Translation of mysql2 errors (server errors carry `errno` and `sqlMessage`; network errors carry a Node `code`)
 * into Crucible's hierarchy.
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
  TimeoutError,
} from "../../util/errors.js";
import type { RawDriverError } from "../base/dialect.js";

/** Server error numbers that mean the connection is gone. */
const DISCONNECT_ERRNOS = new Set([
  1053, // ER_SERVER_SHUTDOWN
  1077, // ER_NORMAL_SHUTDOWN
  1078, // ER_GOT_SIGNAL
  1079, // ER_SHUTDOWN_COMPLETE
  1152, // ER_ABORTING_CONNECTION
  1927, // ER_CONNECTION_KILLED (MariaDB)
  2006, // CR_SERVER_GONE_ERROR
  2013, // CR_SERVER_LOST
  2055, // CR_SERVER_LOST_EXTENDED
  4031, // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8.0.24+: disconnected for inactivity)
]);

/** Node / mysql2 error codes of a broken connection. */
const DISCONNECT_CODES = new Set([
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "PROTOCOL_PACKETS_OUT_OF_ORDER",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ER_CONNECTION_KILLED",
  "ER_SERVER_SHUTDOWN",
  "ER_CLIENT_INTERACTION_TIMEOUT",
]);

/** Network errors while connecting: the server is not there (yet). */
const CONNECT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

const DISCONNECT_MESSAGE =
  /connection (was killed|lost)|closed state|server has gone away|lost connection|can't write in closed state|the server closed the connection/i;

const INTEGRITY_ERRNOS = new Set([
  1022, // ER_DUP_KEY
  1048, // ER_BAD_NULL_ERROR
  1062, // ER_DUP_ENTRY
  1169, // ER_DUP_UNIQUE
  1216, // ER_NO_REFERENCED_ROW
  1217, // ER_ROW_IS_REFERENCED
  1364, // ER_NO_DEFAULT_FOR_FIELD (NOT NULL column left out, strict mode)
  1451, // ER_ROW_IS_REFERENCED_2
  1452, // ER_NO_REFERENCED_ROW_2
  1557, // ER_FOREIGN_DUPLICATE_KEY
  1586, // ER_DUP_ENTRY_WITH_KEY_NAME
  1761, // ER_FOREIGN_DUPLICATE_KEY_WITH_CHILD_INFO
  1762, // ER_FOREIGN_DUPLICATE_KEY_WITHOUT_CHILD_INFO
  3819, // ER_CHECK_CONSTRAINT_VIOLATED (MySQL)
  4025, // ER_CONSTRAINT_FAILED (MariaDB CHECK)
]);

const DATA_ERRNOS = new Set([
  1264, // ER_WARN_DATA_OUT_OF_RANGE
  1265, // WARN_DATA_TRUNCATED
  1292, // ER_TRUNCATED_WRONG_VALUE (bad date, ...)
  1366, // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
  1367, // ER_ILLEGAL_VALUE_FOR_TYPE
  1406, // ER_DATA_TOO_LONG
  1416, // ER_CANT_CREATE_GEOMETRY_OBJECT
  1690, // ER_DATA_OUT_OF_RANGE
  3140, // ER_INVALID_JSON_TEXT
  3141, // ER_INVALID_JSON_TEXT_IN_PARAM
  4038, // ER_JSON_SYNTAX (MariaDB)
]);

const PROGRAMMING_ERRNOS = new Set([
  1044, // ER_DBACCESS_DENIED_ERROR
  1046, // ER_NO_DB_ERROR
  1050, // ER_TABLE_EXISTS_ERROR
  1051, // ER_BAD_TABLE_ERROR
  1054, // ER_BAD_FIELD_ERROR
  1060, // ER_DUP_FIELDNAME
  1061, // ER_DUP_KEYNAME
  1064, // ER_PARSE_ERROR
  1091, // ER_CANT_DROP_FIELD_OR_KEY
  1109, // ER_UNKNOWN_TABLE
  1142, // ER_TABLEACCESS_DENIED_ERROR
  1146, // ER_NO_SUCH_TABLE
  1149, // ER_SYNTAX_ERROR
  1170, // ER_BLOB_KEY_WITHOUT_LENGTH
  1248, // ER_DERIVED_MUST_HAVE_ALIAS
  1235, // ER_NOT_SUPPORTED_YET
  1347, // ER_WRONG_OBJECT
  1363, // ER_TRG_NO_SUCH_ROW_IN_TRG
  1582, // ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT
  1630, // ER_FUNC_INEXISTENT_NAME_COLLISION
]);

/**
 * The key or constraint a violation names: `for key 'uq_x'` (MySQL 8: `'tbl.uq_x'`), CONSTRAINT `fk_x`, 'ck_x'.
 *
 * ```ts
 * violatedConstraint(1062, "Duplicate entry 'a' for key 'users.uq_name'"); // "uq_name"
 * ```
 */
export function violatedConstraint(errno: number, message: string): string | undefined {
  if (errno === 1062 || errno === 1586 || errno === 1022 || errno === 1169) {
    const m = /for key '((?:[^'\\]|\\.)*)'/.exec(message);
    if (!m) return undefined;
    const key = m[1];
    const dot = key.lastIndexOf(".");
    return dot >= 0 ? key.slice(dot + 1) : key;
  }
  if (errno === 1451 || errno === 1452 || errno === 4025) return /CONSTRAINT `((?:[^`]|``)+)`/.exec(message)?.[1]?.replace(/``/g, "`");
  if (errno === 3819) return /constraint '((?:[^'\\]|\\.)*)'/i.exec(message)?.[1];
  return undefined;
}

interface Mysql2Error {
  readonly code?: string;
  readonly errno?: number;
  readonly sqlState?: string;
  readonly sqlMessage?: string;
  readonly message?: string;
  readonly fatal?: boolean;
}

/**
 * Turns a mysql2 error into the Crucible error hierarchy.
 *
 * ```ts
 * translateMysqlError({ error: e, sql, params }) instanceof IntegrityError; // for ER_DUP_ENTRY
 * ```
 */
export function translateMysqlError({ error, sql, params }: RawDriverError): CrucibleError {
  const e = (error ?? {}) as Mysql2Error;
  const errno = typeof e.errno === "number" ? e.errno : 0;
  // mysql2 names server errors after MySQL's list, which MariaDB's numbers leave from about 1800 on: above that the
  // number is the only name that is right for both.
  const code = errno ? (errno < 1800 && e.code ? e.code : String(errno)) : e.code;
  const message = e.sqlMessage ?? e.message ?? String(error);
  const label = `(mysql${errno ? ` ${errno}` : ""}${code && code !== String(errno) ? ` ${code}` : ""}) ${message}`;
  const opts = { sql: sql || undefined, params, cause: error, code };

  if (errno === 1213 || e.code === "ER_LOCK_DEADLOCK")
    return new DeadlockError(`${label}: the transaction was rolled back as a deadlock victim; run it again`, opts);
  if (errno === 1205 || errno === 3572 || e.code === "ER_LOCK_WAIT_TIMEOUT")
    return new TimeoutError(
      `${label}: another transaction holds the lock; run the statement again, or raise innodb_lock_wait_timeout (the statement, not the transaction, was rolled back)`,
      opts,
    );
  if (DISCONNECT_ERRNOS.has(errno) || (e.code !== undefined && DISCONNECT_CODES.has(e.code)) || (errno === 0 && DISCONNECT_MESSAGE.test(message)))
    return new DisconnectError(`${label}: the connection to the server was lost; it is discarded and the next statement uses a new one`, opts);
  if (e.code !== undefined && CONNECT_CODES.has(e.code))
    // Retryable, as on PostgreSQL: a restarting server comes back (a wrong URL fails every time, and says what to check).
    return new DisconnectError(`${label}: cannot reach the MySQL/MariaDB server; check the host and port of the URL and that the server is running`, opts);
  if (INTEGRITY_ERRNOS.has(errno)) return new IntegrityError(label, { ...opts, constraint: violatedConstraint(errno, message) });
  if (DATA_ERRNOS.has(errno)) return new DataError(label, opts);
  if (PROGRAMMING_ERRNOS.has(errno)) return new ProgrammingError(label, opts);
  if (errno === 1045 || errno === 1049 || errno === 1040 || errno === 1203)
    return new OperationalError(`${label}: check the user, password and database of the URL, and the server's connection limit`, opts);
  if (errno >= 1000 || e.sqlState !== undefined || e.fatal) return new OperationalError(label, opts);
  if (error instanceof RangeError || error instanceof TypeError) return new ProgrammingError(label, opts);
  return new DBAPIError(label, opts);
}
