import { ArgumentError } from "../../util/errors.js";
import { SqlType, type TypeKind, type TypeOptions } from "./sql-type.js";

/**
 * A type that is also a factory: `Integer` and `Integer()` are the same; `String` and `String(30)` both work.
 *
 * ```ts
 * column(String);     // VARCHAR
 * column(String(30)); // VARCHAR(30)
 * ```
 */
export type TypeFactory<T, A extends unknown[]> = SqlType<T> & ((...args: A) => SqlType<T>);

function factory<T, A extends unknown[]>(kind: TypeKind, make: (...args: A) => TypeOptions): TypeFactory<T, A> {
  const base = new SqlType<T>(kind, {});
  const fn = (...args: A): SqlType<T> => new SqlType<T>(kind, make(...args));
  Object.setPrototypeOf(fn, SqlType.prototype);
  Object.defineProperties(fn, {
    kind: { value: kind },
    options: { value: base.options },
    cacheKey: { value: base.cacheKey },
  });
  return fn as unknown as TypeFactory<T, A>;
}

const none = (): TypeOptions => ({});

/**
 * 32-bit integer (`number`). `Integer` or `Integer()`.
 *
 * ```ts
 * id: column(Integer, { primaryKey: true }),
 * ```
 */
export const Integer: TypeFactory<number, []> = factory("integer", none);
/**
 * 64-bit integer, read and written as a JS `bigint` (exact beyond 2^53).
 *
 * ```ts
 * views: column(BigInteger, { nullable: false, default: 0n }),
 * ```
 */
export const BigInteger: TypeFactory<bigint, []> = factory("biginteger", none);
/**
 * 16-bit integer (`number`).
 *
 * ```ts
 * rank: column(SmallInteger),
 * ```
 */
export const SmallInteger: TypeFactory<number, []> = factory("smallinteger", none);
/**
 * Single-precision float (`number`).
 *
 * ```ts
 * ratio: column(Float),
 * ```
 */
export const Float: TypeFactory<number, []> = factory("float", none);
/**
 * Double-precision float (`number`).
 *
 * ```ts
 * score: column(Double),
 * ```
 */
export const Double: TypeFactory<number, []> = factory("double", none);
/**
 * Exact decimal, read and written as a string so no digit is lost: `Numeric(30, 10)`.
 *
 * ```ts
 * price: column(Numeric(10, 2)); // "19.99"
 * ```
 */
export const Numeric: TypeFactory<string, [precision?: number, scale?: number]> = factory("numeric", (precision, scale) => {
  if (precision !== undefined && (!Number.isInteger(precision) || precision < 1))
    throw new ArgumentError(`Numeric(${precision}, ${scale}): precision must be a positive integer`);
  return scale === undefined ? { precision } : { precision, scale };
});
/**
 * Boolean (`boolean`): stored as 0/1 where the database has no boolean type. Also exported as `Bool`, which does not
 * hide the global `Boolean` in the importing module.
 *
 * ```ts
 * active: column(Bool, { nullable: false, default: true }),
 * ```
 */
export const Boolean: TypeFactory<boolean, []> = factory("boolean", none);
/**
 * Variable-length string (`string`): `String` or `String(30)`. Importing `String` hides the global `String()` in
 * that module; import `Varchar` instead if you need both.
 *
 * ```ts
 * name: column(String(30), { nullable: false }),
 * fullname: column(Varchar), // the same type, without shadowing the global String()
 * ```
 */
export const String: TypeFactory<string, [length?: number]> = factory("string", (length) => {
  if (length !== undefined && (!Number.isInteger(length) || length < 1))
    throw new ArgumentError(`String(${length}): length must be a positive integer, or omitted`);
  return length === undefined ? {} : { length };
});
/**
 * Unbounded text (`string`).
 *
 * ```ts
 * bio: column(Text),
 * ```
 */
export const Text: TypeFactory<string, []> = factory("text", none);
/**
 * Calendar date without time, read and written as a string `YYYY-MM-DD` (a date has no time zone, so no `Date`
 * object is used). Also exported as `DateOnly`, which does not hide the global `Date` in the importing module.
 *
 * ```ts
 * born: column(DateOnly), // "1999-05-01"
 * ```
 */
export const Date: TypeFactory<string, []> = factory("date", none);
/**
 * Timestamp as a JS `Date`. `DateTime()` stores UTC wall-clock time; `DateTime({ timezone: true })` stores the
 * instant with a time zone where the database can. Neither depends on the process time zone.
 *
 * ```ts
 * created: column(DateTime(), { serverDefault: func.now() }),
 * seenAt: column(DateTime({ timezone: true })),
 * ```
 */
export const DateTime: TypeFactory<globalThis.Date, [options?: { timezone?: boolean }]> = factory("datetime", (o) => (o?.timezone ? { timezone: true } : {}));
/**
 * Time of day, read and written as a string `HH:MM:SS[.ffffff]`.
 *
 * ```ts
 * opens: column(Time), // "08:30:00"
 * ```
 */
export const Time: TypeFactory<string, []> = factory("time", none);
/**
 * Bytes (`Uint8Array`; Node's `Buffer` is one).
 *
 * ```ts
 * avatar: column(LargeBinary),
 * ```
 */
export const LargeBinary: TypeFactory<Uint8Array, []> = factory("binary", none);
/**
 * UUID as a string: native `uuid` on PostgreSQL, `CHAR(36)` elsewhere; stored and read in lower case.
 *
 * ```ts
 * token: column(Uuid, { default: () => crypto.randomUUID() }),
 * ```
 */
export const Uuid: TypeFactory<string, []> = factory("uuid", none);

/**
 * JSON document of type `T`, stored as `JSONB` on PostgreSQL and `JSON`/text elsewhere.
 *
 * ```ts
 * settings: column(JSON<{ theme: string }>())
 * ```
 */
export function JSON<T = unknown>(): SqlType<T> {
  return new SqlType<T>("json", {});
}

/**
 * A string restricted to the given values, typed as their union: a native ENUM where the database has one,
 * otherwise a VARCHAR with a CHECK constraint.
 *
 * ```ts
 * status: column(Enum(["draft", "published"] as const, { name: "post_status" }))
 * ```
 */
export function Enum<const V extends readonly string[]>(values: V, options: { name?: string; native?: boolean } = {}): SqlType<V[number]> {
  if (values.length === 0) throw new ArgumentError("Enum([]) has no values: pass at least one allowed string");
  return new SqlType<V[number]>("enum", { values: [...values], enumName: options.name, nativeEnum: options.native ?? true });
}

/**
 * An array of another type (PostgreSQL `type[]`).
 *
 * ```ts
 * tags: column(ArrayOf(Text))
 * ```
 */
export function ArrayOf<T>(itemType: SqlType<T>): SqlType<T[]> {
  return new SqlType<T[]>("array", { itemType: itemType as SqlType<unknown> });
}

/**
 * A user type stored as another type, with processors between the two.
 *
 * ```ts
 * const Point = customType<{ x: number; y: number }, string>({
 *   impl: Text, toDriver: (p) => `${p.x},${p.y}`, fromDriver: (s) => { const [x, y] = s.split(",").map(Number); return { x, y }; },
 * });
 * ```
 */
export function customType<T, Stored>(spec: {
  impl: SqlType<Stored>;
  toDriver: (value: T) => Stored;
  fromDriver: (value: Stored) => T;
  sqlName?: string;
}): SqlType<T> {
  return new SqlType<T>("custom", {
    impl: spec.impl as SqlType<unknown>,
    toDriver: spec.toDriver as (value: never) => unknown,
    fromDriver: spec.fromDriver as (value: never) => unknown,
    sqlName: spec.sqlName,
  });
}

/**
 * The type of an untyped NULL or of a value whose type cannot be inferred.
 *
 * ```ts
 * null_().type === NullType; // true
 * ```
 */
export const NullType: SqlType<null> = new SqlType<null>("null", {});

export { Boolean as Bool, Date as DateOnly, JSON as Json, String as Varchar };

/** The type inferred for a plain object or array value (types are immutable, so one instance serves every bind). */
const JSON_DOCUMENT: SqlType<unknown> = JSON();

/**
 * Infers a SQL type for a literal JS value (used when a value is bound without a column to take the type from).
 *
 * ```ts
 * inferType(5);          // Integer
 * inferType(1.5);        // Double
 * inferType(new Date()); // DateTime
 * ```
 */
export function inferType(value: unknown): SqlType<unknown> {
  switch (typeof value) {
    case "number":
      return (Number.isInteger(value) ? Integer : Double) as SqlType<unknown>;
    case "bigint":
      return BigInteger as SqlType<unknown>;
    case "boolean":
      return Boolean as SqlType<unknown>;
    case "string":
      return String as SqlType<unknown>;
    case "object":
      if (value === null) return NullType as SqlType<unknown>;
      if (value instanceof globalThis.Date) return DateTime as SqlType<unknown>;
      if (value instanceof Uint8Array) return LargeBinary as SqlType<unknown>;
      return JSON_DOCUMENT;
    default:
      return NullType as SqlType<unknown>;
  }
}
