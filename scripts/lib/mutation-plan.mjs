// The measuring plan of `npm run test:mutation -- --plan` (scripts/mutation.mjs): every file StrykerJS mutates
// (stryker.config.mjs `mutate`) belongs to exactly one step, each step measured against the tests that are about it.
// Run together, the steps give one score over everything covered in hours rather than the days the tests related by
// imports would take (most of the suite imports a model). `scripts/mutation-plan.test.ts` holds the plan and the
// configuration equal, and every test file named here present.

import path from "node:path";

const integration = (...names) => names.map((name) => `tests/integration/${name}.test.ts`);

const ORDER_TESTS = integration(
  "order-webhooks",
  "order-rows",
  "invariants/webhook-dedup",
  "invariants/refund-reversal",
  "invariants/rolling-window",
  "reliability/arrival-order",
  "reliability/batched-ingest",
  "reliability/concurrent-ingest",
  "shopify-samples",
  "order-import",
  "cx-refund-segment",
  "cx-scores",
  "returns-facts",
  "money-extremes",
  "order-reassigned",
  "query-plans",
  "order-upsert-plans",
  "survey-rate-limits",
  "order-history-reach",
  "pending-points",
);

const LEDGER_TESTS = integration(
  "loyalty-ledger",
  "loyalty",
  "order-webhooks",
  "invariants/refund-reversal",
  "invariants/rolling-window",
  "order-reassigned",
  "pending-points",
  "tier-recompute-sets",
  "tier-mirror-record",
  "reliability/concurrent-ingest",
  "rewards-redeem",
  "flow-triggers-sent",
  "flow-actions",
  "followups",
  "shopify-samples",
  "money-extremes",
  "customer-pages",
  "rewards-sweep",
);

const OUTBOX_TESTS = [
  ...integration("outbox", "outbox-run-edges", "outbox-retry", "outbox-batching", "outbox-pacing", "tier-perks", "bulk-mirror"),
  "app/services/outbox-failures.server.test.ts",
];

/** The domain's folders, each a step of its own (the files directly in app/domain are one more). */
const DOMAIN_FOLDERS = ["cx", "flow", "followups", "loyalty", "orders", "privacy", "products", "returns", "survey"];

/**
 * The domain, a step per folder, each against the unit tests in that folder. A mutant of a module-level value (a
 * "static" mutant: a table, a pattern) runs every test of its step, so one step over the whole domain ran each of
 * about 1,400 of them against all 2,700 domain tests: most of a working day on two cores. By folder, each step is
 * minutes to an hour, and each one's results are kept (merged) as soon as it ends.
 */
const DOMAIN_STEPS = [
  ...DOMAIN_FOLDERS.map((folder) => ({
    name: `domain ${folder}`,
    group: "domain",
    mutate: [`app/domain/${folder}/**/*.ts`, `!app/domain/${folder}/**/*.test.ts`, ...(folder === "returns" ? ["!app/domain/returns/wording/*.ts"] : [])],
    tests: [`app/domain/${folder}/**/*.test.ts`],
  })),
  { name: "domain files", group: "domain", mutate: ["app/domain/*.ts", "!app/domain/*.test.ts"], tests: ["app/domain/*.test.ts"] },
];

/**
 * The steps, run in this order. `mutate`: StrykerJS patterns (a leading `!` leaves files out); `tests`: the test files
 * (or globs) of the step, passed as AFTERGLOW_MUTATION_TESTS; `group`: a name that chooses several steps at once.
 */
export const MUTATION_PLAN = [
  ...DOMAIN_STEPS,
  {
    name: "ingest",
    mutate: ["app/services/ingest-webhook.server.ts"],
    tests: [...ORDER_TESTS, ...integration("security/webhook-requests", "ingest-worker", "pubsub-consumer")],
  },
  { name: "order model", mutate: ["app/models/orders.server.ts"], tests: ORDER_TESTS },
  { name: "loyalty ledger", mutate: ["app/services/loyalty-ledger.server.ts"], tests: LEDGER_TESTS },
  {
    name: "loyalty and customer models",
    mutate: ["app/models/loyalty.server.ts", "app/models/customer-facts.server.ts"],
    tests: [
      ...LEDGER_TESTS,
      ...integration("tier-recompute-long", "invariants/webhook-dedup", "reliability/batched-ingest", "reliability/arrival-order", "outbox", "customer-list-filters"),
    ],
  },
  {
    name: "survey answers",
    mutate: ["app/services/survey-answers.server.ts", "app/models/survey-responses.server.ts"],
    tests: [
      ...integration(
        "checkout-survey",
        "survey-integrity",
        "survey-partial-answers",
        "survey-answer-flow",
        "survey-custom-questions",
        "list-cursors",
        "sweeps-once",
        "invariants/answer-race",
        "invariants/edit-window",
        "survey-rate-limits",
      ),
      "app/models/survey-responses.server.test.ts",
    ],
  },
  {
    name: "outbox",
    mutate: ["app/services/outbox.server.ts", "app/services/outbox-failures.server.ts", "app/models/outbox.server.ts"],
    tests: [...OUTBOX_TESTS, ...integration("reliability/concurrent-ingest", "tier-recompute-sets")],
  },
  {
    name: "bulk mirror",
    mutate: ["app/services/bulk-mirror.server.ts", "app/models/bulk-mirror.server.ts"],
    tests: integration("bulk-mirror"),
  },
];

/**
 * The steps named in `names` (all when none), in plan order; a group's name (`domain`) chooses every step of the
 * group. An unknown name is refused with the known ones.
 */
export function chosenSteps(names, plan = MUTATION_PLAN) {
  if (!names.length) return plan;
  const chooses = (name, step) => step.name === name || step.group === name;
  const unknown = names.filter((name) => !plan.some((step) => chooses(name, step)));
  if (unknown.length) {
    const known = [...new Set(plan.flatMap((s) => (s.group ? [s.group, s.name] : [s.name])))];
    throw new Error(`no plan step named ${unknown.map((n) => JSON.stringify(n)).join(", ")}; the steps: ${known.join(", ")}`);
  }
  return plan.filter((step) => names.some((name) => chooses(name, step)));
}

/**
 * Whether `file` (a path from the repository root) is one that StrykerJS-style `patterns` select: a pattern without
 * `!` selects it and none with `!` leaves it out.
 */
export function selects(patterns, file) {
  const matches = (pattern) => path.matchesGlob(file, pattern);
  return patterns.some((p) => !p.startsWith("!") && matches(p)) && !patterns.some((p) => p.startsWith("!") && matches(p.slice(1)));
}

/**
 * A step's own part of a StrykerJS report: the files the step mutates. A run's report also carries what the
 * incremental file held for other files, results of earlier runs that may no longer match their lines.
 */
export function stepReport(step, report) {
  return { files: Object.fromEntries(Object.entries(report.files).filter(([file]) => selects(step.mutate, file))) };
}

/**
 * The report of several runs as one: each file's mutants from the latest run that mutated it. Runs are given oldest
 * first; a run's report replaces what an earlier one held for the same file, and keeps every other file.
 */
export function mergeReports(reports) {
  const files = {};
  for (const report of reports) Object.assign(files, report.files);
  return { files };
}
