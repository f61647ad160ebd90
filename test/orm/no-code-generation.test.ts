// Where code generation from strings is not allowed (a CSP, `--disallow-code-generation-from-strings`), the ORM uses
// generic loops instead of per-model code (src/orm/column-access.ts): the quickstart must run all the same.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));

it("the quickstart runs with --disallow-code-generation-from-strings", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "crucible-nocodegen-"));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.CRUCIBLE_URL;
    const { stdout } = await run(
      process.execPath,
      ["--disallow-code-generation-from-strings", "--import", "tsx", "examples/quickstart/main.ts", "--url", `sqlite:///${join(dir, "q.sqlite")}`],
      { cwd: root, env, timeout: 90_000 },
    );
    expect(stdout.split("\n").filter((l) => l.startsWith("User("))).toEqual([
      "User(id=1, name='spongebob', fullname='Spongebob Squarepants')",
      "User(id=2, name='sandy', fullname='Sandy Cheeks')",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
