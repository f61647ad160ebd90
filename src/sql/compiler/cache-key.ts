/**
 * The cache key of a statement: a string describing its shape without its bound values, and the bound values
 * themselves in traversal order. Two statements with the same key compile to the same SQL, so the compiled form is
 * reused and only the values are re-extracted (SQLAlchemy's "SQL compilation caching", learned from
 * sqlalchemy/sql/cache_key.py; our key is a string rather than a tuple).
 */
import { CompileError } from "../../util/errors.js";
import { KEEP, keepAlive } from "../../util/keep-alive.js";
import type { AnyNode, BindNode, ColumnRefNode, ExprNode, NodeKind, OnConflictNode, SelectNode } from "../ast/nodes.js";

export interface StatementKey {
  readonly key: string;
  readonly binds: readonly BindNode[];
}

type KeyVisitor = { [K in NodeKind]: (node: Extract<AnyNode, { kind: K }>, w: KeyWriter) => void };

/** Up to this many binds, a statement's binds are searched in place (see KeyWriter.bindSeen). */
const FEW_BINDS = 16;

/** Accumulates the key; remembers nodes already seen so shared subtrees are keyed once, by back-reference. */
class KeyWriter {
  out = "";
  readonly binds: BindNode[] = [];
  private seen: Map<object, number> | null = null;
  /** True (and writes a back-reference) if this shared node was keyed before. */
  ref(node: object): boolean {
    if (this.seen === null) this.seen = new Map();
    const id = this.seen.get(node);
    if (id !== undefined) {
      this.out += `@${id}`;
      return true;
    }
    this.seen.set(node, this.seen.size);
    return false;
  }
  private bindIds: Map<BindNode, number> | null = null;
  /**
   * True (and writes a back-reference) if this bind was met before in the statement. The binds so far are searched
   * in place while there are few (a query has a handful: no Map per statement); a Map indexes them beyond that.
   */
  bindSeen(node: BindNode): boolean {
    const binds = this.binds;
    let id: number | undefined;
    if (binds.length <= FEW_BINDS) {
      const i = binds.indexOf(node);
      id = i < 0 ? undefined : i;
    } else {
      if (this.bindIds === null) {
        this.bindIds = new Map();
        for (let i = 0; i < binds.length; i++) this.bindIds.set(binds[i], i);
      }
      id = this.bindIds.get(node);
    }
    if (id !== undefined) {
      this.out += `@b${id}`;
      return true;
    }
    if (this.bindIds !== null) this.bindIds.set(node, binds.length);
    return false;
  }
  node(n: AnyNode | null): void {
    if (n === null) {
      this.out += "~";
      return;
    }
    const visit = VISIT[n.kind] as ((node: AnyNode, w: KeyWriter) => void) | undefined;
    if (!visit) throw new CompileError(`cannot compute a cache key for a node of kind "${(n as { kind: string }).kind}"`);
    visit(n, this);
  }
  list(nodes: readonly (AnyNode | null)[]): void {
    if (nodes.length === 0) {
      this.out += "[]";
      return;
    }
    // A frozen list is shared by many statements (the columns of select(Entity)): its key is looked up, not written.
    const frozen = Object.isFrozen(nodes);
    const known = frozen ? LIST_KEYS.get(nodes) : undefined;
    if (typeof known === "string") {
      this.out += known;
      return;
    }
    // A list of table columns has the same key in every statement: it gets a stand-in (the same for an equal list).
    const free = known === undefined && nodes.every(contextFree);
    const before = this.out;
    if (free) this.out = "";
    this.out += "[";
    for (let i = 0; i < nodes.length; i++) {
      this.node(nodes[i]);
      this.out += ",";
    }
    this.out += "]";
    if (free) {
      const id = short(this.out);
      this.out = before + id;
      if (frozen) LIST_KEYS.set(nodes, id);
    } else if (frozen && known === undefined) LIST_KEYS.set(nodes, null);
  }
  /** The SET list of an UPDATE or an upsert. */
  set(pairs: readonly (readonly [ColumnRefNode, ExprNode])[]): void {
    for (const [c, v] of pairs) {
      this.out += `,${c.name}=`;
      this.node(v);
    }
  }
}

/** Keys of frozen (shared) node lists (stand-ins, see short()); null for those whose key depends on the rest of the statement. */
const LIST_KEYS = new WeakMap<readonly (AnyNode | null)[], string | null>();

/**
 * Short stand-ins for long key fragments: a shared column list, a table column, a type, the elements of
 * `select(Entity)`. The whole key is hashed (and its pieces joined) at every cache lookup, so its length is paid for
 * every statement executed: with stand-ins the key of `select(User).where(User.c.name.in(names))` is 48 characters
 * instead of 120, and it is made of fewer pieces. A stand-in is a number between two control characters, given to
 * one fragment only and never reused; the table forgets everything past 10,000 fragments (a fragment then gets a new
 * number: a cache miss, never a wrong hit).
 */
const FRAGMENTS = new Map<string, string>();
let nextFragment = 0;
function short(fragment: string): string {
  let id = FRAGMENTS.get(fragment);
  if (id === undefined) {
    if (FRAGMENTS.size >= 10_000) FRAGMENTS.clear();
    id = `\u0001${(nextFragment++).toString(36)}\u0002`;
    FRAGMENTS.set(fragment, id);
  }
  return id;
}

/** Stand-ins of columns whose key is the same in every statement (see contextFree), by node. */
const COLUMN_KEYS = new WeakMap<ColumnRefNode, string>();

/**
 * A node whose key is the same in every statement: a column of a table or of a named alias. Binds are numbered and
 * subqueries and CTEs written by back-reference within one statement, so lists holding them are keyed every time.
 */
function contextFree(n: AnyNode | null): boolean {
  return n !== null && n.kind === "column" && (n.from === null || n.from.kind === "table" || n.from.kind === "alias");
}

const VISIT: KeyVisitor = {
  column(n, w) {
    const known = COLUMN_KEYS.get(n);
    if (known !== undefined) {
      w.out += known;
      return;
    }
    const free = contextFree(n);
    const before = w.out;
    if (free) w.out = "";
    w.out += `c(${JSON.stringify(n.name)}`;
    if (n.from) {
      w.out += ":";
      w.node(n.from);
    }
    w.out += ")";
    if (free) {
      const id = short(w.out);
      w.out = before + id;
      COLUMN_KEYS.set(n, id);
    }
  },
  bind(n, w) {
    if (w.bindSeen(n)) return;
    w.binds.push(n);
    const t = short(n.type.cacheKey);
    w.out += n.expanding ? `bx${t}` : n.key !== null ? `b:${JSON.stringify(n.key)}${t}` : `b${t}`;
  },
  null(_n, w) {
    w.out += "N";
  },
  boolean(n, w) {
    w.out += n.value ? "T" : "F";
  },
  binary(n, w) {
    w.out += `(${n.operator}${n.escape ?? ""}${short(n.type.cacheKey)} `;
    w.node(n.left);
    w.out += " ";
    w.node(n.right);
    w.out += ")";
  },
  unary(n, w) {
    w.out += `u${n.operator}(`;
    w.node(n.operand);
    w.out += ")";
  },
  "boolean-list"(n, w) {
    w.out += n.operator;
    w.list(n.items);
  },
  function(n, w) {
    w.out += `f:${n.name}${n.distinct ? "!" : ""}${n.type.cacheKey}`;
    w.list(n.args);
    if (n.filter) {
      w.out += "filter";
      w.node(n.filter);
    }
  },
  cast(n, w) {
    w.out += `cast${n.type.cacheKey}(`;
    w.node(n.operand);
    w.out += ")";
  },
  case(n, w) {
    w.out += `case${n.type.cacheKey}(`;
    w.node(n.value);
    for (const [c, v] of n.whens) {
      w.node(c);
      w.out += "=>";
      w.node(v);
      w.out += ";";
    }
    w.node(n.else);
    w.out += ")";
  },
  label(n, w) {
    w.out += `l:${JSON.stringify(n.name)}(`;
    w.node(n.element);
    w.out += ")";
  },
  over(n, w) {
    w.out += "over(";
    w.node(n.element);
    w.list(n.partitionBy);
    w.list(n.orderBy);
    if (n.frame) w.out += `${n.frame.mode}${n.frame.start},${n.frame.end}`;
    w.out += ")";
  },
  between(n, w) {
    w.out += n.negate ? "!btw(" : "btw(";
    w.list([n.operand, n.low, n.high]);
    w.out += ")";
  },
  tuple(n, w) {
    w.out += "tuple";
    w.list(n.items);
  },
  "scalar-subquery"(n, w) {
    w.out += "ss(";
    w.node(n.select);
    w.out += ")";
  },
  exists(n, w) {
    w.out += "exists(";
    w.node(n.select);
    w.out += ")";
  },
  "order-by"(n, w) {
    w.out += `o${n.direction ?? ""}${n.nulls ?? ""}(`;
    w.node(n.element);
    w.out += ")";
  },
  text(n, w) {
    w.out += `text${JSON.stringify(n.parts)}`;
    for (const b of n.binds) w.node(b);
    if (n.columns) for (const c of n.columns) w.out += `|${JSON.stringify(c.name)}${c.type.cacheKey}`;
  },
  "json-path"(n, w) {
    w.out += `json${n.asText ? "T" : ""}${JSON.stringify(n.path)}${n.type.cacheKey}(`;
    w.node(n.operand);
    w.out += ")";
  },
  star(n, w) {
    w.out += "*";
    if (n.from) w.node(n.from);
  },
  excluded(n, w) {
    w.out += `excluded:${n.name}`;
  },
  table(n, w) {
    w.out += `T${n.id}`;
  },
  alias(n, w) {
    w.out += `A${JSON.stringify(n.name)}:T${n.element.id}`;
  },
  subquery(n, w) {
    if (w.ref(n)) return;
    w.out += `S${n.lateral ? "L" : ""}${JSON.stringify(n.name)}(`;
    w.node(n.select);
    w.out += ")";
  },
  cte(n, w) {
    if (w.ref(n)) return;
    w.out += `W${n.recursive ? "R" : ""}${JSON.stringify(n.name)}${n.columnNames ? JSON.stringify(n.columnNames) : ""}(`;
    w.node(n.select);
    w.out += ")";
  },
  join(n, w) {
    w.out += `J${n.type}(`;
    w.node(n.left);
    w.out += ",";
    w.node(n.right);
    w.out += " on ";
    w.node(n.on);
    w.out += ")";
  },
  select: selectKey,
  compound(n, w) {
    w.out += `${n.operator}(`;
    w.list(n.selects);
    w.list(n.orderBy);
    w.node(n.limit);
    w.node(n.offset);
    w.out += ")";
  },
  insert(n, w) {
    w.out += `INS(T${n.table.id}`;
    for (const c of n.columns) w.out += `,${c.name}`;
    if (n.rows) {
      w.out += `|${n.rows.length}`;
      for (const r of n.rows) w.list(r);
    }
    if (n.select) w.node(n.select);
    w.list(n.returning);
    if (n.onConflict) onConflictKey(n.onConflict, w);
    w.out += ")";
  },
  update(n, w) {
    w.out += "UPD(";
    w.node(n.table);
    w.set(n.set);
    w.out += " where ";
    w.node(n.where);
    w.list(n.returning);
    w.out += ")";
  },
  delete(n, w) {
    w.out += "DEL(";
    w.node(n.table);
    w.out += " where ";
    w.node(n.where);
    w.list(n.returning);
    w.out += ")";
  },
  "on-conflict": onConflictKey,
};

function onConflictKey(n: OnConflictNode, w: KeyWriter): void {
  w.out += `OC${n.style}:${n.constraint ?? ""}`;
  w.list(n.target);
  w.node(n.targetWhere);
  if (n.set) w.set(n.set);
  else w.out += "nothing";
  w.node(n.where);
}

function annotationKey(name: string, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return `[${value.map((v) => annotationKey(name, v)).join(",")}]`;
  if (typeof value === "object") {
    const ck = (value as { cacheKey?: unknown }).cacheKey;
    if (typeof ck === "string") return ck;
    throw new CompileError(
      `the statement annotation "${name}" holds an object without a cacheKey; give every object passed to annotate() or options() a cacheKey string`,
    );
  }
  return String(value);
}

/** Stand-ins of frozen (shared) element lists: `select(Entity)`'s. */
const ELEMENT_KEYS = new WeakMap<SelectNode["elements"], string>();

/** The key of a SELECT's elements (names, column spans, entities). */
function elementsKey(elements: SelectNode["elements"]): string {
  const known = ELEMENT_KEYS.get(elements);
  if (known !== undefined) return known;
  let out = "";
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i];
    const ek = e.entity ? ((e.entity as { cacheKey?: string }).cacheKey ?? "?") : "";
    out += `${JSON.stringify(e.name ?? "")}:${e.start}:${e.count}:${ek};`;
  }
  const id = short(out);
  if (Object.isFrozen(elements)) ELEMENT_KEYS.set(elements, id);
  return id;
}

function selectKey(n: SelectNode, w: KeyWriter): void {
  w.out += "SEL(";
  if (n.distinct) w.out += "D";
  w.list(n.distinctOn);
  w.list(n.columns);
  w.out += elementsKey(n.elements);
  w.out += "from";
  w.list(n.from);
  w.out += "where";
  w.node(n.where);
  w.list(n.groupBy);
  w.node(n.having);
  w.list(n.orderBy);
  w.node(n.limit);
  w.node(n.offset);
  if (n.forUpdate) {
    const f = n.forUpdate;
    w.out += `FU${f.mode}${f.nowait ? "N" : ""}${f.skipLocked ? "S" : ""}`;
    w.list(f.of);
  }
  if (n.correlate) w.list(n.correlate);
  // Indexed loops: a cold for-of makes an iterator result per item (this runs for every statement executed).
  const names = Object.keys(n.annotations);
  for (let i = 0; i < names.length; i++) w.out += `{${names[i]}=${annotationKey(names[i], n.annotations[names[i]])}}`;
  w.out += ")";
}

/**
 * Computes the cache key and bound values of a statement (or expression).
 *
 * ```ts
 * const { key, binds } = statementKey(select(users.c.id).where(users.c.name.eq("x")).node);
 * ```
 */
export function statementKey(node: AnyNode | ExprNode): StatementKey {
  const w = new KeyWriter();
  w.node(node as AnyNode);
  const key = { key: w.out, binds: w.binds };
  keepAlive(KEEP.keyWriter, w);
  keepAlive(KEEP.statementKey, key);
  return key;
}
