/**
 * Echo logging like SQLAlchemy's `echo=True`: transaction boundaries, each statement, its parameters, how long it
 * took and whether its compiled form came from the cache.
 */
import { showValues } from "../util/show.js";

/**
 * Where log lines go: a function, or an object with `info` (console, pino, winston, ...).
 *
 * ```ts
 * createEngine(url, { echo: true, logger: (line) => lines.push(line) });
 * createEngine(url, { echo: true, logger: console });
 * ```
 */
export type Logger = ((line: string) => void) | { info(line: string): void; debug?(line: string): void };

/**
 * `true` logs statements; `"debug"` also logs result rows.
 *
 * ```ts
 * createEngine("sqlite://", { echo: "debug" });
 * ```
 */
export type EchoSetting = boolean | "debug";

/** `('spongebob', 'sandy')` — parameters as a tuple, long lists shortened. */
export function formatParams(params: readonly unknown[]): string {
  return `(${showValues(params)}${params.length === 1 ? "," : ""})`;
}

function stamp(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`;
}

/**
 * What engine listeners receive: each statement sent, and transaction boundaries.
 *
 * ```ts
 * engine.on((e: EngineEvent) => console.log(e.kind === "statement" ? `${e.sql} ${e.ms} ms` : e.sql));
 * ```
 */
export type EngineEvent =
  | { readonly kind: "statement"; readonly sql: string; readonly params: readonly unknown[]; readonly ms: number }
  | { readonly kind: "transaction"; readonly sql: "BEGIN (implicit)" | "COMMIT" | "ROLLBACK" };

/** The engine's log: writes only when echo is on; listeners (engine.on) see every event. */
export class EchoLog {
  readonly listeners = new Set<(event: EngineEvent) => void>();
  constructor(
    readonly echo: EchoSetting,
    private readonly logger: Logger | undefined,
  ) {}

  get enabled(): boolean {
    return this.echo !== false || this.listeners.size > 0;
  }

  /** A transaction boundary. */
  transaction(sql: "BEGIN (implicit)" | "COMMIT" | "ROLLBACK"): void {
    if (this.listeners.size > 0) for (const l of this.listeners) l({ kind: "transaction", sql });
    this.info(sql);
  }

  info(message: string): void {
    if (this.echo === false) return;
    const line = this.logger ? message : `${stamp()} INFO crucible.engine ${message}`;
    if (!this.logger) process.stderr.write(`${line}\n`);
    else if (typeof this.logger === "function") this.logger(line);
    else this.logger.info(line);
  }

  /** One executed statement: the SQL, then `[cache status, time] (parameters)`. */
  statement(sql: string, params: readonly unknown[], cache: string, ms: number): void {
    // Listeners get a copy: the caller may fill the same array again for its next statement (a flush's INSERT batches).
    if (this.listeners.size > 0) {
      const copy = params.slice();
      for (const l of this.listeners) l({ kind: "statement", sql, params: copy, ms });
    }
    if (this.echo === false) return;
    this.info(sql);
    this.info(`[${cache}; ${ms < 1 ? ms.toFixed(3) : ms.toFixed(1)} ms] ${formatParams(params)}`);
  }

  rows(keys: readonly string[], rows: readonly (readonly unknown[])[]): void {
    if (this.echo !== "debug") return;
    this.info(`Col (${keys.map((k) => `'${k}'`).join(", ")})`);
    for (const r of rows.slice(0, 50)) this.info(`Row ${formatParams(r)}`);
  }
}

const executed = new WeakSet<object>();

/**
 * The cache status of a statement compiled outside the statement cache (the ORM's own statements): "generated" the
 * first time it runs, "cached since ..." afterwards.
 */
export function reuseStatus(compiled: { readonly compiledAt: number }): string {
  if (!executed.has(compiled)) {
    executed.add(compiled);
    return "generated";
  }
  return cacheStatus(true, compiled.compiledAt, 0);
}

/** Describes the compiled-cache status like SQLAlchemy: "generated in 0.12 ms" / "cached since 3.2s ago". */
export function cacheStatus(cached: boolean, since: number | null, compileMs: number): string {
  if (!cached) return `generated in ${compileMs.toFixed(3)} ms`;
  if (since === null) return "cached";
  return `cached since ${((Date.now() - since) / 1000).toFixed(3)}s ago`;
}
