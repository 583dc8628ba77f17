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

  it("runs the steps named, in plan order, a group's name choosing its steps, and refuses a name it does not know", () => {
    const names = (steps: { name: string }[]) => steps.map((s) => s.name);
    expect(names(chosenSteps([]))).toEqual(MUTATION_PLAN.map((s) => s.name));
    expect(names(chosenSteps(["outbox", "domain loyalty"]))).toEqual(["domain loyalty", "outbox"]);
    const domain = names(chosenSteps(["domain"]));
    expect(domain).toEqual(["domain cx", "domain flow", "domain followups", "domain loyalty", "domain orders", "domain privacy", "domain products", "domain returns", "domain survey", "domain files"]);
    expect(names(chosenSteps(["ingest", "domain"]))).toEqual([...domain, "ingest"]);
    expect(() => chosenSteps(["domain", "ledger"])).toThrow(/no plan step named "ledger"; the steps: domain, domain cx, domain flow, .*, ingest/);
  });

  it("measures each domain folder against its own tests, and the files directly in app/domain against theirs", () => {
    const step = (name: string) => MUTATION_PLAN.find((s) => s.name === name)!;
    expect(selected(step("domain loyalty").mutate)).toContain("app/domain/loyalty/points.ts");
    expect(selected(step("domain loyalty").mutate).every((f) => f.startsWith("app/domain/loyalty/") && !f.endsWith(".test.ts"))).toBe(true);
    expect(step("domain loyalty").tests).toEqual(["app/domain/loyalty/**/*.test.ts"]);
    expect(selected(step("domain returns").mutate).some((f) => f.includes("/wording/"))).toBe(false);
    expect(selected(step("domain files").mutate)).toContain("app/domain/money.ts");
    expect(selected(step("domain files").mutate).every((f) => f.split("/").length === 3)).toBe(true);
  });

  it("keeps of a run's report only the files its step mutates (the report also carries other files' older results)", () => {
    const domain = MUTATION_PLAN.find((s) => s.name === "domain files")!;
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
