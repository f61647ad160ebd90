/**
 * `emailAddress` → `email_address`, `userID` → `user_id`, `HTTPServer2` → `http_server2`: the default mapping of ORM
 * attribute names to column names (DESIGN §4).
 *
 * ```ts
 * snakeCase("emailAddress"); // "email_address"
 * ```
 */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}

/** Splits a comma- or space-separated option list (`"all, delete-orphan"`) into trimmed words. */
export function splitWords(text: string): string[] {
  return text.split(/[\s,]+/).filter((w) => w.length > 0);
}
