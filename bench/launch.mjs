// `npm run bench` starts here: bench/run.ts in a Node process with `gc()` exposed and V8's worker pool sized to the
// machine. Node's default pool has 4 threads (concurrent marking and sweeping, optimizing compiles); on a machine with
// 2 cores they compete with the main thread, which loses its core for milliseconds at a time (measured on a 2-vCPU
// VM: single W3 queries stalling 1–9 ms, W3 medians between 1.5x and 3.2x from run to run). One thread fewer than the
// cores keeps the main thread on its own core. BENCH_V8_POOL_SIZE overrides it (4 = Node's default).
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

const pool = process.env.BENCH_V8_POOL_SIZE ?? String(Math.max(1, availableParallelism() - 1));
const run = fileURLToPath(new URL("./run.ts", import.meta.url));
const r = spawnSync(process.execPath, ["--expose-gc", `--v8-pool-size=${pool}`, "--import", "tsx", run, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
