/**
 * The parts of the dialects' type tables (`buildTypeImpl`) that are the same on every database.
 */
import type { Processor } from "../../sql/compiler/compiled.js";
import type { TypeImpl } from "../../sql/compiler/compiler-dialect.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { compose } from "./processors.js";

/**
 * A `customType()` as its impl type is declared and converted, under its own SQL name: `toDriver` runs before the
 * impl's bind processor, `fromDriver` after its result processor. `castToSqlName`: CAST uses the custom name too
 * (PostgreSQL, where it names a real type); otherwise the impl's cast.
 *
 * ```ts
 * customTypeImpl(Money, self(Money.options.impl), false).ddl; // "MONEY" when sqlName is "MONEY"
 * ```
 */
export function customTypeImpl(type: SqlType<unknown>, base: TypeImpl, castToSqlName: boolean): TypeImpl {
  const o = type.options;
  return {
    ddl: o.sqlName ?? base.ddl,
    cast: castToSqlName ? (o.sqlName ?? base.cast) : base.cast,
    bind: compose((o.toDriver ?? null) as Processor | null, base.bind),
    result: compose(base.result, (o.fromDriver ?? null) as Processor | null),
  };
}

/**
 * The VARCHAR length of an `Enum(values, { native: false })` column: its longest value, at least 1.
 *
 * ```ts
 * enumVarcharLength(["draft", "published"]); // 9
 * ```
 */
export function enumVarcharLength(values: readonly string[] | undefined): number {
  return Math.max(1, ...(values ?? []).map((v) => v.length));
}
