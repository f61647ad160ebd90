/**
 * The quickstart (examples/quickstart, DESIGN §1) on every dialect, unchanged but for the URL: it runs in a child
 * process as a user runs it (`npx tsx examples/quickstart/main.ts --url <url>`) and must print the two users.
 *
 * The quickstart's tables have fixed names (user_account, address). Only this file uses them on the servers, and
 * its blocks run one after the other (vitest runs the describe blocks of a file in sequence), so two runs never
 * meet. They are dropped before and after, so reruns start clean.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { column, createEngine, ForeignKey, Integer, MetaData, Table } from "crucible";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachTarget } from "./dialects.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));

/** The quickstart's tables, enough of them to drop them in dependency order. */
function quickstartTables(): MetaData {
  const md = new MetaData();
  Table("user_account", md, { id: column(Integer, { primaryKey: true }) });
  Table("address", md, { id: column(Integer, { primaryKey: true }), user_id: column(Integer, ForeignKey("user_account.id")) });
  return md;
}

async function quickstart(url: string): Promise<{ users: string[]; log: string[] }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CRUCIBLE_URL; // the --url argument alone picks the database
  const { stdout, stderr } = await run("npx", ["tsx", "examples/quickstart/main.ts", "--url", url], { cwd: root, env, timeout: 90_000 });
  return { users: stdout.split("\n").filter((l) => l.startsWith("User(")), log: stderr.split("\n").filter((l) => l.includes("crucible.engine")) };
}

const SPONGEBOB = /^User\(id=\d+, name='spongebob', fullname='Spongebob Squarepants'\)$/;
const SANDY = /^User\(id=\d+, name='sandy', fullname='Sandy Cheeks'\)$/;

forEachTarget("quickstart", (ctx) => {
  // One database for the block: a new temporary file for SQLite, the test database of a server.
  const url = ctx.target.url();
  const dropTables = async () => {
    const engine = createEngine(url);
    try {
      await quickstartTables().dropAll(engine);
    } finally {
      await engine.dispose();
    }
  };
  beforeAll(dropTables);
  afterAll(dropTables);

  it("prints the two users, after one transaction that inserts users first, then addresses", { timeout: 120_000 }, async () => {
    const { users, log } = await quickstart(url);
    expect(users).toHaveLength(2);
    expect(users.some((u) => SPONGEBOB.test(u))).toBe(true);
    expect(users.some((u) => SANDY.test(u))).toBe(true);
    // The echo log: the INSERTs of the commit, one per table, users before addresses, between BEGIN and COMMIT.
    const inserts = log.map((l, i) => [l, i] as const).filter(([l]) => / INSERT INTO /.test(l));
    expect(inserts.map(([l]) => /INSERT INTO [`"]?(\w+)/.exec(l)?.[1])).toEqual(["user_account", "address"]);
    const begin = log
      .slice(0, inserts[0][1])
      .map((l) => l.endsWith("BEGIN (implicit)"))
      .lastIndexOf(true);
    const commit = log.findIndex((l, i) => l.endsWith("COMMIT") && i > inserts[1][1]);
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(commit).toBeGreaterThan(inserts[1][1]);
    expect(log.slice(begin + 1, commit).filter((l) => / (INSERT|UPDATE|DELETE|COMMIT|ROLLBACK|BEGIN)\b/.test(l))).toHaveLength(2);
  });

  it("runs again against the same database (the tables exist: createAll skips them)", { timeout: 120_000 }, async () => {
    const { users } = await quickstart(url);
    // Where the database outlives the process, the second run finds the first run's users too.
    const expected = ctx.target.sharedDatabase ? 4 : 2;
    expect(users).toHaveLength(expected);
    expect(users.filter((u) => SPONGEBOB.test(u))).toHaveLength(expected / 2);
    expect(users.filter((u) => SANDY.test(u))).toHaveLength(expected / 2);
  });
});
