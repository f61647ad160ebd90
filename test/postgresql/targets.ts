/**
 * Where the PostgreSQL execution tests run: embedded PGlite always, and the real server at CRUCIBLE_PG_URL (default
 * postgresql://postgres@127.0.0.1:5432/test) when it answers — in CI (CI=true) an unreachable server fails the run.
 * Unique names let test files share the `test` database while vitest runs them in parallel.
 */
import { randomBytes } from "node:crypto";
import { createEngine, type Engine, type EngineOptions } from "crucible";
import pg from "pg";

/** The URL of the real server the tests use. */
export const SERVER_URL = process.env.CRUCIBLE_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

async function probe(): Promise<string | null> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (e) {
    return (e as Error).message || String(e);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await probe();
if (problem !== null) {
  if (process.env.CI === "true") throw new Error(`PostgreSQL server tests cannot run: ${SERVER_URL} is not reachable (${problem}); CI needs it`);
  console.warn(`\n[crucible] SKIPPING the PostgreSQL server tests: ${SERVER_URL} is not reachable (${problem}). PGlite tests still run.\n`);
}

/** True when the real server answers (else its tests are skipped, or fail in CI). */
export const serverAvailable = problem === null;

/** Where execution tests run: PGlite always, the server when it answers. */
export interface Target {
  readonly name: "pglite" | "server";
  readonly url: string;
  readonly available: boolean;
}
export const TARGETS: readonly Target[] = [
  { name: "pglite", url: "postgresql+pglite://", available: true },
  { name: "server", url: SERVER_URL, available: serverAvailable },
];

/** An engine for a target. */
export function engineFor(target: Target, options: EngineOptions = {}): Engine {
  return createEngine(target.url, options);
}

/** A name no other test file (or earlier run) uses: `prefix_` plus 8 random hex digits. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}
