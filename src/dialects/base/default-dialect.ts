/**
 * The generic dialect used to show statements as text (`String(stmt)`): ANSI spellings, `?` placeholders,
 * the base capability set. It cannot connect anywhere.
 */

import { renderHook } from "../../sql/ast/expression.js";
import type { AnyNode, BindNode, StatementNode } from "../../sql/ast/nodes.js";
import { statementKey } from "../../sql/compiler/cache-key.js";
import { bindParams } from "../../sql/compiler/compiled.js";
import type { TypeImpl } from "../../sql/compiler/compiler-dialect.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { ArgumentError, type CrucibleError, InvalidRequestError } from "../../util/errors.js";
import { SQLITE_RESERVED } from "../sqlite/reserved-words.js";
import { BASE_CAPABILITIES } from "./capabilities.js";
import { Dialect } from "./dialect.js";
import type { Driver } from "./driver.js";
import type { Introspector } from "./introspector.js";

/** SQLite's keywords plus the ANSI words other databases reserve (`user`, ...), so `String(stmt)` is portable SQL. */
const GENERIC_RESERVED: ReadonlySet<string> = new Set([
  ...SQLITE_RESERVED,
  ..."any array asymmetric authorization both current_role current_schema current_user leading localtime localtimestamp only placing session_user some symmetric system_user trailing user".split(
    " ",
  ),
]);

const NO_DATABASE =
  'the default dialect only renders SQL (String(stmt)) and has no database: create an engine with a database URL, e.g. createEngine("sqlite://")';

export class DefaultDialect extends Dialect {
  readonly name = "default";
  readonly drivers: readonly string[] = [];
  readonly capabilities = BASE_CAPABILITIES;
  readonly maxParams = Number.MAX_SAFE_INTEGER;
  protected readonly reservedWords = GENERIC_RESERVED;
  placeholder(): string {
    return "?";
  }
  protected buildTypeImpl(type: SqlType<unknown>): TypeImpl {
    return { ddl: type.toString(), cast: type.toString(), bind: null, result: null };
  }
  async createDriver(): Promise<Driver> {
    throw new InvalidRequestError(NO_DATABASE);
  }
  translateError(): CrucibleError {
    throw new InvalidRequestError(NO_DATABASE);
  }
  introspector(): Introspector {
    throw new InvalidRequestError(NO_DATABASE);
  }
}

const generic = new DefaultDialect();

const STATEMENT_KINDS = new Set(["select", "compound", "insert", "update", "delete", "text"]);

/** Renders any node as readable SQL (parameters as `?`; IN lists expanded). */
export function renderGeneric(node: unknown): string {
  const n = node as AnyNode;
  const { binds } = statementKey(n);
  const index = new Map<BindNode, number>();
  for (let i = 0; i < binds.length; i++) index.set(binds[i], i);
  const compiler = generic.createCompiler(index);
  const compiled = STATEMENT_KINDS.has(n.kind) ? compiler.compile(n as StatementNode) : compiler.compileFragment(n);
  if (!compiled.hasExpanding) return compiled.sql;
  try {
    return bindParams(compiled, binds, undefined, generic).sql;
  } catch (e) {
    if (e instanceof ArgumentError) return compiled.parts.join("?");
    throw e;
  }
}

renderHook.render = renderGeneric;
