// `npm run bench`: Crucible beside the raw better-sqlite3 driver, in one process, on the peer benchmark's workloads.
// Each run: a fresh SQLite file (WAL), W1..W6 timed one by one (gc before each); medians and ratios to raw printed.
//   npm run bench -- --runs 7 --warmup 1     (through bench/launch.mjs, which sets the Node flags)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { type Contender, CrucibleContender, Raw } from "./contenders.js";
import { ADDRESSES_PER_USER, DDL, makeNameSets, makeUsers, N_USERS, shuffled, UPDATE_SUFFIX } from "./dataset.js";

const WORKLOADS = ["W1 insert", "W2 load-graph", "W3 filter", "W4 update", "W5 pk-lookup", "W6 delete"] as const;
type Timings = Record<(typeof WORKLOADS)[number], number>;
const TARGETS: Partial<Record<(typeof WORKLOADS)[number], number>> = {
  "W1 insert": 1.3,
  "W2 load-graph": 1.5,
  "W3 filter": 1.5,
  "W5 pk-lookup": 1.5,
  "W4 update": 2,
  "W6 delete": 2,
};

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg("runs", 7);
const WARMUP = arg("warmup", 1);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function check(what: string, got: number, want: number) {
  if (got !== want) throw new Error(`check failed: ${what}: got ${got}, want ${want}`);
}

async function oneRun(c: Contender, dir: string, i: number): Promise<Timings> {
  const file = join(dir, `${c.name}-${i}.sqlite`);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  for (const s of DDL) db.exec(s);
  await c.setup(file);
  const users = makeUsers();
  const names = makeNameSets(users);
  const t: Partial<Timings> = {};
  const time = async <R>(w: (typeof WORKLOADS)[number], fn: () => Promise<R>): Promise<R> => {
    gc();
    const t0 = performance.now();
    const r = await fn();
    t[w] = performance.now() - t0;
    return r;
  };
  await time("W1 insert", () => c.insert(users));
  check("users", (db.prepare("SELECT count(*) c FROM user_account").get() as { c: number }).c, N_USERS);
  check(
    "addresses",
    (db.prepare("SELECT count(*) c FROM address a JOIN user_account u ON u.id = a.user_id AND a.email_address LIKE u.name || '%'").get() as { c: number }).c,
    N_USERS * ADDRESSES_PER_USER,
  );
  const g = await time("W2 load-graph", () => c.loadGraph());
  check("graph users", g.users, N_USERS);
  check("graph addresses", g.addresses, N_USERS * ADDRESSES_PER_USER);
  check("filter rows", await time("W3 filter", () => c.filter(names)), 5000);
  check("updated", await time("W4 update", () => c.update(UPDATE_SUFFIX)), N_USERS);
  check(
    "suffix once",
    (db.prepare("SELECT count(*) c FROM user_account WHERE fullname = 'User Number ' || substr(name, 5) || ' (v2)'").get() as { c: number }).c,
    N_USERS,
  );
  const ids = shuffled((db.prepare("SELECT id FROM user_account").all() as { id: number }[]).map((r) => r.id));
  const want = users.reduce((s, u) => s + u.name.length, 0);
  check("pk lookups", await time("W5 pk-lookup", () => c.pkLookup(ids)), want);
  await time("W6 delete", () => c.deleteAll());
  check("empty", (db.prepare("SELECT (SELECT count(*) FROM user_account) + (SELECT count(*) FROM address) c").get() as { c: number }).c, 0);
  await c.teardown();
  db.close();
  return t as Timings;
}

/** The V8 worker pool size bench/launch.mjs chose (or Node's default of 4 when run.ts is started directly). */
const poolNote = () => {
  const flag = process.execArgv.find((a) => a.startsWith("--v8-pool-size="));
  return `V8 worker pool ${flag ? flag.split("=")[1] : "4 (Node's default)"}`;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const pkg = await import("../dist/index.js");
  const dir = mkdtempSync(join(tmpdir(), "crucible-bench-"));
  const contenders: Contender[] = [new Raw(), new CrucibleContender(pkg as unknown as ConstructorParameters<typeof CrucibleContender>[0])];
  const results = new Map<string, Timings[]>();
  try {
    // Interleaved runs: noise on a shared machine hits both contenders alike.
    for (let i = 0; i < WARMUP + RUNS; i++)
      for (const c of contenders) {
        const t = await oneRun(c, dir, i);
        if (i >= WARMUP) results.set(c.name, [...(results.get(c.name) ?? []), t]);
        if (process.env.BENCH_VERBOSE) console.log(c.name, i, JSON.stringify(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v)]))));
      }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const med = (name: string, w: (typeof WORKLOADS)[number]) => median((results.get(name) ?? []).map((t) => t[w]));
  const total = (name: string) => median((results.get(name) ?? []).map((t) => WORKLOADS.reduce((s, w) => s + t[w], 0)));
  console.log(
    `\nCrucible vs raw better-sqlite3 (SQLite file, WAL; ${N_USERS} users x ${ADDRESSES_PER_USER} addresses; median of ${RUNS} runs after ${WARMUP} warm-up; ${poolNote()})\n`,
  );
  console.log("| workload | raw ms | crucible ms | ratio | target |");
  console.log("|---|---:|---:|---:|---:|");
  for (const w of WORKLOADS) {
    const r = med("raw", w);
    const c = med("crucible", w);
    console.log(`| ${w} | ${r.toFixed(1)} | ${c.toFixed(1)} | ${(c / r).toFixed(2)}x | ≤ ${TARGETS[w]}x |`);
  }
  console.log(`| total | ${total("raw").toFixed(1)} | ${total("crucible").toFixed(1)} | ${(total("crucible") / total("raw")).toFixed(2)}x | |`);
}

await main();
