// Mutation testing (`npm run test:mutation`, scripts/mutation.mjs): StrykerJS changes the code that holds
// Afterglow's invariants one small edit at a time and runs the Vitest tests that cover it; a change no test
// notices ("survived") is behaviour nothing pins. Incremental: a re-run only re-tests mutants whose code or tests
// changed since reports/mutation/incremental.json. Mutants that truly cannot change behaviour are listed, with the
// reason, in mutation-equivalents.md beside this file.
//
// AFTERGLOW_MUTATION_TESTS (comma-separated test files) runs those files instead of every test related to a mutated
// file, e.g. a model against its own integration tests, which is hours faster than the related set of a module most
// of the suite imports (vitest.mutation.config.ts reads the same variable).
import { chosenMutationTests } from "./scripts/lib/mutation-tests.mjs";

const chosenTests = chosenMutationTests().length > 0;

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: !chosenTests },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: [
    "app/domain/**/*.ts",
    "!app/domain/**/*.test.ts",
    // Wording tables are data, not logic: a changed word is caught by the policy-text snapshots, not worth a mutant each.
    "!app/domain/returns/wording/*.ts",
    "app/services/ingest-webhook.server.ts",
    "app/services/loyalty-ledger.server.ts",
    "app/services/survey-answers.server.ts",
    "app/services/outbox.server.ts",
    "app/services/outbox-failures.server.ts",
    "app/models/orders.server.ts",
    "app/models/customer-facts.server.ts",
    "app/models/loyalty.server.ts",
    "app/models/survey-responses.server.ts",
    "app/models/outbox.server.ts",
    "app/services/bulk-mirror.server.ts",
    "app/models/bulk-mirror.server.ts",
  ],
  // Not copied into the sandbox: other runs' sandboxes and reports, test databases and logs.
  ignorePatterns: ["/.stryker-tmp*", "/reports", "/tmp", "/build", "/build-demo", "/.node"],
  coverageAnalysis: "perTest",
  // Static mutants (module-level tables such as currency exponents) are tested too: slower, but they hold behaviour.
  ignoreStatic: false,
  incremental: true,
  incrementalFile: "reports/mutation/incremental.json",
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
