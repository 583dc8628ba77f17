#!/usr/bin/env node
// `npm run test:mutation [-- <stryker options>]`: runs StrykerJS (stryker.config.mjs), then reports the mutation
// score per module group and overall from reports/mutation/mutation.json, leaving out the mutants listed as
// equivalent (they cannot change behaviour) in mutation-equivalents.md. Ends with one line: "mutation score: N %".
// `--report-only` skips the run and scores the last report.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadEquivalents, scoreReport } from "./mutation-score.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const reportOnly = args.includes("--report-only");

if (!reportOnly) {
  const stryker = path.join(root, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
  // A mutant may well log what it should not: the test run's PII log check is for the real code, not for mutants.
  const env = { ...process.env, AFTERGLOW_MUTATION_RUN: "1" };
  const run = spawnSync(process.execPath, [stryker, "run", ...args], { cwd: root, stdio: "inherit", env });
  if (run.status !== 0) {
    console.error(`StrykerJS failed (exit ${run.status ?? run.signal}); no score.`);
    process.exit(run.status ?? 1);
  }
}

const reportFile = path.join(root, "reports", "mutation", "mutation.json");
if (!fs.existsSync(reportFile)) {
  console.error(`No report at ${path.relative(root, reportFile)}: run npm run test:mutation first.`);
  process.exit(1);
}
const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
const equivalents = loadEquivalents(fs.readFileSync(path.join(root, "mutation-equivalents.md"), "utf8"));
const { groups, total, stale, survivors } = scoreReport(report, equivalents);

const pct = (s) => (s.score === null ? "  n/a" : `${s.score.toFixed(1).padStart(5)} %`);
console.log("\nMutation score by module group (killed ÷ (killed + survived + no coverage); equivalents left out):");
for (const group of groups) {
  console.log(`  ${group.name.padEnd(44)} ${pct(group)}  killed ${group.killed}, survived ${group.survived}, no coverage ${group.noCoverage}, equivalent ${group.equivalent}`);
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
