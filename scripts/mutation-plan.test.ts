import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import strykerConfig from "../stryker.config.mjs";
import { chosenSteps, mergeReports, MUTATION_PLAN, selects, stepReport } from "./lib/mutation-plan.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The repository's files that StrykerJS-style patterns select (a leading `!` leaves files out). */
function selected(patterns: string[]): string[] {
  const candidates = new Set(patterns.filter((p) => !p.startsWith("!")).flatMap((p) => fs.globSync(p, { cwd: ROOT })));
  return [...candidates].filter((file) => selects(patterns, file)).sort();
}

describe("the mutation plan", () => {
  it("measures every file StrykerJS mutates in exactly one step, and nothing else", () => {
    const configured = selected(strykerConfig.mutate as string[]);
    expect(configured.length).toBeGreaterThan(50);
    const steps = new Map<string, string[]>();
    for (const step of MUTATION_PLAN) for (const file of selected(step.mutate)) steps.set(file, [...(steps.get(file) ?? []), step.name]);
    expect([...steps.keys()].sort()).toEqual(configured);
    expect([...steps].filter(([, names]) => names.length > 1)).toEqual([]);
  });

  it("names test files that exist, and globs that find some", () => {
    for (const step of MUTATION_PLAN) {
      expect(step.tests.length, step.name).toBeGreaterThan(0);
      for (const tests of step.tests) expect(fs.globSync(tests, { cwd: ROOT }).length, `${step.name}: ${tests}`).toBeGreaterThan(0);
      expect(new Set(step.tests).size, `${step.name} names a test file twice`).toBe(step.tests.length);
    }
  });

  it("runs the steps named, in plan order, and refuses a name it does not know", () => {
    expect(chosenSteps([]).map((s: { name: string }) => s.name)).toEqual(MUTATION_PLAN.map((s) => s.name));
    expect(chosenSteps(["outbox", "domain"]).map((s: { name: string }) => s.name)).toEqual(["domain", "outbox"]);
    expect(() => chosenSteps(["domain", "ledger"])).toThrow(/no plan step named "ledger"; the steps: domain, ingest/);
  });

  it("keeps of a run's report only the files its step mutates (the report also carries other files' older results)", () => {
    const domain = MUTATION_PLAN.find((s) => s.name === "domain")!;
    const report = { files: { "app/domain/money.ts": { mutants: [] }, "app/domain/returns/wording/en.ts": { mutants: [] }, "app/domain/money.test.ts": { mutants: [] }, "app/models/orders.server.ts": { mutants: [] } } };
    expect(Object.keys(stepReport(domain, report).files)).toEqual(["app/domain/money.ts"]);
  });

  it("merges reports file by file, the later run's mutants replacing the earlier's of the same file", () => {
    const run = (files: Record<string, string>) => ({ files: Object.fromEntries(Object.entries(files).map(([f, status]) => [f, { mutants: [{ status }] }])) });
    expect(mergeReports([run({ "a.ts": "Survived", "b.ts": "Killed" }), run({ "a.ts": "Killed", "c.ts": "NoCoverage" })])).toEqual(
      run({ "a.ts": "Killed", "b.ts": "Killed", "c.ts": "NoCoverage" }),
    );
  });
});
