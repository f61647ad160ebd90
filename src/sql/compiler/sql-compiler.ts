/**
 * The SQL compiler: a visitor over the AST that writes SQL for one dialect. Dialects subclass it and override the
 * few visits that differ (dialects/<name>/compiler.ts). One instance compiles one statement.
 *
 * Placeholders are written as markers while visiting and numbered in textual order at the end, so a dialect may
 * render clauses in any order (CTEs are hoisted, MySQL puts LIMIT where it wants) without breaking `$n` numbering.
 */
import { CompileError } from "../../util/errors.js";
import type {
  AnyNode,
  BindNode,
  CompoundSelectNode,
  CteNode,
  DeleteNode,
  ExprNode,
  FromNode,
  InsertNode,
  NodeKind,
  OnConflictNode,
  SelectableNode,
  SelectNode,
  StatementNode,
  UpdateNode,
} from "../ast/nodes.js";
import type { Column } from "../schema/column.js";
import type { TableObject } from "../schema/table.js";
import type { SqlType } from "../types/sql-type.js";
import { NullType, String as StringType } from "../types/standard.js";
import type { CompiledStatement, ParamRef, ResultColumn, StatementKind } from "./compiled.js";
import type { CompilerDialect } from "./compiler-dialect.js";
import { collectFroms, leafFroms } from "./froms.js";

type Visitors = { [K in NodeKind]: (node: Extract<AnyNode, { kind: K }>) => string };

const MARK_OPEN = "\u0000";
const MARK_CLOSE = "\u0001";
// biome-ignore lint/suspicious/noControlCharactersInRegex: the markers are control characters on purpose (they cannot appear in SQL we write)
const MARKER = /\u0000(\d+)\u0001/g;

/** Precedence of operators, higher binds tighter (as SQLAlchemy's operators._PRECEDENCE). */
const PRECEDENCE: Record<string, number> = {
  OR: 2,
  AND: 3,
  NOT: 4,
  "=": 5,
  "<>": 5,
  "<": 5,
  "<=": 5,
  ">": 5,
  ">=": 5,
  IS: 5,
  "IS NOT": 5,
  "IS DISTINCT FROM": 5,
  "IS NOT DISTINCT FROM": 5,
  IN: 5,
  "NOT IN": 5,
  LIKE: 5,
  "NOT LIKE": 5,
  ILIKE: 5,
  "NOT ILIKE": 5,
  BETWEEN: 5,
  "||": 6,
  "+": 7,
  "-": 7,
  "&": 7,
  "|": 7,
  "*": 8,
  "/": 8,
  "%": 8,
};
const ATOM = 100;

/** A frame per SELECT being compiled: the FROM elements it provides, for correlation of nested SELECTs. */
interface SelectFrame {
  readonly froms: Set<FromNode>;
}

export interface CompileOptions {
  /** Bound values are rendered inline as literals (DDL, offline migration SQL). */
  readonly literalBinds?: boolean;
  /** Column references without their table (CHECK constraints and index expressions in DDL). */
  readonly unqualified?: boolean;
}

/**
 * The SQL compiler: a visitor over the AST with one method per node kind (a new kind without a visit is a
 * compile error). Dialects subclass it for their spellings; `dialect.createCompiler()` makes one per statement. Most
 * code never uses it directly: the engine compiles through the statement cache.
 *
 * ```ts
 * class MyCompiler extends SqlCompiler {
 *   protected override limitOffset(limit: ExprNode | null, offset: ExprNode | null): string {
 *     return super.limitOffset(limit, offset);
 *   }
 * }
 * ```
 */
export class SqlCompiler {
  protected readonly paramRefs: ParamRef[] = [];
  protected readonly ctes = new Map<string, string>();
  protected ctesRecursive = false;
  protected readonly frames: SelectFrame[] = [];
  /** Render column references with their table (false inside INSERT column lists, SET, RETURNING). */
  protected qualify = true;
  /** In ORDER BY / GROUP BY: labels render as their name. */
  protected labelsAsNames = false;
  protected resultColumns: ResultColumn[] | null = null;
  protected autoincrementColumn: Column<unknown> | null = null;
  /** Column SQL the next visited SELECT appends to its list (client-side defaults of an INSERT ... SELECT). */
  protected extraSelectColumns: string[] | null = null;
  private readonly visitors: Visitors;

  constructor(
    readonly dialect: CompilerDialect,
    /** Position of each bind in the statement's cache-key traversal (see cache-key.ts). */
    protected readonly bindIndex: ReadonlyMap<BindNode, number>,
    protected readonly options: CompileOptions = {},
  ) {
    if (options.unqualified) this.qualify = false;
    this.visitors = {
      column: (n) => this.visitColumn(n),
      bind: (n) => this.visitBind(n),
      null: () => "NULL",
      boolean: (n) => this.visitBooleanLiteral(n.value),
      binary: (n) => this.visitBinary(n),
      unary: (n) => this.visitUnary(n),
      "boolean-list": (n) => this.visitBooleanList(n),
      function: (n) => this.visitFunction(n),
      cast: (n) => `CAST(${this.process(n.operand)} AS ${this.dialect.typeImpl(n.type).cast})`,
      case: (n) => this.visitCase(n),
      label: (n) => this.visitLabel(n),
      over: (n) => this.visitOver(n),
      between: (n) => `${this.wrap(n.operand, 5)} ${n.negate ? "NOT BETWEEN" : "BETWEEN"} ${this.wrap(n.low, 6)} AND ${this.wrap(n.high, 6)}`,
      tuple: (n) => `(${n.items.map((i) => this.process(i)).join(", ")})`,
      "scalar-subquery": (n) => `(${this.compileNested(n.select, true)})`,
      exists: (n) => `EXISTS (${this.compileNested(n.select, true)})`,
      "order-by": (n) => this.visitOrderBy(n),
      text: (n) => this.visitText(n),
      "json-path": (n) => this.visitJsonPath(n),
      star: (n) => (n.from ? `${this.fromName(n.from)}.*` : "*"),
      excluded: (n) => this.visitExcluded(n.name),
      table: (n) => this.tableName(n as TableObject),
      alias: (n) => `${this.tableName(n.element as TableObject)} AS ${this.dialect.quoteIdentifier(n.name)}`,
      subquery: (n) => `${n.lateral ? this.lateralKeyword() : ""}(${this.compileNested(n.select, n.lateral)}) AS ${this.dialect.quoteIdentifier(n.name)}`,
      cte: (n) => this.visitCte(n),
      join: (n) => this.visitJoin(n),
      select: (n) => this.visitSelect(n, false),
      compound: (n) => this.visitCompound(n),
      insert: (n) => this.visitInsert(n),
      update: (n) => this.visitUpdate(n),
      delete: (n) => this.visitDelete(n),
      "on-conflict": (n) => this.visitOnConflict(n),
    };
  }

  /** Renders any node. */
  process(node: AnyNode): string {
    const visit = this.visitors[node.kind] as ((n: AnyNode) => string) | undefined;
    if (!visit) throw new CompileError(`the ${this.dialect.name} compiler has no visit for a node of kind "${(node as { kind: string }).kind}"`);
    return visit(node);
  }

  /** Compiles a whole statement. */
  compile(node: StatementNode): CompiledStatement {
    let body = this.process(node);
    if (node.kind === "text" && node.columns)
      this.resultColumns = node.columns.map((c) => ({ name: c.name, type: c.type, process: this.dialect.typeImpl(c.type).result }));
    if (this.ctes.size > 0) body = this.withClause(node, body);
    return this.finish(body, statementKind(node), node);
  }

  /** Compiles an expression alone to SQL text (DDL, with literal binds). */
  compileExpression(node: ExprNode): string {
    return this.compileFragment(node).sql;
  }

  /** Compiles any node (an expression, a FROM element) with its parameters, as a statement would be. */
  compileFragment(node: AnyNode): CompiledStatement {
    let body = this.process(node);
    if (this.ctes.size > 0) body = `WITH ${this.ctesRecursive ? "RECURSIVE " : ""}${[...this.ctes.values()].join(", ")} ${body}`;
    return this.finish(body, "text", null);
  }

  protected withClause(_node: StatementNode, body: string): string {
    return `WITH ${this.ctesRecursive ? "RECURSIVE " : ""}${[...this.ctes.values()].join(", ")} ${body}`;
  }

  protected finish(body: string, kind: StatementKind, node: StatementNode | null): CompiledStatement {
    const parts: string[] = [];
    const params: ParamRef[] = [];
    let last = 0;
    for (const m of body.matchAll(MARKER)) {
      parts.push(body.slice(last, m.index));
      params.push(this.paramRefs[Number(m[1])]);
      last = (m.index as number) + m[0].length;
    }
    parts.push(body.slice(last));
    const hasExpanding = params.some((p) => p.expanding);
    let sql = parts[0];
    if (!hasExpanding) for (let i = 0; i < params.length; i++) sql += this.dialect.placeholder(i) + parts[i + 1];
    const cols = this.resultColumns;
    const isBig = (t: SqlType<unknown>): boolean => t.kind === "biginteger" || (t.kind === "custom" && !!t.options.impl && isBig(t.options.impl));
    const bigintColumns = cols?.some((c) => isBig(c.type)) ? cols.map((c) => isBig(c.type)) : null;
    const rowProcessors = (cols ?? []).flatMap((c, i) => (c.process ? [[i, c.process] as const] : []));
    return {
      sql,
      parts,
      params,
      hasExpanding,
      kind,
      bigintColumns,
      rowProcessors,
      compiledAt: Date.now(),
      returnsRows: this.resultColumns !== null || (node?.kind === "text" && /^\s*(select|with|values|pragma|show|explain|describe)\b/i.test(node.parts[0])),
      resultColumns: this.resultColumns,
      autoincrementColumn: this.autoincrementColumn,
      dialectName: this.dialect.name,
    };
  }

  // ---------------------------------------------------------------- expressions

  protected visitColumn(n: Extract<AnyNode, { kind: "column" }>): string {
    const name = this.dialect.quoteIdentifier(n.name);
    if (!this.qualify || n.from === null) return name;
    return `${this.fromName(n.from)}.${name}`;
  }

  /** The name a FROM element is referred to by in column references. */
  protected fromName(from: FromNode): string {
    switch (from.kind) {
      case "table":
        return this.tableName(from as TableObject);
      case "join":
        throw new CompileError("a column cannot belong to a join");
      default:
        return this.dialect.quoteIdentifier(from.name);
    }
  }

  protected tableName(t: { readonly name: string; readonly schema: string | null }): string {
    const name = this.dialect.quoteIdentifier(t.name);
    return t.schema ? `${this.dialect.quoteIdentifier(t.schema)}.${name}` : name;
  }

  protected visitBind(n: BindNode): string {
    if (this.options.literalBinds) {
      if (n.value === undefined) throw new CompileError(`parameter :${n.key} has no value to render as a literal`);
      if (n.expanding) {
        const values = n.value as unknown[];
        if (values.length === 0) return this.dialect.emptyInListOf?.(n.type) ?? this.dialect.emptyInList;
        return `(${values.map((v) => this.dialect.renderLiteral(v, n.type)).join(", ")})`;
      }
      return this.dialect.renderLiteral(n.value, n.type);
    }
    const index = this.bindIndex.get(n);
    if (index === undefined) throw new CompileError("internal error: a bound parameter was not seen by the cache key traversal");
    return this.addParam({
      index,
      key: n.key,
      columnDefault: null,
      process: this.dialect.typeImpl(n.type).bind,
      expanding: n.expanding,
      tuple: null,
      type: n.type,
    });
  }

  /** Registers a parameter and returns its marker. */
  protected addParam(ref: ParamRef): string {
    this.paramRefs.push(ref);
    return `${MARK_OPEN}${this.paramRefs.length - 1}${MARK_CLOSE}`;
  }

  protected visitBooleanLiteral(value: boolean): string {
    if (this.dialect.capabilities.nativeBoolean) return value ? "true" : "false";
    return value ? "1" : "0";
  }

  /** Precedence of a node when it appears as an operand. */
  protected precedence(n: ExprNode): number {
    switch (n.kind) {
      case "binary":
        return PRECEDENCE[n.operator] ?? 5;
      case "boolean-list":
        return n.items.length === 1 ? ATOM : PRECEDENCE[n.operator];
      case "unary":
        return n.operator === "NOT" ? PRECEDENCE.NOT : ATOM;
      case "between":
        return 5;
      default:
        return ATOM;
    }
  }

  /** Renders an operand, in parentheses when it binds looser than `parent` (or as loose, for `strict`). */
  protected wrap(n: ExprNode, parent: number, strict = false): string {
    const sql = this.process(n);
    const p = this.precedence(n);
    return p < parent || (strict && p === parent) ? `(${sql})` : sql;
  }

  protected visitBinary(n: Extract<AnyNode, { kind: "binary" }>): string {
    const op = n.operator;
    const p = PRECEDENCE[op] ?? 5;
    if ((op === "IN" || op === "NOT IN") && n.right.kind === "bind" && n.right.expanding) return this.visitInList(n);
    if (op === "ILIKE" || op === "NOT ILIKE") return this.visitIlike(n);
    if (op === "IS DISTINCT FROM" || op === "IS NOT DISTINCT FROM") return this.visitDistinctFrom(n);
    if (op === "||") return this.visitConcat(n);
    const left = this.wrap(n.left, p, false);
    // Right operands of non-associative operators (a - (b - c), a = (b = c)) need parentheses at equal precedence.
    const right = this.wrap(n.right, p, op !== "+" && op !== "*");
    return `${left} ${op} ${right}${this.escapeClause(n.escape)}`;
  }

  /** `x IN (?, ?, ...)`, expanded at execution; tuples get per-position processors. */
  protected visitInList(n: Extract<AnyNode, { kind: "binary" }>): string {
    const left = this.wrap(n.left, 5);
    const bindNode = n.right as BindNode;
    let marker: string;
    if (n.left.kind === "tuple" && !this.options.literalBinds) {
      const index = this.bindIndex.get(bindNode);
      if (index === undefined) throw new CompileError("internal error: IN list not seen by the cache key traversal");
      const types = n.left.items.map((i) => nodeType(i));
      marker = this.addParam({
        index,
        key: bindNode.key,
        columnDefault: null,
        process: null,
        expanding: true,
        tuple: types.map((t) => (t ? this.dialect.typeImpl(t).bind : null)),
        type: bindNode.type,
      });
    } else {
      marker = this.visitBind(bindNode);
    }
    return `${left} ${n.operator} ${marker}`;
  }

  /** Case-insensitive LIKE; dialects with ILIKE override. */
  protected visitIlike(n: Extract<AnyNode, { kind: "binary" }>): string {
    const op = n.operator === "ILIKE" ? "LIKE" : "NOT LIKE";
    return `lower(${this.process(n.left)}) ${op} lower(${this.process(n.right)})${this.escapeClause(n.escape)}`;
  }

  protected escapeClause(escape: string | null): string {
    return escape === null ? "" : ` ESCAPE ${this.dialect.renderLiteral(escape, StringType as SqlType<unknown>)}`;
  }

  protected visitDistinctFrom(n: Extract<AnyNode, { kind: "binary" }>): string {
    return `${this.wrap(n.left, 5)} ${n.operator} ${this.wrap(n.right, 5, true)}`;
  }

  protected visitConcat(n: Extract<AnyNode, { kind: "binary" }>): string {
    return `${this.wrap(n.left, 6)} || ${this.wrap(n.right, 6, true)}`;
  }

  protected visitUnary(n: Extract<AnyNode, { kind: "unary" }>): string {
    switch (n.operator) {
      case "NOT":
        return `NOT ${this.wrap(n.operand, ATOM)}`;
      case "-":
        return `-${this.wrap(n.operand, ATOM)}`;
      case "DISTINCT":
        return `DISTINCT ${this.process(n.operand)}`;
    }
  }

  protected visitBooleanList(n: Extract<AnyNode, { kind: "boolean-list" }>): string {
    const p = PRECEDENCE[n.operator];
    return n.items.map((i) => this.wrap(i, p)).join(` ${n.operator} `);
  }

  protected visitFunction(n: Extract<AnyNode, { kind: "function" }>): string {
    const args = n.args.length === 0 && n.name === "count" ? "*" : n.args.map((a) => this.process(a)).join(", ");
    const call = `${this.functionName(n.name)}(${n.distinct ? "DISTINCT " : ""}${args})`;
    if (!n.filter) return call;
    if (this.dialect.capabilities.aggregateFilter) return `${call} FILTER (WHERE ${this.process(n.filter)})`;
    // Emulation: agg(CASE WHEN cond THEN x END); count(*) counts the matching rows.
    const cond = this.process(n.filter);
    const inner = n.args.length === 0 ? "1" : this.process(n.args[0]);
    return `${this.functionName(n.name)}(${n.distinct ? "DISTINCT " : ""}CASE WHEN ${cond} THEN ${inner} END)`;
  }

  /** The SQL spelling of a function name (dialects map `now` etc.). */
  protected functionName(name: string): string {
    return name;
  }

  protected visitCase(n: Extract<AnyNode, { kind: "case" }>): string {
    let sql = "CASE";
    if (n.value) sql += ` ${this.process(n.value)}`;
    for (const [cond, value] of n.whens) sql += ` WHEN ${this.process(cond)} THEN ${this.process(value)}`;
    if (n.else) sql += ` ELSE ${this.process(n.else)}`;
    return `${sql} END`;
  }

  protected visitLabel(n: Extract<AnyNode, { kind: "label" }>): string {
    if (this.labelsAsNames) return this.dialect.quoteIdentifier(n.name);
    return this.process(n.element);
  }

  protected visitOver(n: Extract<AnyNode, { kind: "over" }>): string {
    const parts: string[] = [];
    if (n.partitionBy.length) parts.push(`PARTITION BY ${n.partitionBy.map((p) => this.process(p)).join(", ")}`);
    if (n.orderBy.length) parts.push(`ORDER BY ${n.orderBy.map((p) => this.process(p)).join(", ")}`);
    if (n.frame) {
      const bound = (b: number | null, start: boolean) =>
        b === null ? (start ? "UNBOUNDED PRECEDING" : "UNBOUNDED FOLLOWING") : b === 0 ? "CURRENT ROW" : b < 0 ? `${-b} PRECEDING` : `${b} FOLLOWING`;
      parts.push(`${n.frame.mode} BETWEEN ${bound(n.frame.start, true)} AND ${bound(n.frame.end, false)}`);
    }
    return `${this.process(n.element)} OVER (${parts.join(" ")})`;
  }

  protected visitOrderBy(n: Extract<AnyNode, { kind: "order-by" }>): string {
    let sql = this.process(n.element);
    if (n.direction) sql += ` ${n.direction}`;
    if (n.nulls) sql = this.nullsOrdering(sql, n.element, n.nulls, n.direction);
    return sql;
  }

  /** `NULLS FIRST/LAST`, or an emulation `CASE WHEN x IS NULL THEN 0 ELSE 1 END, x` where there is none. */
  protected nullsOrdering(sql: string, element: ExprNode, nulls: "FIRST" | "LAST", _direction: "ASC" | "DESC" | null): string {
    if (this.dialect.capabilities.nullsOrdering) return `${sql} NULLS ${nulls}`;
    const e = this.process(element);
    return `CASE WHEN ${e} IS NULL THEN ${nulls === "FIRST" ? 0 : 1} ELSE ${nulls === "FIRST" ? 1 : 0} END, ${sql}`;
  }

  protected visitText(n: Extract<AnyNode, { kind: "text" }>): string {
    let sql = n.parts[0];
    for (let i = 0; i < n.binds.length; i++) sql += this.visitBind(n.binds[i]) + n.parts[i + 1];
    return sql;
  }

  protected visitJsonPath(_n: Extract<AnyNode, { kind: "json-path" }>): string {
    throw new CompileError(`JSON path expressions are not supported by the ${this.dialect.name} dialect`);
  }

  protected visitExcluded(name: string): string {
    if (this.dialect.capabilities.upsert !== "on-conflict")
      throw new CompileError(`excluded columns (upserts) are not supported by the ${this.dialect.name} dialect`);
    return `excluded.${this.dialect.quoteIdentifier(name)}`;
  }

  protected lateralKeyword(): string {
    if (!this.dialect.capabilities.lateral) throw new CompileError(`LATERAL subqueries are not supported by the ${this.dialect.name} dialect`);
    return "LATERAL ";
  }

  // ---------------------------------------------------------------- FROM

  protected visitCte(n: CteNode): string {
    const name = this.dialect.quoteIdentifier(n.name);
    if (!this.ctes.has(n.name)) {
      this.ctes.set(n.name, ""); // reserve the name first: the body may refer to itself (recursive)
      if (n.recursive) this.ctesRecursive = true;
      const body = this.compileNested(n.select, false);
      const cols = n.columnNames ? `(${n.columnNames.map((c) => this.dialect.quoteIdentifier(c)).join(", ")})` : "";
      // Re-insert so dependencies registered while compiling the body come first.
      this.ctes.delete(n.name);
      this.ctes.set(n.name, `${name}${cols} AS (${body})`);
    }
    return name;
  }

  protected visitJoin(n: Extract<AnyNode, { kind: "join" }>): string {
    if (n.type === "FULL" && !this.dialect.capabilities.fullOuterJoin)
      throw new CompileError(`FULL OUTER JOIN is not supported by the ${this.dialect.name} dialect; use a UNION of two LEFT JOINs`);
    const kw = n.type === "INNER" ? "JOIN" : n.type === "LEFT" ? "LEFT OUTER JOIN" : "FULL OUTER JOIN";
    return `${this.process(n.left)} ${kw} ${this.process(n.right)} ON ${this.process(n.on)}`;
  }

  // ---------------------------------------------------------------- SELECT

  /** Compiles a SELECT nested in another statement; `correlate` lets it refer to the enclosing FROMs. */
  protected compileNested(node: SelectableNode, correlate: boolean): string {
    const savedQualify = this.qualify;
    const savedLabels = this.labelsAsNames;
    const savedResult = this.resultColumns;
    this.qualify = true;
    this.labelsAsNames = false;
    try {
      if (node.kind === "select") return this.visitSelect(node, true, correlate);
      return this.process(node);
    } finally {
      this.qualify = savedQualify;
      this.labelsAsNames = savedLabels;
      this.resultColumns = savedResult;
    }
  }

  protected visitSelect(n: SelectNode, nested: boolean, correlate = false): string {
    // Taken by this SELECT only, not by SELECTs nested in it.
    const extra = this.extraSelectColumns;
    this.extraSelectColumns = null;
    const explicit = n.from;
    const covered = new Set<FromNode>();
    for (const f of explicit) for (const leaf of leafFroms(f)) covered.add(leaf);
    let implicit = collectFroms([...n.columns, n.where, ...n.groupBy, n.having, ...n.orderBy]).filter((f) => !covered.has(f));
    if (nested) {
      const outer = new Set<FromNode>();
      if (correlate) for (const fr of this.frames) for (const f of fr.froms) outer.add(f);
      for (const f of n.correlate ?? []) outer.add(f);
      const remaining = implicit.filter((f) => !outer.has(f));
      if (remaining.length > 0 || explicit.length > 0) implicit = remaining;
    }
    const froms = [...explicit, ...implicit];
    const frame: SelectFrame = { froms: new Set([...covered, ...implicit]) };
    this.frames.push(frame);
    try {
      let sql = "SELECT ";
      if (n.distinctOn.length > 0) sql += this.distinctOn(n.distinctOn);
      else if (n.distinct) sql += "DISTINCT ";
      sql += this.selectColumns(n, nested);
      if (extra) sql += extra.map((e) => `, ${e}`).join("");
      if (froms.length > 0) sql += ` FROM ${froms.map((f) => this.process(f)).join(", ")}`;
      else sql += this.emptyFrom();
      if (n.where) sql += ` WHERE ${this.process(n.where)}`;
      if (n.groupBy.length) sql += ` GROUP BY ${this.withLabelNames(() => n.groupBy.map((g) => this.process(g)).join(", "))}`;
      if (n.having) sql += ` HAVING ${this.process(n.having)}`;
      if (n.orderBy.length) sql += ` ORDER BY ${this.withLabelNames(() => n.orderBy.map((o) => this.process(o)).join(", "))}`;
      sql += this.limitOffset(n.limit, n.offset);
      if (n.forUpdate) sql += this.forUpdateClause(n);
      if (!nested) {
        this.resultColumns = n.columns.map((c, i) => {
          const el = n.elements.find((e) => i >= e.start && i < e.start + e.count);
          const type = nodeType(c) ?? (this.nullType() as SqlType<unknown>);
          return { name: el && el.count === 1 ? el.name : null, type, process: this.dialect.typeImpl(type).result };
        });
      }
      return sql;
    } finally {
      this.frames.pop();
    }
  }

  /** FROM for a SELECT with no FROM elements (MySQL needs nothing, Oracle would need DUAL). */
  protected emptyFrom(): string {
    return "";
  }

  protected nullType(): SqlType<unknown> {
    return NullType as SqlType<unknown>;
  }

  protected withLabelNames(fn: () => string): string {
    const saved = this.labelsAsNames;
    this.labelsAsNames = true;
    try {
      return fn();
    } finally {
      this.labelsAsNames = saved;
    }
  }

  protected selectColumns(n: SelectNode, nested: boolean): string {
    return n.columns
      .map((c, i) => {
        const sql = this.process(c);
        if (c.kind === "label") return `${sql} AS ${this.dialect.quoteIdentifier(c.name)}`;
        // Inside a subquery every column needs a name the outer query can use.
        if (nested && c.kind !== "column" && c.kind !== "star") return `${sql} AS ${this.dialect.quoteIdentifier(`anon_${i + 1}`)}`;
        return sql;
      })
      .join(", ");
  }

  protected distinctOn(exprs: readonly ExprNode[]): string {
    if (!this.dialect.capabilities.distinctOn)
      throw new CompileError(`DISTINCT ON is not supported by the ${this.dialect.name} dialect; use GROUP BY or a window function`);
    return `DISTINCT ON (${exprs.map((e) => this.process(e)).join(", ")}) `;
  }

  protected limitOffset(limit: ExprNode | null, offset: ExprNode | null): string {
    let sql = "";
    if (limit) sql += ` LIMIT ${this.process(limit)}`;
    if (offset) sql += ` OFFSET ${this.process(offset)}`;
    return sql;
  }

  protected forUpdateClause(n: SelectNode): string {
    const f = n.forUpdate;
    if (!f || !this.dialect.capabilities.forUpdate) return "";
    let sql = f.mode === "SHARE" ? " FOR SHARE" : " FOR UPDATE";
    if (f.of.length) sql += ` OF ${f.of.map((o) => this.fromName(o)).join(", ")}`;
    if (f.nowait) sql += " NOWAIT";
    if (f.skipLocked) sql += " SKIP LOCKED";
    return sql;
  }

  protected visitCompound(n: CompoundSelectNode): string {
    if (n.operator.endsWith("ALL") && n.operator !== "UNION ALL" && !this.dialect.capabilities.intersectExceptAll)
      throw new CompileError(`${n.operator} is not supported by the ${this.dialect.name} dialect`);
    const first = n.selects[0];
    const members = n.selects.map((s) => this.compoundMember(s));
    let sql = members.join(` ${n.operator} `);
    // ORDER BY of a compound names result columns, not table columns.
    if (n.orderBy.length) {
      const saved = this.qualify;
      this.qualify = false;
      try {
        sql += ` ORDER BY ${this.withLabelNames(() => n.orderBy.map((o) => this.process(o)).join(", "))}`;
      } finally {
        this.qualify = saved;
      }
    }
    sql += this.limitOffset(n.limit, n.offset);
    if (first.kind === "select" && this.resultColumns === null) {
      this.resultColumns = first.columns.map((c, i) => {
        const el = first.elements.find((e) => i >= e.start && i < e.start + e.count);
        const type = nodeType(c) ?? this.nullType();
        return { name: el && el.count === 1 ? el.name : null, type, process: this.dialect.typeImpl(type).result };
      });
    }
    return sql;
  }

  /** A member of a UNION: bare, or wrapped in a subquery if it has its own ORDER BY / LIMIT. */
  protected compoundMember(s: SelectableNode): string {
    const saved = this.resultColumns;
    const sql = this.compileNested(s, false);
    this.resultColumns = saved;
    if (s.kind === "select" && (s.orderBy.length || s.limit || s.offset)) return `SELECT * FROM (${sql}) AS anon`;
    if (s.kind === "compound") return `SELECT * FROM (${sql}) AS anon`;
    return sql;
  }

  // ---------------------------------------------------------------- DML

  protected unqualified<T>(fn: () => T): T {
    const saved = this.qualify;
    this.qualify = false;
    try {
      return fn();
    } finally {
      this.qualify = saved;
    }
  }

  protected returningClause(items: readonly ExprNode[], what: "insert" | "update" | "delete"): string {
    if (items.length === 0) return "";
    const caps = this.dialect.capabilities;
    const ok = what === "insert" ? caps.insertReturning : what === "update" ? caps.updateReturning : caps.deleteReturning;
    if (!ok)
      throw new CompileError(`${what.toUpperCase()} ... RETURNING is not supported by the ${this.dialect.name} dialect; select the rows in a second statement`);
    this.resultColumns = items.map((c) => {
      const type = nodeType(c) ?? this.nullType();
      return { name: c.kind === "column" ? c.name : c.kind === "label" ? c.name : null, type, process: this.dialect.typeImpl(type).result };
    });
    return ` RETURNING ${this.unqualified(() =>
      items.map((c) => (c.kind === "label" ? `${this.process(c)} AS ${this.dialect.quoteIdentifier(c.name)}` : this.process(c))).join(", "),
    )}`;
  }

  protected visitInsert(n: InsertNode): string {
    const table = n.table as TableObject;
    const given = new Set(n.columns.map((c) => c.name));
    // Client-side defaults of columns the statement leaves out are computed per execution.
    // INSERT ... SELECT takes them as extra SELECT columns (a plain SELECT only; a UNION source gets none).
    const defaults = n.select && n.select.kind !== "select" ? [] : table.columns.filter((c) => c.default !== undefined && !given.has(c.name));
    const colNames = [...n.columns.map((c) => c.name), ...defaults.map((c) => c.name)].map((c) => this.dialect.quoteIdentifier(c));
    let sql = `INSERT INTO ${this.tableName(table)}`;
    if (n.select) {
      this.extraSelectColumns = defaults.map((col) => this.addParam(defaultParam(col, false, this.dialect)));
      sql += ` (${colNames.join(", ")}) ${this.compileNested(n.select, false)}`;
    } else if (colNames.length === 0) {
      sql += this.defaultValues();
    } else {
      const rows = n.rows ?? [[]];
      const values = rows.map((row) => {
        const items = row.map((v) => this.process(v));
        for (const col of defaults) items.push(this.addParam(defaultParam(col, false, this.dialect)));
        return `(${items.join(", ")})`;
      });
      sql += ` (${colNames.join(", ")}) VALUES ${values.join(", ")}`;
    }
    if (n.onConflict) sql += this.process(n.onConflict);
    sql += this.returningClause(n.returning, "insert");
    const pk = table.primaryKeyColumns;
    if (pk.length === 1 && pk[0].autoincrement && !given.has(pk[0].name) && (n.rows?.length ?? 1) === 1 && !n.select) this.autoincrementColumn = pk[0];
    return sql;
  }

  /** An INSERT with no columns at all. */
  protected defaultValues(): string {
    return " DEFAULT VALUES";
  }

  /** `ON CONFLICT ... DO NOTHING | DO UPDATE SET ...` (PostgreSQL, SQLite); dialects with another syntax override. */
  protected visitOnConflict(n: OnConflictNode): string {
    if (n.style !== "on-conflict" || this.dialect.capabilities.upsert !== "on-conflict")
      throw new CompileError(`upserts (${n.style}) are not supported by the ${this.dialect.name} dialect`);
    return this.unqualified(() => {
      let sql = " ON CONFLICT";
      if (n.constraint) sql += ` ON CONSTRAINT ${this.dialect.quoteIdentifier(n.constraint)}`;
      else if (n.target.length) sql += ` (${n.target.map((t) => this.process(t)).join(", ")})`;
      if (n.targetWhere) sql += ` WHERE ${this.process(n.targetWhere)}`;
      if (n.set === null) return `${sql} DO NOTHING`;
      sql += ` DO UPDATE SET ${n.set.map(([c, v]) => `${this.process(c)} = ${this.process(v)}`).join(", ")}`;
      if (n.where) sql += ` WHERE ${this.process(n.where)}`;
      return sql;
    });
  }

  protected visitUpdate(n: UpdateNode): string {
    if (n.set.length === 0) throw new CompileError(`update(${n.table.kind === "table" ? n.table.name : n.table.name}) has no values: call .values({...})`);
    const table = (n.table.kind === "table" ? n.table : n.table.element) as TableObject;
    const setNames = new Set(n.set.map(([c]) => c.name));
    const onUpdates = table.columns.filter((c) => c.onUpdate !== undefined && !setNames.has(c.name));
    // Subqueries in SET and WHERE correlate to the updated table (`SET x = (SELECT ... WHERE a.id = t.id)`).
    return this.inFrame(n.table, () => {
      const sets = n.set.map(([c, v]) => `${this.unqualified(() => this.process(c))} = ${this.process(v)}`);
      for (const col of onUpdates) sets.push(`${this.dialect.quoteIdentifier(col.name)} = ${this.addParam(defaultParam(col, true, this.dialect))}`);
      let sql = `UPDATE ${this.process(n.table)} SET ${sets.join(", ")}`;
      if (n.where) sql += ` WHERE ${this.process(n.where)}`;
      return sql + this.returningClause(n.returning, "update");
    });
  }

  protected visitDelete(n: DeleteNode): string {
    return this.inFrame(n.table, () => {
      let sql = `DELETE FROM ${this.process(n.table)}`;
      if (n.where) sql += ` WHERE ${this.process(n.where)}`;
      return sql + this.returningClause(n.returning, "delete");
    });
  }

  /** Runs `fn` with `from` as an enclosing FROM, so nested SELECTs correlate to it. */
  protected inFrame<T>(from: FromNode, fn: () => T): T {
    this.frames.push({ froms: new Set([from]) });
    try {
      return fn();
    } finally {
      this.frames.pop();
    }
  }
}

function defaultParam(column: Column<unknown>, onUpdate: boolean, dialect: CompilerDialect): ParamRef {
  // A client-side default is a value of the column's type: it goes through the same bind processing as given values.
  const type = column.type as SqlType<unknown>;
  return { index: -1, key: null, columnDefault: { column, onUpdate }, process: dialect.typeImpl(type).bind, expanding: false, tuple: null, type };
}

/** The SQL type of an expression node, if it has one. */
export function nodeType(n: ExprNode): SqlType<unknown> | null {
  switch (n.kind) {
    case "column":
    case "bind":
    case "binary":
    case "function":
    case "cast":
    case "case":
    case "json-path":
    case "excluded":
      return n.type;
    case "label":
      return nodeType(n.element);
    case "over":
      return nodeType(n.element);
    case "unary":
      return n.operator === "NOT" ? null : nodeType(n.operand);
    case "scalar-subquery":
      return n.select.kind === "select" && n.select.columns[0] ? nodeType(n.select.columns[0]) : null;
    default:
      return null;
  }
}

function statementKind(node: StatementNode): StatementKind {
  switch (node.kind) {
    case "select":
    case "compound":
      return "select";
    case "insert":
    case "update":
    case "delete":
      return node.kind;
    case "text":
      return "text";
  }
}
