#!/usr/bin/env node
// `npm run test:mutation [-- <stryker options>]`: runs StrykerJS (stryker.config.mjs), then reports the mutation
// score per module group and overall from reports/mutation/mutation.json, leaving out the mutants listed as
// equivalent (they cannot change behaviour) in mutation-equivalents.md. Ends with one line: "mutation score: N %".
// `--report-only` skips the run and scores the last report.
// `--plan` runs the steps of scripts/lib/mutation-plan.mjs one after the other instead (`--plan=domain,outbox` for
// some of them), each against its own tests, and scores everything they measured together: each step's report is
// merged into reports/mutation/merged.json, which keeps what earlier plan runs measured of the other steps.
// `--report-only --plan` scores that merged report.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chosenSteps, mergeReports, stepReport } from "./lib/mutation-plan.mjs";
import { loadEquivalents, scoreReport } from "./mutation-score.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const planArg = process.argv.slice(2).find((a) => a === "--plan" || a.startsWith("--plan="));
const args = process.argv.slice(2).filter((a) => a !== planArg);
const reportOnly = args.includes("--report-only");
const reportDir = path.join(root, "reports", "mutation");
const lastReport = path.join(reportDir, "mutation.json");
const mergedReport = path.join(reportDir, "merged.json");

/** One StrykerJS run with `extraArgs`; `tests` (optional) become AFTERGLOW_MUTATION_TESTS. Exits when it fails. */
function runStryker(extraArgs, tests) {
  const stryker = path.join(root, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
  // A mutant may well log what it should not: the test run's PII log check is for the real code, not for mutants.
  const env = { ...process.env, AFTERGLOW_MUTATION_RUN: "1", ...(tests ? { AFTERGLOW_MUTATION_TESTS: tests.join(",") } : {}) };
  const run = spawnSync(process.execPath, [stryker, "run", ...extraArgs], { cwd: root, stdio: "inherit", env });
  if (run.status !== 0) {
    console.error(`StrykerJS failed (exit ${run.status ?? run.signal}); no score.`);
    process.exit(run.status ?? 1);
  }
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf8"));

if (!reportOnly && planArg) {
  const names = planArg.includes("=") ? planArg.slice("--plan=".length).split(",").map((n) => n.trim()).filter(Boolean) : [];
  for (const step of chosenSteps(names)) {
    console.log(`\n=== mutation plan step "${step.name}": ${step.mutate.join(", ")} against ${step.tests.length} test file(s)`);
    runStryker([...args, "--mutate", step.mutate.join(",")], step.tests);
    const earlier = fs.existsSync(mergedReport) ? [readJson(mergedReport)] : [];
    fs.writeFileSync(mergedReport, JSON.stringify(mergeReports([...earlier, stepReport(step, readJson(lastReport))])));
  }
} else if (!reportOnly) {
  runStryker(args);
}

const reportFile = planArg ? mergedReport : lastReport;
if (!fs.existsSync(reportFile)) {
  console.error(`No report at ${path.relative(root, reportFile)}: run npm run test:mutation${planArg ? " -- --plan" : ""} first.`);
  process.exit(1);
}
const report = readJson(reportFile);
const equivalents = loadEquivalents(fs.readFileSync(path.join(root, "mutation-equivalents.md"), "utf8"));
const { groups, files, total, stale, survivors } = scoreReport(report, equivalents);

const pct = (s) => (s.score === null ? "  n/a" : `${s.score.toFixed(1).padStart(5)} %`);
console.log("\nMutation score by module group (killed ÷ (killed + survived + no coverage); equivalents left out):");
for (const group of groups) {
  console.log(`  ${group.name.padEnd(44)} ${pct(group)}  killed ${group.killed}, survived ${group.survived}, no coverage ${group.noCoverage}, equivalent ${group.equivalent}`);
}
// The services and models one by one (the README's table lists them so); the domain's files are many and small.
const modules = files.filter((file) => !file.name.startsWith("app/domain/"));
if (modules.length) {
  console.log("\nServices and models, each:");
  for (const file of modules) console.log(`  ${file.name.padEnd(44)} ${pct(file)}  killed ${file.killed}, survived ${file.survived}, no coverage ${file.noCoverage}, equivalent ${file.equivalent}`);
}
if (survivors.length) {
  console.log(`\nSurvivors (${survivors.length}): file:line mutator → replacement`);
  for (const m of survivors.slice(0, 200)) console.log(`  ${m.file}:${m.line} ${m.mutator} → ${JSON.stringify(m.replacement)}`);
}
if (stale.length) {
  console.log(`\nmutation-equivalents.md lists ${stale.length} mutant(s) that no longer survive or no longer exist; update it:`);
  for (const e of stale) console.log(`  ${e.file}:${e.line} ${e.mutator} → ${JSON.stringify(e.replacement)}`);
}
console.log(`\nmutation score: ${total.score === null ? "n/a" : total.score.toFixed(1)} %`);
