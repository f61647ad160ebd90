/**
 * The MySQL/MariaDB dialect (mysql2). One dialect serves both: the first connection reads the server's version and
 * the capability flags follow it (RETURNING on MariaDB ≥ 10.5, INTERSECT/EXCEPT, FOR SHARE, LATERAL, ...).
 */
import type { BindNode } from "../../sql/ast/nodes.js";
import type { ParamRef } from "../../sql/compiler/compiled.js";
import type { DialectCapabilities, TypeImpl } from "../../sql/compiler/compiler-dialect.js";
import type { DdlCompiler } from "../../sql/compiler/ddl-compiler.js";
import type { CompileOptions, SqlCompiler } from "../../sql/compiler/sql-compiler.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import type { CrucibleError } from "../../util/errors.js";
import { type ConnectionSpec, Dialect, type DriverOptions, type InsertedIdRange, type RawDriverError } from "../base/dialect.js";
import type { Driver } from "../base/driver.js";
import type { Introspector } from "../base/introspector.js";
import { jsonArrayText } from "../base/processors.js";
import { MysqlCompiler, type MysqlCompilerDialect } from "./compiler.js";
import { MysqlDdlCompiler } from "./ddl.js";
import { Mysql2Driver, mysql2Config } from "./drivers/mysql2.js";
import { translateMysqlError } from "./errors.js";
import { MysqlIntrospector } from "./introspector.js";
import { MYSQL_RESERVED } from "./reserved-words.js";
import { capabilitiesOf, DEFAULT_SERVER, featuresOf, type MysqlFeatures, type MysqlServerInfo, parseServerVersion } from "./server-info.js";
import { ExactNumber, escapeValue, quoteString } from "./sql-format.js";
import { mysqlTypeImpl } from "./types.js";

/**
 * Options of `new MysqlDialect()`.
 *
 * ```ts
 * new MysqlDialect({ serverVersion: "10.11.6-MariaDB" });
 * ```
 */
export interface MysqlDialectOptions {
  /**
   * The server to compile for until a connection says otherwise (a `VERSION()` string such as `"10.11.6-MariaDB"`),
   * for rendering SQL offline. Default: MySQL 8.0.
   */
  readonly serverVersion?: string;
}

/** The JSON_TABLE column type an IN list of values of this type is read as, or null to use placeholders. */
function jsonTableColumnType(type: SqlType<unknown>, server: MysqlServerInfo): string | null {
  const stored = type.kind === "custom" && type.options.impl ? type.options.impl : type;
  switch (stored.kind) {
    case "integer":
    case "smallinteger":
    case "biginteger":
      return "BIGINT";
    case "numeric":
      // The widest DECIMAL, so no value is rounded to the column's scale before it is compared (a literal is not).
      return (stored.options.precision ?? 65) - (stored.options.scale ?? 30) <= 35 ? "DECIMAL(65, 30)" : null;
    case "string":
    case "text":
    case "enum":
    case "uuid":
      // MariaDB's JSON_TABLE text takes the connection collation; MySQL's is utf8mb4_bin, which could not be compared
      // with a column of another collation.
      return server.flavor === "mariadb" ? "LONGTEXT" : null;
    default:
      return null;
  }
}

/** A decimal DECIMAL(65, 30) holds exactly: at most 35 integer and 30 fraction digits, no exponent. */
const FITS_DECIMAL_65_30 = /^[-+]?\d{0,35}(\.\d{0,30})?$/;

/** Decimals (ExactNumber) as JSON strings, where DECIMAL(65, 30) holds them exactly. */
function exactDecimalJson(v: unknown): string | null {
  return v instanceof ExactNumber && FITS_DECIMAL_65_30.test(v.text) ? JSON.stringify(v.text) : null;
}

/**
 * The MySQL/MariaDB dialect: `mysql://`, `mariadb://` and `mysql+mysql2://` URLs.
 *
 * ```ts
 * const engine = createEngine("mysql://root@127.0.0.1:3306/test");
 * new MysqlDialect({ serverVersion: "10.11.6-MariaDB" }).capabilities.insertReturning; // true
 * ```
 */
export class MysqlDialect extends Dialect implements MysqlCompilerDialect {
  readonly name = "mysql";
  readonly drivers = ["mysql2"];
  capabilities: DialectCapabilities;
  /** The server compiled for: the default until the first connection, then the server itself. */
  server: MysqlServerInfo;
  features: MysqlFeatures;
  /** Parameters are interpolated client-side (no server limit); this keeps statements to a sane size. */
  readonly maxParams = 65535;
  override readonly emptyInList = "(SELECT NULL FROM DUAL WHERE 1 = 0)";
  protected readonly reservedWords = MYSQL_RESERVED;
  protected override readonly quoteChar = "`";

  constructor(options: MysqlDialectOptions = {}) {
    super();
    this.server = options.serverVersion ? parseServerVersion(options.serverVersion) : DEFAULT_SERVER;
    this.capabilities = capabilitiesOf(this.server);
    this.features = featuresOf(this.server);
  }

  /**
   * Compiles for this server from now on (the driver calls it at each new connection). Statements compiled for
   * another server are dropped from the cache.
   *
   * ```ts
   * dialect.useServer(parseServerVersion("10.11.6-MariaDB"));
   * ```
   */
  useServer(server: MysqlServerInfo): void {
    const s = this.server;
    if (s.version === server.version && s.noBackslashEscapes === server.noBackslashEscapes && s.autoIncrementIncrement === server.autoIncrementIncrement)
      return;
    this.server = server;
    this.capabilities = capabilitiesOf(server);
    this.features = featuresOf(server);
    this.statementCache.clear();
  }

  placeholder(): string {
    return "?";
  }

  protected buildTypeImpl(type: SqlType<unknown>): TypeImpl {
    return mysqlTypeImpl(
      type,
      (t) => this.typeImpl(t),
      (s) => this.stringLiteral(s),
    );
  }

  /** Backslashes are escapes in MySQL string literals (unless NO_BACKSLASH_ESCAPES is set). */
  protected override stringLiteral(s: string): string {
    return quoteString(s, this.server.noBackslashEscapes);
  }

  protected override literalOf(v: unknown): string {
    if (v instanceof ExactNumber || v instanceof Date || v instanceof Uint8Array || typeof v === "bigint")
      return escapeValue(v, this.server.noBackslashEscapes);
    return super.literalOf(v);
  }

  override createCompiler(bindIndex: ReadonlyMap<BindNode, number>, options?: CompileOptions): SqlCompiler {
    return new MysqlCompiler(this, bindIndex, options);
  }

  override createDdlCompiler(): DdlCompiler {
    return new MysqlDdlCompiler(this, () => this.ddlExpressionCompiler());
  }

  /**
   * Long IN lists go in as one JSON parameter: `IN (SELECT v FROM JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT PATH '$')) AS jt)`
   * (MySQL ≥ 8.0.4, MariaDB ≥ 10.6; numbers everywhere, strings on MariaDB). Otherwise placeholders, which the
   * client-side interpolation takes in any number.
   */
  override largeInList(_position: number, values: readonly unknown[], ref: ParamRef): { sql: string; params: unknown[] } | null {
    if (!this.features.jsonTable || ref.tuple) return null;
    const columnType = jsonTableColumnType(ref.type, this.server);
    const json = columnType === null ? null : jsonArrayText(values, exactDecimalJson);
    if (json === null) return null;
    return { sql: `(SELECT jt.v FROM JSON_TABLE(?, '$[*]' COLUMNS (v ${columnType} PATH '$')) AS jt)`, params: [json] };
  }

  async createDriver(spec: ConnectionSpec, options: DriverOptions): Promise<Driver> {
    return new Mysql2Driver(mysql2Config(spec, options), (server) => this.useServer(server));
  }

  translateError(raw: RawDriverError): CrucibleError {
    return translateMysqlError(raw);
  }

  introspector(): Introspector {
    return new MysqlIntrospector(() => this.server);
  }

  /**
   * The ids a multi-row INSERT generated, from the driver's `lastInsertId` (MySQL reports the first) and the row
   * count: consecutive under InnoDB's default lock modes for a single INSERT ... VALUES, stepping by
   * `auto_increment_increment`.
   *
   * ```ts
   * dialect.insertedIdRange(41, 3); // { first: 41, step: 1 }: rows 41, 42, 43
   * ```
   */
  override insertedIdRange(lastInsertId: number | bigint, _rowCount: number): InsertedIdRange {
    return { first: lastInsertId, step: this.server.autoIncrementIncrement };
  }
}
