import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, THROWAWAY_FLAGS } from "../../scripts/lib/embedded-postgres.mjs";
import { assertLogsFreeOfPii } from "./log-scan";
import { migrateFreshDatabase } from "./migrate";
import { clusterDirOfRun, LOG_DIR, ROOT, TEMPLATE_DB } from "./paths";
import { chooseTestSeed, reproduceWith } from "./test-seed";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the test files of this run write the app's log lines (tests/support/setup.ts). */
    logDir: string;
    /** The run's seed for property tests and seeded generators (tests/support/test-seed.ts). */
    testSeed: number;
    /** A URL of this run's PostgreSQL server (its `postgres` database), for creating and dropping databases. */
    pgAdminUrl: string;
    /** This run's migrated template database; each test file works on a copy. */
    templateDb: string;
  }
}

/**
 * Starts this run's own PostgreSQL server (from npm, in tmp/, deleted afterwards) and migrates one template database;
 * every test file then works on its own copy (tests/support/setup.ts).
 * Every log line the app writes during the run is captured into a directory of this run; after the last test file,
 * the teardown scans them and fails the run (exit code 1) when one carries customer data (tests/support/log-scan.ts).
 */
export default async function setup(project: TestProject) {
  const seed = chooseTestSeed();
  console.log(`Test seed: ${seed} (repeat this run with ${reproduceWith(seed)})`);
  project.provide("testSeed", seed);
  const server = await startEmbeddedPostgres({ dir: clusterDirOfRun(process.pid), persistent: false, flags: THROWAWAY_FLAGS });
  await migrateFreshDatabase(server.url(), TEMPLATE_DB);
  project.provide("pgAdminUrl", server.url());
  project.provide("templateDb", TEMPLATE_DB);
  const logDir = path.join(LOG_DIR, `run-${process.pid}`);
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  project.provide("logDir", logDir);

  return async () => {
    await server.stop();
    // Under mutation testing (scripts/mutation.mjs) the code that logs is a mutant: its lines prove nothing.
    if (process.env.AFTERGLOW_MUTATION_RUN === "1") return fs.rmSync(logDir, { recursive: true, force: true });
    let scanned: { files: number; lines: number };
    try {
      scanned = assertLogsFreeOfPii(logDir, ROOT);
    } catch (error) {
      console.log(`Log check failed; the run's seed was ${seed} (repeat it with ${reproduceWith(seed)})`);
      throw error;
    }
    const { files, lines } = scanned;
    console.log(`Log check: ${lines} captured log lines from ${files} worker file(s), no customer data.`);
    // Clean: nothing to look at. A failing run keeps its logs for inspection.
    fs.rmSync(logDir, { recursive: true, force: true });
  };
}
