/**
 * JSON path expressions, for the dialects that compile the `json-path` node (`->` / `#>` on PostgreSQL,
 * `->` with a `$.a[0]` path on SQLite). Exported by the dialect subpaths, e.g. `crucible/postgresql`.
 */
import { ColumnElement } from "../../sql/ast/expression.js";
import type { JsonPathNode } from "../../sql/ast/nodes.js";
import type { SqlType } from "../../sql/types/sql-type.js";
import { JSON as JsonType, String as StringType } from "../../sql/types/standard.js";
import { ArgumentError } from "../../util/errors.js";

/**
 * Object keys and array indexes, from the document's root.
 *
 * ```ts
 * const path: JsonPathStep[] = ["tags", 0];
 * jsonPath(docs.c.body, path);
 * ```
 */
export type JsonPathStep = string | number;

function pathNode(doc: ColumnElement<unknown>, path: readonly JsonPathStep[], asText: boolean, type: SqlType<unknown>): JsonPathNode {
  if (!(doc instanceof ColumnElement)) throw new ArgumentError("jsonPath() takes a JSON column or expression as its first argument");
  if (path.length === 0) throw new ArgumentError("jsonPath() needs at least one key or index: jsonPath(doc, ['a', 0])");
  for (const step of path)
    if (typeof step !== "string" && !(typeof step === "number" && Number.isInteger(step)))
      throw new ArgumentError(`jsonPath(): each step is an object key (string) or an array index (integer), got ${JSON.stringify(step)}`);
  return Object.freeze({ kind: "json-path", operand: doc.node, path: Object.freeze([...path]), asText, type });
}

/**
 * The JSON value at a path in a JSON document (`doc -> 'a'`, `doc #> '{a,0}'` on PostgreSQL), as JSON.
 *
 * ```ts
 * import { jsonPath } from "crucible/postgresql";
 * select(jsonPath(docs.c.body, ["tags", 0]));   // body #> '{tags,0}'
 * ```
 */
export function jsonPath<T = unknown>(doc: ColumnElement<any, any>, path: readonly JsonPathStep[]): ColumnElement<T | null> {
  const type = JsonType<T>() as SqlType<unknown>;
  return new ColumnElement(pathNode(doc, path, false, type), type) as ColumnElement<T | null>;
}

/**
 * The value at a path in a JSON document as text (`doc ->> 'a'`, `doc #>> '{a,b}'` on PostgreSQL): compare it
 * with strings, or cast it.
 *
 * ```ts
 * import { jsonPathText } from "crucible/postgresql";
 * select(docs.c.id).where(jsonPathText(docs.c.body, ["owner", "name"]).eq("sandy"));
 * ```
 */
export function jsonPathText(doc: ColumnElement<any, any>, path: readonly JsonPathStep[]): ColumnElement<string | null> {
  const type = StringType as SqlType<unknown>;
  return new ColumnElement(pathNode(doc, path, true, type), type) as ColumnElement<string | null>;
}
