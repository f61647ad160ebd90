// Fails when a module imports from a higher layer or when runtime imports form a cycle.
// Layers (DESIGN §2): util ← sql ← dialects ← engine ← orm ← migrate ← cli; src/index.ts sits on top.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "src");
const LAYERS = ["util", "sql", "dialects", "engine", "orm", "migrate", "cli"];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function layerOf(file) {
  const top = relative(ROOT, file).split(/[\\/]/)[0];
  const i = LAYERS.indexOf(top);
  return i >= 0 ? i : LAYERS.length; // index.ts and other top-level files: the top
}

// `import type ...` and `export type ...` vanish at run time: they count for layering, not for cycles.
const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/gm;
const problems = [];
const graph = new Map();
for (const file of files(ROOT)) {
  const src = readFileSync(file, "utf8");
  const deps = [];
  for (const m of src.matchAll(IMPORT)) {
    const spec = m[3];
    if (!spec.startsWith(".")) continue;
    const target = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
    if (layerOf(target) > layerOf(file))
      problems.push(
        `${relative(ROOT, file)} imports ${relative(ROOT, target)}: layer "${LAYERS[layerOf(file)] ?? "top"}" must not depend on "${LAYERS[layerOf(target)] ?? "top"}"`,
      );
    if (!m[2]) deps.push(target);
  }
  graph.set(file, deps);
}

// Cycle detection (depth-first, colouring).
const state = new Map();
const stack = [];
function visit(f) {
  state.set(f, 1);
  stack.push(f);
  for (const d of graph.get(f) ?? []) {
    if (!graph.has(d)) continue;
    if (state.get(d) === 1) {
      const cycle = stack
        .slice(stack.indexOf(d))
        .concat(d)
        .map((x) => relative(ROOT, x));
      problems.push(`import cycle: ${cycle.join(" -> ")}`);
    } else if (!state.has(d)) visit(d);
  }
  stack.pop();
  state.set(f, 2);
}
for (const f of graph.keys()) if (!state.has(f)) visit(f);

if (problems.length) {
  console.error(`check-layers: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
console.log(`check-layers: ${graph.size} modules, layers respected, no import cycles`);
