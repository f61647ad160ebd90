/**
 * The targets of the compliance suite. `DIALECTS` (comma-separated) picks them; by default all four:
 * `sqlite` (a temporary file), `pglite` (embedded PostgreSQL in memory), `postgresql` and `mysql` (servers on
 * 127.0.0.1). `sqlite-memory` is also known. A target whose server is unreachable, or whose dialect is not
 * registered yet, is skipped with a visible line, and FAILS the run when `CI=true`.
 *
 * A test opts out only through a capability flag (`target.capabilities.fullOuterJoin`), never by dialect name.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, type DialectCapabilities, type Engine, type EngineOptions, parseUrl } from "crucible";
import { afterAll, describe, it } from "vitest";

export interface Target {
  /** The name in DIALECTS. */
  readonly name: string;
  /** A fresh URL for this target (a new temporary file for SQLite). */
  url(): string;
  /** The dialect's capability flags, with documented defaults filled in. */
  readonly capabilities: Required<DialectCapabilities>;
  /** Why the target cannot run here, or null when it can. */
  readonly unavailable: string | null;
  /** Two engines on `url()`'s database see the same data (false for in-memory databases). */
  readonly sharedDatabase: boolean;
}

interface TargetSpec {
  readonly url: () => string;
  readonly sharedDatabase: boolean;
  /** The default port of a server target (the host and port are read from the URL). */
  readonly defaultPort?: number;
}

let tempDir: string | null = null;
function tempFile(): string {
  tempDir ??= mkdtempSync(join(tmpdir(), "crucible-compliance-"));
  return join(tempDir, `${randomBytes(4).toString("hex")}.db`);
}
process.on("exit", () => {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

const SPECS: Record<string, TargetSpec> = {
  sqlite: { url: () => `sqlite:///${tempFile()}`, sharedDatabase: true },
  "sqlite-memory": { url: () => "sqlite://", sharedDatabase: false },
  pglite: { url: () => "postgresql+pglite://", sharedDatabase: false },
  postgresql: {
    url: () => process.env.CRUCIBLE_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test",
    sharedDatabase: true,
    defaultPort: 5432,
  },
  mysql: {
    url: () => process.env.CRUCIBLE_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test",
    sharedDatabase: true,
    defaultPort: 3306,
  },
};

function reachable(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

const DEFAULT_CAPABILITY: Partial<Record<keyof DialectCapabilities, unknown>> = { exactDecimals: true };

async function resolveTarget(name: string): Promise<Target> {
  const spec = SPECS[name];
  if (!spec) throw new Error(`DIALECTS names an unknown target "${name}"; known: ${Object.keys(SPECS).join(", ")}`);
  let unavailable: string | null = null;
  let capabilities = {} as Required<DialectCapabilities>;
  try {
    // createEngine does not connect: it only needs the dialect registered for the URL's scheme.
    const probe = createEngine(spec.url());
    capabilities = { ...DEFAULT_CAPABILITY, ...probe.dialect.capabilities } as Required<DialectCapabilities>;
  } catch (e) {
    unavailable = `dialect not available yet (${(e as Error).message.split("\n")[0]})`;
  }
  if (unavailable === null && spec.defaultPort !== undefined) {
    const { host, port } = parseUrl(spec.url());
    const address = { host: host ?? "127.0.0.1", port: port ?? spec.defaultPort };
    if (!(await reachable(address.host, address.port))) unavailable = `server ${address.host}:${address.port} is unreachable`;
    else {
      // Some flags depend on the server's version (MariaDB ≥ 10.5 has RETURNING, MySQL has none): the dialect learns
      // them at its first connection, so connect once.
      const probe = createEngine(spec.url());
      try {
        await (await probe.connect()).close();
        capabilities = { ...DEFAULT_CAPABILITY, ...probe.dialect.capabilities } as Required<DialectCapabilities>;
      } catch (e) {
        unavailable = `cannot connect to ${address.host}:${address.port} (${(e as Error).message.split("\n")[0]})`;
      } finally {
        await probe.dispose();
      }
    }
  }
  return { name, url: spec.url, capabilities, unavailable, sharedDatabase: spec.sharedDatabase };
}

const wanted = (process.env.DIALECTS ?? "sqlite,pglite,postgresql,mysql")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);

/** The targets, resolved once per test file (reachability checked once). */
export const targets: readonly Target[] = await Promise.all(wanted.map(resolveTarget));

const reported = new Set<string>();

/**
 * Runs `body` as a describe block per available target. `setup` gives it a target-bound context: an engine made on
 * first use and disposed after the block, and a random suffix for table names (files run in parallel against
 * shared servers).
 */
export function forEachTarget(title: string, body: (ctx: TargetContext) => void): void {
  for (const target of targets) {
    const name = `${title} [${target.name}]`;
    if (target.unavailable !== null) {
      if (process.env.CI === "true") {
        describe(name, () => {
          it(`target ${target.name} must be available in CI`, () => {
            throw new Error(`compliance target ${target.name}: ${target.unavailable}`);
          });
        });
      } else {
        if (!reported.has(target.name)) console.warn(`[compliance] skipping ${target.name}: ${target.unavailable}`);
        reported.add(target.name);
        describe.skip(name, () => body(new TargetContext(target)));
      }
      continue;
    }
    describe(name, () => {
      const ctx = new TargetContext(target);
      afterAll(() => ctx.dispose());
      body(ctx);
    });
  }
}

export class TargetContext {
  /** A random suffix for table names, unique per describe block. */
  readonly suffix = randomBytes(3).toString("hex");
  private engines: Engine[] = [];
  private main: Engine | null = null;
  private mainUrl: string | null = null;
  constructor(readonly target: Target) {}
  get capabilities(): Required<DialectCapabilities> {
    return this.target.capabilities;
  }
  /** `base_<suffix>`: a table name no other test file uses. */
  name(base: string): string {
    return `${base}_${this.suffix}`;
  }
  /** The block's engine (one database for the block: for SQLite one temporary file). */
  get engine(): Engine {
    if (!this.main) {
      this.mainUrl = this.target.url();
      this.main = createEngine(this.mainUrl);
      this.engines.push(this.main);
    }
    return this.main;
  }
  /** Another engine on the same database (to test locking and visibility between connections). */
  otherEngine(options: EngineOptions = {}): Engine {
    void this.engine;
    const e = createEngine(this.mainUrl as string, options);
    this.engines.push(e);
    return e;
  }
  /** An engine on the block's database with extra options (echo, logger, ...). */
  engineWith(options: EngineOptions): Engine {
    return this.otherEngine(options);
  }
  async dispose(): Promise<void> {
    for (const e of this.engines.splice(0)) await e.dispose();
    this.main = null;
  }
}
