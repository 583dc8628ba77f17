import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, afterEach, beforeEach, expect, inject } from "vitest";
import { tapLogLines } from "~/logger.server";
import { copyDatabase, dropDatabase } from "./migrate";
import { answerAdminApi, isAdminApiRequest, resetAdminApi } from "./admin-api";
import { answerTokenExchange, isTokenExchangeRequest, resetTokenExchange } from "./token-exchange";
import "./console";

// 1. A fresh, migrated database for this test file (a copy of the template global-setup made, on the run's server).
const dbName = `test_${process.pid}_${randomUUID().slice(0, 8)}`;
process.env.DATABASE_URL = await copyDatabase(inject("pgAdminUrl"), inject("templateDb"), dbName);
globalThis.__afterglowPrisma = undefined;

afterAll(async () => {
  // Only a file that opened the app's pools (db.server sets __afterglowPrisma when it loads) closes them; loading the
  // app's database module just to close it took over the hook's 10 s on a busy machine (a scripts test that never
  // touched the database). Imported here: the app's modules read DATABASE_URL when they load, after it is set above.
  if (globalThis.__afterglowPrisma) {
    const { closeDatabase } = await import("~/db.server");
    await closeDatabase();
  }
  await dropDatabase(inject("pgAdminUrl"), dbName);
});

// 2. Property tests draw from the run's seed (printed by the global setup; AFTERGLOW_TEST_SEED repeats a run).
fc.configureGlobal({ seed: inject("testSeed") });

// 3. Every line the app's logger produces (printed or not) goes to this run's capture, one file per worker
// process; the global teardown checks the whole run's lines for customer data (tests/support/log-scan.ts).
const LOG_FILE = path.join(inject("logDir"), `${process.pid}.jsonl`);
tapLogLines((line) => fs.appendFileSync(LOG_FILE, `${line}\n`));

// 4. No real network: the Admin API and Shopify's token endpoint go to their stubs, loopback is allowed, anything else
// fails the test.
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (isTokenExchangeRequest(url)) return answerTokenExchange(url, init ?? (input instanceof Request ? { method: input.method, body: await input.text() } : undefined));
  if (isAdminApiRequest(url)) return answerAdminApi(url, init ?? (input instanceof Request ? { body: await input.text() } : undefined));
  const host = new URL(url).hostname;
  if (host === "127.0.0.1" || host === "localhost" || host === "[::1]") return realFetch(input, init);
  throw new Error(`Real network access is blocked in tests: ${url}`);
};

// 5. An unexpected console.error fails the test. Tests that provoke one call allowConsoleError(). The calls are
// recorded by a plain wrapper, not a Vitest spy, so a test file's vi.restoreAllMocks() (or mockRestore() of its own
// console spy) cannot wipe the record before it is checked; a test that silences console.error with
// mockImplementation keeps what it silences out of the record.
const consoleErrors: unknown[][] = [];
const printError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  consoleErrors.push(args);
  printError(...args);
};
beforeEach(() => {
  // 6. Every test asserts something: a test that runs no `expect` fails ("expected any number of assertion").
  expect.hasAssertions();
  globalThis.__afterglowAllowConsoleError = false;
  resetAdminApi();
  resetTokenExchange();
  consoleErrors.length = 0;
});
afterEach(() => {
  const calls = consoleErrors.splice(0);
  if (calls.length && !globalThis.__afterglowAllowConsoleError) {
    throw new Error(`Unexpected console.error:\n${calls.map((c) => c.map(String).join(" ")).join("\n")}`);
  }
});
