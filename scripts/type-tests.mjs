// Type-level tests (test/types): every assertion must hold and every @ts-expect-error line must be an error,
// under the build's TypeScript and under TypeScript 7.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const compilers = [
  ["TypeScript (build)", resolve(root, "node_modules/typescript/bin/tsc")],
  ["TypeScript 7", resolve(root, "node_modules/typescript7/bin/tsc")],
];
let failed = false;
for (const [name, bin] of compilers) {
  const version = execFileSync(process.execPath, [bin, "-v"], { encoding: "utf8" }).trim();
  try {
    execFileSync(process.execPath, [bin, "-p", resolve(root, "test/types/tsconfig.json")], { stdio: "inherit" });
    console.log(`type tests: ${name} (${version}) ok`);
  } catch {
    console.error(`type tests: ${name} (${version}) FAILED`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
