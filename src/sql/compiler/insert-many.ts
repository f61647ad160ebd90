/**
 * Multi-row INSERT from a compiled single-row one: the VALUES group repeated, placeholders numbered on. SQLAlchemy's
 * "insertmanyvalues" renders its batches the same way. Compiling 1,000 rows through the AST visits every one of
 * their bind nodes (milliseconds while the compiler is cold); this is string work only, and gives the same SQL.
 */
import { type CompiledStatement, type ParamRef, type PlaceholderStyle, unnumbered } from "./compiled.js";

/** Index just past the `)` that closes the group opened before `text` (at depth `depth`), or -1. */
function closingParen(text: string, depth: number): number {
  let d = depth;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(") d++;
    else if (ch === ")" && --d === 0) return i + 1;
  }
  return -1;
}

/** Open minus closed parentheses in `text`. */
function parenBalance(text: string): number {
  let d = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(") d++;
    else if (ch === ")") d--;
  }
  return d;
}

/**
 * The `rows`-row form of `one`, a compiled `INSERT ... VALUES (...)` whose parameters are exactly its values in
 * positional order (bind `i` at position `i`): null when it is not such a statement (then compile all rows).
 *
 * ```ts
 * const many = repeatInsertRows(compiledOneRow, 1000, dialect); // INSERT ... VALUES (?, ?), (?, ?), ...
 * ```
 */
export function repeatInsertRows(one: CompiledStatement, rows: number, style: PlaceholderStyle): CompiledStatement | null {
  const k = one.params.length;
  if (rows === 1) return one;
  if (one.kind !== "insert" || k === 0 || one.hasExpanding || rows < 1) return null;
  for (let i = 0; i < k; i++) {
    const p = one.params[i];
    if (p.index !== i || p.columnDefault !== null || p.expanding) return null;
  }
  const parts = one.parts;
  // Parentheses are counted, not parsed: a part with quoted text (a literal, a quoted name) goes to the compiler.
  for (let i = 1; i < parts.length; i++) if (/['"`]/.test(parts[i])) return null;
  const first = parts[0];
  const at = first.lastIndexOf(" VALUES (");
  if (at < 0) return null;
  const rowStart = at + " VALUES ".length;
  // The row's own text: from its "(" through the ")" that closes it, which is in the last part.
  const open = [first.slice(rowStart), ...parts.slice(1, k)];
  const depth = open.reduce((d, s) => d + parenBalance(s), 0);
  const last = parts[k];
  const end = closingParen(last, depth);
  if (depth <= 0 || end < 0) return null;
  const close = last.slice(0, end);
  const head = first.slice(0, rowStart) + open[0];
  const between = `${close}, ${open[0]}`;
  const tail = close + last.slice(end);
  // The SQL is all a flush needs; `parts` and `params` (a ParamRef per value: 2,000 objects for a 1,000-row batch of
  // two columns) are made on first read.
  let sql: string;
  if (unnumbered(style)) {
    // Every row reads the same, so the text is one row repeated.
    let row = "";
    for (let j = 1; j < k; j++) row += style.placeholder(0) + open[j];
    row += style.placeholder(0);
    sql = head + (row + between).repeat(rows - 1) + row + tail;
  } else {
    sql = head;
    let position = 0;
    for (let r = 0; r < rows; r++) {
      for (let j = 1; j < k; j++) sql += style.placeholder(position++) + open[j];
      sql += style.placeholder(position++) + (r === rows - 1 ? tail : between);
    }
  }
  const many = { ...one, sql, insertedKey: null };
  lazy(many, "parts", () => {
    const parts: string[] = [head];
    for (let r = 0; r < rows; r++) {
      for (let j = 1; j < k; j++) parts.push(open[j]);
      parts.push(r === rows - 1 ? tail : between);
    }
    return parts;
  });
  lazy(many, "params", () => {
    const params: ParamRef[] = new Array(rows * k);
    for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) params[r * k + j] = r === 0 ? one.params[j] : { ...one.params[j], index: r * k + j };
    return params;
  });
  return many;
}

/** Replaces `obj[key]` with a getter that computes the value on first read and then keeps it. */
function lazy<T extends object, K extends keyof T>(obj: T, key: K, compute: () => T[K]): void {
  Object.defineProperty(obj, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = compute();
      Object.defineProperty(obj, key, { value, enumerable: true });
      return value;
    },
  });
}
