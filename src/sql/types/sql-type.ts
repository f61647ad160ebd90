/**
 * SQL types: what a column or expression holds, as a TypeScript type `T` and as a SQL type per dialect.
 * A type is a plain description (`kind` + options); each dialect turns it into DDL and into bind/result processors
 * (dialects/base/type-impl.ts), so a type never depends on a dialect.
 */

/** The SQL type families Crucible knows. `custom` wraps another type with user processors. */
export type TypeKind =
  | "integer"
  | "biginteger"
  | "smallinteger"
  | "float"
  | "double"
  | "numeric"
  | "boolean"
  | "string"
  | "text"
  | "date"
  | "datetime"
  | "time"
  | "binary"
  | "json"
  | "uuid"
  | "enum"
  | "array"
  | "custom"
  | "null";

/** Options carried by a type; each kind reads the ones it needs. */
export interface TypeOptions {
  /** String/Varchar length. */
  readonly length?: number;
  /** Numeric precision and scale. */
  readonly precision?: number;
  readonly scale?: number;
  /** DateTime: store an instant (true) or UTC wall-clock time (false, default). */
  readonly timezone?: boolean;
  /** Enum values, in order. */
  readonly values?: readonly string[];
  /** Enum: the name of the native type (PostgreSQL) or of the CHECK constraint elsewhere. */
  readonly enumName?: string;
  /** Enum: use a native ENUM type where the dialect has one (default true). */
  readonly nativeEnum?: boolean;
  /** Array: the element type. */
  readonly itemType?: SqlType<unknown>;
  /** Custom: the type this one is stored as, and the user's processors. */
  readonly impl?: SqlType<unknown>;
  readonly toDriver?: (value: never) => unknown;
  readonly fromDriver?: (value: never) => unknown;
  /** Custom: a name for the type in DDL, if it is not the impl's. */
  readonly sqlName?: string;
}

let nextTypeId = 1;

/**
 * A SQL type whose values are `T` in TypeScript.
 *
 * ```ts
 * const t: SqlType<string> = String(30);
 * ```
 */
export class SqlType<T> {
  /** Phantom: the TypeScript type of values of this SQL type (covariant, so `SqlType<string>` is a `SqlType<unknown>`). */
  declare readonly __ts?: T;
  /** A string that identifies this type's shape, used in statement cache keys. */
  readonly cacheKey: string;
  constructor(
    readonly kind: TypeKind,
    readonly options: TypeOptions = {},
  ) {
    // Custom types carry functions: two custom types are only the same if they are the same object.
    this.cacheKey = kind === "custom" || kind === "array" ? `${kind}#${nextTypeId++}` : `${kind}${JSON.stringify(options)}`;
    Object.freeze(this);
  }
  /** A readable name: `VARCHAR(30)`, `NUMERIC(10, 2)`, ... (the SQL form for a given dialect comes from the dialect). */
  toString(): string {
    const o = this.options;
    switch (this.kind) {
      case "string":
        return o.length ? `VARCHAR(${o.length})` : "VARCHAR";
      case "numeric":
        return o.precision !== undefined ? `NUMERIC(${o.precision}${o.scale !== undefined ? `, ${o.scale}` : ""})` : "NUMERIC";
      case "enum":
        return `ENUM(${(o.values ?? []).map((v) => `'${v}'`).join(", ")})`;
      case "custom":
        return o.sqlName ?? String(o.impl);
      case "biginteger":
        return "BIGINT";
      case "smallinteger":
        return "SMALLINT";
      case "datetime":
        return o.timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
      case "binary":
        return "BLOB";
      case "array":
        return `${String(o.itemType)}[]`;
      case "null":
        return "NULL";
      default:
        return this.kind.toUpperCase();
    }
  }
}

/**
 * The TypeScript value type of a SQL type.
 *
 * ```ts
 * type N = TypeValue<typeof Integer>; // number
 * ```
 */
export type TypeValue<S> = S extends SqlType<infer T> ? T : never;
