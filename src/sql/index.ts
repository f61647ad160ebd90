export { and_, false_, not_, or_, true_ } from "./ast/boolean.js";
export { Delete, delete_, Insert, type InsertValues, insert, Update, type UpdateValues, update } from "./ast/dml.js";
export { ENTITY, type EntityInfo, type EntityLike, JOIN_TARGET, type JoinTargetInfo, type JoinTargetLike } from "./ast/entity.js";
export { ColumnElement, escapeLike, type Operand, OrderBy, type OverOptions, type ValueOf } from "./ast/expression.js";
export { Alias, ColumnClause, CTE, FromClause, Join, Subquery } from "./ast/from.js";
export { bindparam, case_, cast, FunctionElement, type Functions, func, literal, null_, tuple_ } from "./ast/functions.js";
export type * from "./ast/nodes.js";
export {
  CompoundSelect,
  type Condition,
  except_,
  exists,
  intersect,
  type RowNames,
  type RowTuple,
  Select,
  type SelectItem,
  type StatementOption,
  select,
  union,
  unionAll,
} from "./ast/select.js";
export { literalColumn, TextClause, text } from "./ast/text.js";
export { statementKey } from "./compiler/cache-key.js";
export { StatementCache } from "./compiler/compile.js";
export type { CompiledStatement, ParamRef, Processor } from "./compiler/compiled.js";
export type { CompilerDialect, DialectCapabilities, TypeImpl } from "./compiler/compiler-dialect.js";
export { DdlCompiler } from "./compiler/ddl-compiler.js";
export { SqlCompiler } from "./compiler/sql-compiler.js";
export { Column, ColumnDef, type ColumnOptions, column } from "./schema/column.js";
export {
  CheckConstraint,
  ForeignKey,
  ForeignKeyConstraint,
  type ForeignKeyOptions,
  Index,
  PrimaryKeyConstraint,
  type ReferentialAction,
  UniqueConstraint,
} from "./schema/constraints.js";
export { MetaData, type NamingConvention } from "./schema/metadata.js";
export { Table, type TableColumns, TableObject } from "./schema/table.js";
export { SqlType, type TypeValue } from "./types/sql-type.js";
export * from "./types/standard.js";
