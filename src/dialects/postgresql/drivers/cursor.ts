/**
 * Streaming through a server-side cursor (`DECLARE ... CURSOR` / `FETCH n`), shared by both drivers: memory stays
 * bounded by the chunk size, and no extra package is needed. The engine streams inside a transaction (autobegin),
 * which a cursor without `WITH HOLD` requires.
 */

/**
 * Runs one statement and returns its rows as arrays.
 *
 * ```ts
 * const run: RowQuery = async (sql, params) => (await client.query({ text: sql, values: [...params], rowMode: "array" })).rows;
 * ```
 */
export type RowQuery = (sql: string, params: readonly unknown[]) => Promise<unknown[][]>;

let cursorCounter = 0;

/** Statements a cursor can be declared for: a plain query (a WITH that changes data cannot be). */
function cursorable(sql: string): boolean {
  if (/^[\s(]*(select|values|table)\b/i.test(sql)) return true;
  return /^[\s(]*with\b/i.test(sql) && !/\b(insert|update|delete|merge)\b/i.test(sql);
}

/**
 * Yields the rows of `sql` in chunks of at most `chunkSize`; statements a cursor cannot run (INSERT ... RETURNING)
 * run once and yield all their rows.
 *
 * ```ts
 * for await (const rows of cursorStream(run, "SELECT * FROM big", [], 1000)) handle(rows);
 * ```
 */
export async function* cursorStream(run: RowQuery, sql: string, params: readonly unknown[], chunkSize: number): AsyncGenerator<unknown[][]> {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`stream(): chunkSize must be a positive integer, got ${chunkSize}`);
  if (!cursorable(sql)) {
    const rows = await run(sql, params);
    if (rows.length) yield rows;
    return;
  }
  const name = `crucible_cursor_${++cursorCounter}`;
  await run(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
  let open = true;
  try {
    for (;;) {
      const rows = await run(`FETCH FORWARD ${chunkSize} FROM ${name}`, []);
      if (rows.length) yield rows;
      if (rows.length < chunkSize) break;
    }
    open = false;
    await run(`CLOSE ${name}`, []);
  } finally {
    // The consumer stopped early or a fetch failed: close the cursor if the transaction still allows it.
    if (open) await run(`CLOSE ${name}`, []).catch(() => undefined);
  }
}
