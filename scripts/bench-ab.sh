#!/bin/bash
# Compares the benchmark of a git ref (A) with the working tree (B) on a noisy machine: builds both, runs
# `bench/run.ts` for each in alternation N times, and prints per-workload medians of the ratios to the raw driver.
#   scripts/bench-ab.sh <ref> [N]          e.g. scripts/bench-ab.sh HEAD~3 8     (RUNS=5 measured runs per bench)
set -euo pipefail
ref=${1:?usage: scripts/bench-ab.sh <git ref> [N]}
n=${2:-6}
runs=${RUNS:-5}
# V8's worker pool sized as bench/launch.mjs does (the older ref may not have launch.mjs).
pool=${BENCH_V8_POOL_SIZE:-$(node -p "Math.max(1, require('node:os').availableParallelism() - 1)")}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/a" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add -f --detach "$work/a" "$ref" >/dev/null 2>&1
ln -s "$root/node_modules" "$work/a/node_modules"
(cd "$work/a" && npx tsc -p tsconfig.build.json)
mkdir -p "$work/b" && cp -r "$root/bench" "$root/package.json" "$work/b/" && ln -s "$root/node_modules" "$work/b/node_modules"
(cd "$root" && npx tsc -p tsconfig.build.json --outDir "$work/b/dist")
out="$work/results.txt"
for i in $(seq "$n"); do
  for side in a b; do
    (cd "$work/$side" && node --expose-gc --v8-pool-size="$pool" --import tsx bench/run.ts --runs "$runs" 2>&1 | grep "^| W\|^| total" | sed "s/^/$side /") >>"$out"
  done
done
python3 - "$out" <<'PY'
import collections, statistics, sys
ratios = collections.defaultdict(list)
for line in open(sys.argv[1]):
    side, rest = line.split(" ", 1)
    cells = [c.strip() for c in rest.split("|")]
    ratios[(cells[1], side)].append(float(cells[4].rstrip("x")))
for w in dict.fromkeys(k[0] for k in ratios):
    a, b = ratios[(w, "a")], ratios[(w, "b")]
    print(f"{w:16} A {statistics.median(a):5.2f}x  B {statistics.median(b):5.2f}x   A: {' '.join(f'{x:.2f}' for x in a)}   B: {' '.join(f'{x:.2f}' for x in b)}")
PY
