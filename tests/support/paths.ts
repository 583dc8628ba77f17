import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const TMP = path.join(ROOT, "tmp");
/** The throwaway PostgreSQL cluster of one test run (one per run, so runs side by side never share one). */
export const clusterDirOfRun = (runId: number) => path.join(TMP, `pg-test-${runId}`);
/** The name of a run's migrated template database; each test file works on a copy (tests/support/setup.ts). */
export const TEMPLATE_DB = "afterglow_template";
/** Captured app log lines, one directory per test run (tests/support/global-setup.ts). */
export const LOG_DIR = path.join(TMP, "logs");
