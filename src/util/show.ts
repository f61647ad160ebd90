/**
 * How bound values are shown to people: in the echo log, in error messages and in a Row's toString().
 */

/** How many values of a parameter list are shown before `... N more`. */
const MAX_SHOWN = 10;

/**
 * Renders one bound value the way the echo log and error messages show it.
 *
 * ```ts
 * showValue("o'neil"); // 'o\'neil'
 * showValue(5n);       // 5n
 * ```
 */
export function showValue(value: unknown): string {
  if (typeof value === "string") {
    const v = value.length > 200 ? `${value.slice(0, 200)}...` : value;
    return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
  }
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return "undefined";
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * A parameter list without its brackets, long lists shortened to their first ten values.
 *
 * ```ts
 * showValues([1, "a"]); // 1, 'a'
 * ```
 */
export function showValues(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_SHOWN).map(showValue);
  if (values.length > MAX_SHOWN) shown.push(`... ${values.length - MAX_SHOWN} more`);
  return shown.join(", ");
}

/**
 * Names what a function was given, for an error message: `an object of class Foo`, `string "x"`, `undefined`.
 *
 * ```ts
 * describeValue(new Map()); // an object of class Map
 * describeValue("sqlite://"); // string "sqlite://"
 * ```
 */
export function describeValue(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === "function") return `function ${x.name || "(anonymous)"}`;
  if (typeof x === "object") return `an object of class ${(x as object).constructor?.name ?? "Object"}`;
  return `${typeof x} ${typeof x === "bigint" ? `${x}n` : JSON.stringify(x)}`;
}
