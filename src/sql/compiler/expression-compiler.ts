/**
 * The first half of the SQL compiler: the visitor's dispatch, the compiler's state, parameters, expressions and FROM
 * elements. `SqlCompiler` (sql-compiler.ts) adds SELECT, compound selects and DML; dialects subclass that.
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
import { String as StringType } from "../types/standard.js";
import type { CompiledStatement, ParamRef, ResultColumn, StatementKind } from "./compiled.js";
import type { CompilerDialect } from "./compiler-dialect.js";
import { ATOM, nodeType, PRECEDENCE, precedenceOf, statementKind } from "./node-info.js";
import { paramMarker, splitAtMarkers } from "./params.js";

type Visitors = { [K in NodeKind]: (node: Extract<AnyNode, { kind: K }>) => string };

/** A frame per SELECT being compiled: the FROM elements it provides, for correlation of nested SELECTs. */
export interface SelectFrame {
  readonly froms: Set<FromNode>;
}

export interface CompileOptions {
  /** Bound values are rendered inline as literals (DDL, offline migration SQL). */
  readonly literalBinds?: boolean;
  /** Column references without their table (CHECK constraints and index expressions in DDL). */
  readonly unqualified?: boolean;
}

/**
 * The part of the compiler shared by every statement: dispatch by node kind, parameters and expressions. Extend
 * `SqlCompiler`, not this class.
 *
 * ```ts
 * class MyCompiler extends SqlCompiler {}
 * ```
 */
export abstract class ExpressionCompiler {
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
  /** A single-row INSERT's primary key: per column, the parameter giving it, "auto" (autoincrement), or null. */
  protected insertedKeyRefs: { columns: Column<unknown>[]; refs: (ParamRef | "auto" | null)[] } | null = null;
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
      between: (n) => {
        const p = PRECEDENCE.BETWEEN;
        return `${this.wrap(n.operand, p)} ${n.negate ? "NOT BETWEEN" : "BETWEEN"} ${this.wrap(n.low, p + 1)} AND ${this.wrap(n.high, p + 1)}`;
      },
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
    if (node.kind === "text" && node.columns) this.resultColumns = node.columns.map((c) => this.resultColumn(c.name, c.type));
    if (this.ctes.size > 0) body = this.withClause(node, body);
    return this.finish(body, statementKind(node), node);
  }

  /** A result column of type `type`, converted by the dialect's result processor for it. */
  protected resultColumn(name: string | null, type: SqlType<unknown>): ResultColumn {
    return { name, type, process: this.dialect.typeImpl(type).result };
  }

  /** Compiles an expression alone to SQL text (DDL, with literal binds). */
  compileExpression(node: ExprNode): string {
    return this.compileFragment(node).sql;
  }

  /** Compiles any node (an expression, a FROM element) with its parameters, as a statement would be. */
  compileFragment(node: AnyNode): CompiledStatement {
    let body = this.process(node);
    if (this.ctes.size > 0) body = this.prependCtes(body);
    return this.finish(body, "text", null);
  }

  /** Puts the WITH clause of a statement's CTEs (MySQL moves it inside an INSERT ... SELECT). */
  protected withClause(_node: StatementNode, body: string): string {
    return this.prependCtes(body);
  }

  /** `WITH [RECURSIVE] a AS (...), ... body`. */
  private prependCtes(body: string): string {
    return `WITH ${this.ctesRecursive ? "RECURSIVE " : ""}${[...this.ctes.values()].join(", ")} ${body}`;
  }

  protected finish(body: string, kind: StatementKind, node: StatementNode | null): CompiledStatement {
    const { parts, params } = splitAtMarkers(body, this.paramRefs);
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
      insertedKey:
        this.insertedKeyRefs === null || hasExpanding
          ? null
          : {
              columns: this.insertedKeyRefs.columns,
              positions: this.insertedKeyRefs.refs.map((r) => (r === "auto" ? -1 : r === null ? null : params.indexOf(r))),
            },
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
    return this.addParam({
      index: this.bindPosition(n),
      key: n.key,
      columnDefault: null,
      process: this.dialect.typeImpl(n.type).bind,
      expanding: n.expanding,
      tuple: null,
      tupleTypes: null,
      type: n.type,
    });
  }

  /** Where a bind stands in the statement's bind list (the cache-key traversal order). */
  private bindPosition(n: BindNode): number {
    const index = this.bindIndex.get(n);
    if (index === undefined) throw new CompileError("internal error: a bound parameter was not seen by the cache key traversal");
    return index;
  }

  /** Registers a parameter and returns its marker. */
  protected addParam(ref: ParamRef): string {
    this.paramRefs.push(ref);
    return paramMarker(this.paramRefs.length - 1);
  }

  protected visitBooleanLiteral(value: boolean): string {
    if (this.dialect.capabilities.nativeBoolean) return value ? "true" : "false";
    return value ? "1" : "0";
  }

  /** Precedence of a node when it appears as an operand. */
  protected precedence(n: ExprNode): number {
    return precedenceOf(n);
  }

  /** Renders an operand, in parentheses when it binds looser than `parent` (or as loose, for `strict`). */
  protected wrap(n: ExprNode, parent: number, strict = false): string {
    const sql = this.process(n);
    const p = this.precedence(n);
    return p < parent || (strict && p === parent) ? `(${sql})` : sql;
  }

  protected visitBinary(n: Extract<AnyNode, { kind: "binary" }>): string {
    const op = n.operator;
    const p = PRECEDENCE[op];
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
    const left = this.wrap(n.left, PRECEDENCE[n.operator]);
    const bindNode = n.right as BindNode;
    let marker: string;
    if (n.left.kind === "tuple" && !this.options.literalBinds) {
      const types = n.left.items.map((i) => nodeType(i));
      marker = this.addParam({
        index: this.bindPosition(bindNode),
        key: bindNode.key,
        columnDefault: null,
        process: null,
        expanding: true,
        tuple: types.map((t) => (t ? this.dialect.typeImpl(t).bind : null)),
        tupleTypes: types,
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
    const p = PRECEDENCE[n.operator];
    return `${this.wrap(n.left, p)} ${n.operator} ${this.wrap(n.right, p, true)}`;
  }

  protected visitConcat(n: Extract<AnyNode, { kind: "binary" }>): string {
    const p = PRECEDENCE["||"];
    return `${this.wrap(n.left, p)} || ${this.wrap(n.right, p, true)}`;
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

  // ---------------------------------------------------------------- statements (SqlCompiler)

  /** Compiles a SELECT nested in another statement; `correlate` lets it refer to the enclosing FROMs. */
  protected abstract compileNested(node: SelectableNode, correlate: boolean): string;
  protected abstract visitSelect(n: SelectNode, nested: boolean, correlate?: boolean): string;
  protected abstract visitCompound(n: CompoundSelectNode): string;
  protected abstract visitInsert(n: InsertNode): string;
  protected abstract visitOnConflict(n: OnConflictNode): string;
  protected abstract visitUpdate(n: UpdateNode): string;
  protected abstract visitDelete(n: DeleteNode): string;
}
