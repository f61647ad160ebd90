/**
 * Multi-row INSERT from a compiled single-row one: the VALUES group repeated, placeholders numbered on. SQLAlchemy's
 * "insertmanyvalues" renders its batches the same way. Compiling 1,000 rows through the AST visits every one of
 * their bind nodes (milliseconds while the compiler is cold); this is string work only, and gives the same SQL.
 */
import type { CompiledStatement, ParamRef, PlaceholderStyle } from "./compiled.js";

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
  const outParts: string[] = [first.slice(0, rowStart) + open[0]];
  for (let r = 0; r < rows; r++) {
    for (let j = 1; j < k; j++) outParts.push(open[j]);
    outParts.push(r === rows - 1 ? close + last.slice(end) : `${close}, ${open[0]}`);
  }
  const params: ParamRef[] = new Array(rows * k);
  for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) params[r * k + j] = r === 0 ? one.params[j] : { ...one.params[j], index: r * k + j };
  let sql = outParts[0];
  for (let i = 0; i < params.length; i++) sql += style.placeholder(i) + outParts[i + 1];
  return { ...one, sql, parts: outParts, params, insertedKey: null };
}
