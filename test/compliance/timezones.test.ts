/**
 * The suite must give the same results under TZ=UTC and TZ=America/New_York: this file re-runs the type round trips
 * (which use instants around DST changes) in a child process with the other zone.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const here = process.env.TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
const other = here === "America/New_York" ? "UTC" : "America/New_York";

describe.skipIf(process.env.CRUCIBLE_TZ_CHILD === "1")("time zones", () => {
  it(`the type round trips pass under TZ=${other} too (this process: ${here})`, () => {
    const child = spawnSync(
      process.execPath,
      [fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url)), "run", "test/compliance/types.test.ts"],
      {
        cwd: root,
        env: { ...process.env, TZ: other, CRUCIBLE_TZ_CHILD: "1" },
        encoding: "utf8",
        timeout: 240_000,
      },
    );
    const output = `${child.stdout}\n${child.stderr}`;
    expect(output, output).toMatch(/Tests\s+.*passed/);
    expect(child.status, output).toBe(0);
  }, 250_000);
});
