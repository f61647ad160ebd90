/**
 * A real server restart, on a private PostgreSQL instance this file starts (initdb + pg_ctl in a temporary
 * directory, on a free port), so the shared server the other test files use is never disturbed. Pooled idle
 * connections die with the old server process: the Node process must live on and the next queries must work; a
 * query while the server is down fails with a typed, retryable error.
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, type Engine, OperationalError, text } from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../private-server.js";

/** The directory with initdb and pg_ctl, if PostgreSQL's server binaries are installed. */
function serverBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  for (const version of readdirSync(root).sort().reverse()) {
    const bin = join(root, version, "bin");
    if (existsSync(join(bin, "initdb")) && existsSync(join(bin, "pg_ctl"))) return bin;
  }
  return null;
}

const BIN = serverBin();
const isRoot = process.getuid?.() === 0;
if (BIN === null) {
  if (process.env.CI === "true") throw new Error("the PostgreSQL restart test needs initdb and pg_ctl (/usr/lib/postgresql/<version>/bin); CI has them");
  console.warn("\n[crucible] SKIPPING the PostgreSQL restart test: initdb/pg_ctl not found under /usr/lib/postgresql.\n");
}

/** Runs a server binary, as the postgres user when this process is root (PostgreSQL refuses to run as root). */
function pg(tool: string, args: string[]): void {
  const bin = join(BIN as string, tool);
  const [file, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  // Output to a file, never a pipe: a server started by pg_ctl would hold the pipe open.
  execFileSync(file, argv, { stdio: "ignore", timeout: 60_000 });
}

describe.skipIf(BIN === null)("a real PostgreSQL restart (private instance)", () => {
  let dir: string;
  let engine: Engine;
  let serverOptions = "";
  const ctl = (...args: string[]) => pg("pg_ctl", ["-D", join(dir, "data"), "-l", join(dir, "log"), "-w", "-t", "30", ...args]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "crucible-pg-restart-"));
    if (isRoot) {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      chownSync(dir, uid, gid);
    }
    pg("initdb", ["-D", join(dir, "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
    const port = await freePort();
    serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    ctl("-o", serverOptions, "start");
    engine = createEngine(`postgresql://postgres@127.0.0.1:${port}/postgres`, { pool: { max: 3, acquireTimeoutMs: 10_000 } });
  }, 90_000);

  afterAll(async () => {
    await engine?.dispose();
    try {
      ctl("-m", "immediate", "stop");
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const pid = async (): Promise<number> => (await engine.execute(text("SELECT pg_backend_pid()"))).scalar() as number;

  it("idle pooled connections die with the server: the process lives on and the next queries work", async () => {
    const conns = await Promise.all([engine.connect(), engine.connect(), engine.connect()]);
    const before = await Promise.all(conns.map(async (c) => (await c.execute(text("SELECT pg_backend_pid()"))).scalar() as number));
    for (const c of conns) await c.close();
    expect(engine.poolStatus).toMatchObject({ size: 3, inUse: 0 });
    ctl("-m", "fast", "restart");
    // Let the dead sockets' errors reach the idle clients (node-postgres would crash the process if unheard).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await Promise.all([pid(), pid(), pid()]);
    for (const p of after) expect(before).not.toContain(p);
  }, 60_000);

  it("a query while the server is down is a retryable OperationalError; once it is back, queries work", async () => {
    await pid();
    ctl("-m", "fast", "stop");
    await new Promise((resolve) => setTimeout(resolve, 200)); // the idle connections hear that their server went away
    const err = await engine.execute(text("SELECT 1")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationalError);
    expect((err as OperationalError).retryable).toBe(true);
    ctl("-o", serverOptions, "start");
    expect((await engine.execute(text("SELECT 41 + 1"))).scalar()).toBe(42);
    expect(engine.poolStatus?.inUse).toBe(0);
  }, 60_000);

  it("with prePing, the very first query after a restart works, even before the dead connections have noticed", async () => {
    const url = `postgresql://postgres@127.0.0.1:${serverOptions.split(" ")[1]}/postgres`;
    const pinged = createEngine(url, { pool: { max: 2, prePing: true } });
    try {
      const conns = await Promise.all([pinged.connect(), pinged.connect()]);
      for (const c of conns) await c.execute(text("SELECT 1"));
      for (const c of conns) await c.close();
      ctl("-m", "fast", "restart"); // synchronous: no chance to read the server's goodbye before the next query
      expect((await pinged.execute(text("SELECT 41 + 1"))).scalar()).toBe(42);
    } finally {
      await pinged.dispose();
    }
  }, 60_000);
});
