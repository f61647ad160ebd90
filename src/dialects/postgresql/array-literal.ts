/**
 * PostgreSQL array literals (`{1,2,"a b",NULL}`): written for array parameters (so both drivers send the same text
 * and the server casts it to the column's array type), and read where a driver returns an array it has no parser
 * for (arrays of enums, for example).
 */

/** One element of an array literal: quoted unless it is a number; nested arrays become sub-literals. */
function element(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (Array.isArray(v)) return toArrayLiteral(v);
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v ? "t" : "f";
  let s: string;
  if (v instanceof Uint8Array) s = `\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex")}`;
  else if (v instanceof Date) s = v.toISOString();
  else if (typeof v === "object") s = JSON.stringify(v);
  else s = String(v);
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * A JS array (possibly nested) as a PostgreSQL array literal.
 *
 * ```ts
 * toArrayLiteral([1, null, 3]);   // "{1,NULL,3}"
 * toArrayLiteral(['a "b"', "c"]); // '{"a \"b\"","c"}'
 * ```
 */
export function toArrayLiteral(values: readonly unknown[]): string {
  let s = "{";
  for (let i = 0; i < values.length; i++) s += (i === 0 ? "" : ",") + element(values[i]);
  return `${s}}`;
}

/**
 * Parses a PostgreSQL array literal; `item` converts each non-NULL element's text.
 *
 * ```ts
 * parseArrayLiteral("{1,2,NULL}", Number); // [1, 2, null]
 * parseArrayLiteral('{{"a","b"},{c,d}}');  // [["a", "b"], ["c", "d"]]
 * ```
 */
export function parseArrayLiteral(text: string, item: (s: string) => unknown = (s) => s): unknown[] {
  let i = 0;
  // Optional dimension decoration: `[1:3]={...}`.
  if (text[0] === "[") i = text.indexOf("=") + 1;
  const parse = (): unknown[] => {
    const out: unknown[] = [];
    i++; // "{"
    while (i < text.length) {
      const ch = text[i];
      if (ch === "}") {
        i++;
        return out;
      }
      if (ch === ",") {
        i++;
      } else if (ch === "{") {
        out.push(parse());
      } else if (ch === '"') {
        let s = "";
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === "\\") i++;
          s += text[i++];
        }
        i++; // closing quote
        out.push(item(s));
      } else {
        let j = i;
        while (j < text.length && text[j] !== "," && text[j] !== "}") j++;
        const s = text.slice(i, j).trim();
        out.push(s.toUpperCase() === "NULL" ? null : item(s));
        i = j;
      }
    }
    return out;
  };
  return parse();
}
