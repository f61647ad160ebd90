// Lists the public exports that lack a JSDoc comment with an example (a ``` block or an @example tag), the project's
// convention for every public symbol (shared/STYLE.md). Public = what `crucible` (src/index.ts) and the dialect
// subpaths (`crucible/sqlite`, `crucible/postgresql`, `crucible/mysql`) export, values and types alike.
//
//   node scripts/check-jsdoc.mjs            # the list, grouped by source file, and a count
//   node scripts/check-jsdoc.mjs --json     # the same as JSON
//   node scripts/check-jsdoc.mjs --strict   # exit 1 when anything is missing (what `npm test` runs)
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import ts from "typescript";

const ROOT = resolve(import.meta.dirname, "..");
const ENTRY_POINTS = {
  crucible: "src/index.ts",
  "crucible/sqlite": "src/dialects/sqlite/index.ts",
  "crucible/postgresql": "src/dialects/postgresql/index.ts",
  "crucible/mysql": "src/dialects/mysql/index.ts",
};

const entries = Object.entries(ENTRY_POINTS).filter(([, file]) => existsSync(resolve(ROOT, file)));
const program = ts.createProgram(
  entries.map(([, file]) => resolve(ROOT, file)),
  {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  },
);
const checker = program.getTypeChecker();

/** The JSDoc blocks attached to a declaration (for a variable, those of its statement). */
function jsDocTexts(decl) {
  const texts = [];
  for (const doc of ts.getJSDocCommentsAndTags(decl)) {
    const node = ts.isJSDoc(doc) ? doc : doc.parent;
    if (node && ts.isJSDoc(node)) texts.push(node.getText());
  }
  return texts;
}

function kindOf(decl) {
  if (ts.isClassDeclaration(decl)) return "class";
  if (ts.isFunctionDeclaration(decl)) return "function";
  if (ts.isInterfaceDeclaration(decl)) return "interface";
  if (ts.isTypeAliasDeclaration(decl)) return "type";
  if (ts.isVariableDeclaration(decl)) return "const";
  if (ts.isEnumDeclaration(decl)) return "enum";
  return ts.SyntaxKind[decl.kind];
}

/** name → { file, line, kind, status: "no-jsdoc" | "no-example", subpaths } */
const missing = new Map();
let total = 0;
for (const [subpath, file] of entries) {
  const source = program.getSourceFile(resolve(ROOT, file));
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`cannot read the exports of ${file}`);
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decls = (symbol.declarations ?? []).filter((d) => d.getSourceFile().fileName.startsWith(resolve(ROOT, "src")));
    if (decls.length === 0) continue;
    total++;
    const docs = decls.flatMap(jsDocTexts);
    const hasExample = docs.some((d) => d.includes("```") || /@example\b/.test(d));
    if (hasExample) continue;
    const decl = decls[0];
    const sf = decl.getSourceFile();
    const key = `${exported.getName()} ${relative(ROOT, sf.fileName)}`;
    const known = missing.get(key);
    if (known) {
      known.subpaths.push(subpath);
      continue;
    }
    missing.set(key, {
      name: exported.getName(),
      file: relative(ROOT, sf.fileName),
      line: sf.getLineAndCharacterOfPosition(decl.getStart()).line + 1,
      kind: kindOf(decl),
      status: docs.length === 0 ? "no-jsdoc" : "no-example",
      subpaths: [subpath],
    });
  }
}

const list = [...missing.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ checked: total, missing: list }, null, 2));
} else {
  let current = "";
  for (const m of list) {
    if (m.file !== current) {
      current = m.file;
      console.log(`\n${current}`);
    }
    const why = m.status === "no-jsdoc" ? "no JSDoc" : "JSDoc without an example";
    console.log(`  ${String(m.line).padStart(4)}  ${m.kind.padEnd(9)} ${m.name.padEnd(28)} ${why}  [${m.subpaths.join(", ")}]`);
  }
  const byLayer = {};
  for (const m of list) {
    const layer = m.file.split("/")[1] ?? "?";
    byLayer[layer] = (byLayer[layer] ?? 0) + 1;
  }
  const layers = Object.entries(byLayer)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  console.log(`\n${list.length} of ${total} public exports lack a JSDoc example${list.length ? ` (${layers})` : ""}.`);
}
if (process.argv.includes("--strict") && list.length > 0) process.exit(1);
