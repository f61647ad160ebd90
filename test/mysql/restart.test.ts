/**
 * A real MariaDB/MySQL server restart, on a private instance this file starts (mariadb-install-db + mariadbd in a
 * temporary directory, on a free port), so the shared server the other test files use is never disturbed. Pooled
 * idle connections die with the old server process: the Node process must live on and the next queries must work;
 * a query while the server is down fails with a typed, retryable error.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, type Engine, OperationalError, text } from "crucible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, listening } from "../private-server.js";

const SERVER = ["/usr/sbin/mariadbd", "/usr/sbin/mysqld"].find((p) => existsSync(p)) ?? null;
const INSTALL = ["/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db"].find((p) => existsSync(p)) ?? null;
const available = SERVER !== null && INSTALL !== null;
if (!available) {
  if (process.env.CI === "true") throw new Error("the MariaDB restart test needs mariadbd and mariadb-install-db; CI has them");
  console.warn("\n[crucible] SKIPPING the MariaDB restart test: mariadbd / mariadb-install-db not found.\n");
}
const isRoot = process.getuid?.() === 0;

describe.skipIf(!available)("a real MariaDB restart (private instance)", () => {
  let dir: string;
  let port: number;
  let server: ChildProcess | null = null;
  let engine: Engine;

  async function start(): Promise<void> {
    const args = [
      "--no-defaults",
      `--datadir=${join(dir, "data")}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      `--socket=${join(dir, "sock")}`,
      `--pid-file=${join(dir, "pid")}`,
      "--skip-log-bin",
      "--innodb-buffer-pool-size=16M",
      ...(isRoot ? ["--user=mysql"] : []),
    ];
    server = spawn(SERVER as string, args, { stdio: "ignore" });
    await listening(port, "the private MariaDB server");
  }

  async function stop(): Promise<void> {
    const s = server;
    server = null;
    if (!s || s.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      s.once("exit", () => resolve());
      s.kill("SIGTERM"); // a normal shutdown: the server closes every client connection
    });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "crucible-mariadb-restart-"));
    if (isRoot) {
      const uid = Number(execFileSync("id", ["-u", "mysql"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "mysql"], { encoding: "utf8" }).trim());
      chownSync(dir, uid, gid);
    }
    execFileSync(
      INSTALL as string,
      ["--no-defaults", `--datadir=${join(dir, "data")}`, "--auth-root-authentication-method=normal", "--skip-test-db", ...(isRoot ? ["--user=mysql"] : [])],
      { stdio: "ignore", timeout: 60_000 },
    );
    port = await freePort();
    await start();
    engine = createEngine(`mysql://root@127.0.0.1:${port}/mysql`, { pool: { max: 3, acquireTimeoutMs: 10_000 } });
  }, 90_000);

  afterAll(async () => {
    await engine?.dispose();
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const connectionId = async (): Promise<number> => Number((await engine.execute(text("SELECT CONNECTION_ID()"))).scalar());

  it("idle pooled connections die with the server: the process lives on and the next queries work", async () => {
    const conns = await Promise.all([engine.connect(), engine.connect(), engine.connect()]);
    for (const c of conns) await c.execute(text("SELECT 1"));
    for (const c of conns) await c.close();
    expect(engine.poolStatus).toMatchObject({ size: 3, inUse: 0 });
    await stop();
    await start();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the idle connections hear that their server went away
    const ids = await Promise.all([connectionId(), connectionId(), connectionId()]);
    expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
  }, 60_000);

  it("a query while the server is down is a retryable OperationalError; once it is back, queries work", async () => {
    await connectionId();
    await stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const err = await engine.execute(text("SELECT 1")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationalError);
    expect((err as OperationalError).retryable).toBe(true);
    await start();
    expect(Number((await engine.execute(text("SELECT 41 + 1"))).scalar())).toBe(42);
    expect(engine.poolStatus?.inUse).toBe(0);
  }, 60_000);

  it("with prePing, the very first query after a restart works", async () => {
    const pinged = createEngine(`mysql://root@127.0.0.1:${port}/mysql`, { pool: { max: 2, prePing: true } });
    try {
      const conns = await Promise.all([pinged.connect(), pinged.connect()]);
      for (const c of conns) await c.execute(text("SELECT 1"));
      for (const c of conns) await c.close();
      await stop();
      await start();
      expect(Number((await pinged.execute(text("SELECT 41 + 1"))).scalar())).toBe(42);
    } finally {
      await pinged.dispose();
    }
  }, 60_000);
});
