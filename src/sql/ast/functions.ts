/**
 * SQL functions (`func.*`), CASE, CAST, literals and named bind parameters.
 */
import { ArgumentError } from "../../util/errors.js";
import type { SqlType } from "../types/sql-type.js";
import { BigInteger, DateTime, Double, Integer, inferType, NullType, String as StringType } from "../types/standard.js";
import { ColumnElement, NULL_NODE, toNode } from "./expression.js";
import type { BindNode, ExprNode, FunctionNode } from "./nodes.js";
import type { Condition } from "./select.js";

type Arg = ColumnElement<any, any> | string | number | bigint | boolean | Date | null;

function argNode(a: Arg): ExprNode {
  return a instanceof ColumnElement ? a.node : toNode(a, inferType(a));
}

/** The SQL type of a function argument: an expression's own, or inferred from a plain value (`func.lower("ABC")`). */
function typeOf(a: Arg): SqlType<unknown> {
  return a instanceof ColumnElement ? (a.type as SqlType<unknown>) : inferType(a);
}

/**
 * A SQL function call. Aggregates accept `.filter(condition)`; every function accepts `.over({...})` as a window.
 *
 * ```ts
 * func.count().filter(orders.c.total.gt("100")); // count(*) FILTER (WHERE orders.total > ?)
 * ```
 */
export class FunctionElement<T> extends ColumnElement<T> {
  declare readonly node: FunctionNode;
  /** `agg(x) FILTER (WHERE cond)` (emulated with CASE where the database lacks FILTER). */
  filter(condition: Condition): FunctionElement<T> {
    return new FunctionElement<T>(Object.freeze({ ...this.node, filter: condition.node }), this.type);
  }
}

function call<T>(name: string, args: readonly Arg[], type: SqlType<T>, distinct = false): FunctionElement<T> {
  return new FunctionElement<T>(
    Object.freeze({ kind: "function", name, args: args.map(argNode), type: type as SqlType<unknown>, distinct, filter: null }),
    type,
  );
}

const INT = Integer as SqlType<number>;
const DBL = Double as SqlType<number>;
const STR = StringType as SqlType<string>;

type Nullable<T> = T | null;
/**
 * Functions with known result types; any other name works too and returns an untyped `FunctionElement`.
 *
 * ```ts
 * func.max(users.c.id);        // FunctionElement<number | null>
 * func.my_function(users.c.id); // FunctionElement<any>
 * ```
 */
export interface Functions {
  /** `count(*)` with no argument, else `count(expr)`. */
  count(expr?: ColumnElement<any, any>): FunctionElement<number>;
  sum<T>(expr: ColumnElement<T, any>): FunctionElement<Nullable<NonNullable<T>>>;
  avg(expr: ColumnElement<any, any>): FunctionElement<number | null>;
  min<T>(expr: ColumnElement<T, any>): FunctionElement<Nullable<NonNullable<T>>>;
  max<T>(expr: ColumnElement<T, any>): FunctionElement<Nullable<NonNullable<T>>>;
  lower<T extends string | null>(expr: ColumnElement<T, any> | T): FunctionElement<T>;
  upper<T extends string | null>(expr: ColumnElement<T, any> | T): FunctionElement<T>;
  trim<T extends string | null>(expr: ColumnElement<T, any> | T): FunctionElement<T>;
  length(expr: ColumnElement<string | null, any> | string): FunctionElement<number>;
  abs<T>(expr: ColumnElement<T, any> | T): FunctionElement<T>;
  round<T>(expr: ColumnElement<T, any> | T, digits?: number): FunctionElement<T>;
  coalesce<T>(first: ColumnElement<T, any>, ...rest: (ColumnElement<any, any> | T)[]): FunctionElement<T>;
  /** The current timestamp (`CURRENT_TIMESTAMP`). */
  now(): FunctionElement<Date>;
  current_timestamp(): FunctionElement<Date>;
  row_number(): FunctionElement<number>;
  rank(): FunctionElement<number>;
  dense_rank(): FunctionElement<number>;
  [name: string]: (...args: any[]) => FunctionElement<any>;
}

const known: Record<string, (...args: any[]) => FunctionElement<unknown>> = {
  count: (expr?: Arg) => call("count", expr === undefined ? [] : [expr], INT),
  sum: (expr: Arg) => call("sum", [expr], typeOf(expr)),
  avg: (expr: Arg) => call("avg", [expr], DBL),
  min: (expr: Arg) => call("min", [expr], typeOf(expr)),
  max: (expr: Arg) => call("max", [expr], typeOf(expr)),
  lower: (expr: Arg) => call("lower", [expr], typeOf(expr)),
  upper: (expr: Arg) => call("upper", [expr], typeOf(expr)),
  trim: (expr: Arg) => call("trim", [expr], typeOf(expr)),
  length: (expr: Arg) => call("length", [expr], INT),
  abs: (expr: Arg) => call("abs", [expr], typeOf(expr)),
  round: (expr: Arg, digits?: number) => call("round", digits === undefined ? [expr] : [expr, digits], typeOf(expr)),
  coalesce: (first: Arg, ...rest: Arg[]) => {
    const type = typeOf(first);
    return call("coalesce", [first, ...rest.map((r) => (r instanceof ColumnElement ? r : new ColumnElement(toNode(r, type), type)))], type);
  },
  now: () => call("now", [], DateTime as SqlType<Date>),
  current_timestamp: () => call("current_timestamp", [], DateTime as SqlType<Date>),
  row_number: () => call("row_number", [], INT),
  rank: () => call("rank", [], INT),
  dense_rank: () => call("dense_rank", [], INT),
  count_big: (expr?: ColumnElement<unknown>) => call("count", expr ? [expr] : [], BigInteger as SqlType<bigint>),
  concat: (...args: Arg[]) => call("concat", args, STR),
};

/**
 * SQL functions by name: `func.count()`, `func.lower(users.c.name)`, `func.my_function(x, 1)`.
 *
 * ```ts
 * select(func.count()).selectFrom(userTable)
 * select(addressTable.c.userId, func.count(addressTable.c.id).label("n")).groupBy(addressTable.c.userId)
 * ```
 */
export const func: Functions = new Proxy(known, {
  get(target, name) {
    if (typeof name !== "string") return undefined;
    if (name in target) return target[name];
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(name)) throw new ArgumentError(`func.${name}: a function name must be an identifier`);
    return (...args: Arg[]) => call(name, args, NullType as SqlType<unknown>);
  },
}) as unknown as Functions;

/** One `WHEN condition THEN value` of case_(): the value is a plain value or an expression of type V. */
export type CaseWhen<V> = readonly [Condition, V | ColumnElement<V, any>];

/**
 * `CASE WHEN cond THEN value ... ELSE value END`.
 *
 * ```ts
 * case_([userTable.c.name.eq("sandy"), "S"], [userTable.c.name.eq("patrick"), "P"], { else: "?" })
 * ```
 */
export function case_<V, E = V>(...args: [...whens: CaseWhen<V>[], otherwise: { else: E | ColumnElement<E, any> }]): ColumnElement<V | E>;
export function case_<V>(...whens: CaseWhen<V>[]): ColumnElement<V | null>;
export function case_(...args: (CaseWhen<unknown> | { else: unknown })[]): ColumnElement<unknown> {
  const last = args[args.length - 1];
  const hasElse = last !== undefined && !Array.isArray(last);
  const whens = (hasElse ? args.slice(0, -1) : args) as unknown as (readonly [Condition, unknown])[];
  if (whens.length === 0) throw new ArgumentError("case() needs at least one [condition, value] pair");
  const typed = whens.find(([, v]) => v instanceof ColumnElement)?.[1] as ColumnElement<unknown> | undefined;
  const type = typed?.type ?? inferType(whens.find(([, v]) => v !== null)?.[1] ?? null);
  const elseValue = hasElse ? (last as { else: unknown }).else : undefined;
  return new ColumnElement(
    Object.freeze({
      kind: "case",
      value: null,
      whens: whens.map(([c, v]) => [c.node, toNode(v, type)] as const),
      else: elseValue === undefined ? null : toNode(elseValue, type),
      type,
    }),
    type as SqlType<never>,
  );
}

/**
 * `CAST(expr AS type)`.
 *
 * ```ts
 * cast(userTable.c.id, String)
 * ```
 */
export function cast<T>(expr: ColumnElement<any, any> | string | number, type: SqlType<T>): ColumnElement<T> {
  return new ColumnElement(Object.freeze({ kind: "cast", operand: argNode(expr), type: type as SqlType<unknown> }), type);
}

/**
 * A value as a bound parameter in an expression: `literal(5)`, `literal("x", String)`.
 *
 * ```ts
 * select(literal(1).label("one"))
 * ```
 */
export function literal<T>(value: T, type?: SqlType<T>): ColumnElement<T> {
  const t = (type ?? inferType(value)) as SqlType<T>;
  return new ColumnElement(toNode(value, t as SqlType<unknown>), t);
}

/**
 * A named parameter whose value is given at execution (`conn.execute(stmt, { name: ... })`) — several times with
 * a list of parameter sets (executemany).
 *
 * ```ts
 * const stmt = update(userTable).where(userTable.c.name.eq(bindparam("oldname"))).values({ name: bindparam("newname") });
 * await conn.execute(stmt, [{ oldname: "jack", newname: "ed" }, { oldname: "wendy", newname: "mary" }]);
 * ```
 */
export function bindparam<T = unknown>(key: string, value?: T, type?: SqlType<T>): ColumnElement<T> {
  if (!/^\w+$/.test(key)) throw new ArgumentError(`bindparam("${key}"): the name must be letters, digits or _`);
  const t = (type ?? (value === undefined ? NullType : inferType(value))) as SqlType<unknown>;
  const node: BindNode = Object.freeze({ kind: "bind", value, type: t, key, expanding: false });
  return new ColumnElement(node, t as SqlType<T>);
}

/**
 * The SQL NULL constant.
 *
 * ```ts
 * update(t).values({ note: null_() })
 * ```
 */
export function null_(): ColumnElement<null> {
  return new ColumnElement(NULL_NODE, NullType as SqlType<null>);
}

/**
 * A row value `(a, b)`, comparable with `in()` against a list of tuples.
 *
 * ```ts
 * tuple_(t.c.a, t.c.b).in([[1, "x"], [2, "y"]])
 * ```
 */
export function tuple_<const E extends readonly ColumnElement<any, any>[]>(
  ...items: E
): ColumnElement<{ -readonly [K in keyof E]: E[K] extends ColumnElement<infer T, any> ? T : never }> {
  if (items.length === 0) throw new ArgumentError("tuple_() needs at least one expression");
  return new ColumnElement(Object.freeze({ kind: "tuple", items: items.map((i) => i.node) }), NullType as SqlType<never>);
}
