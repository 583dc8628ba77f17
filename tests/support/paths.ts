import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const TMP = path.join(ROOT, "tmp");
/** The migrated template database of one test run (one per run, so runs side by side never share one). */
export const templateDbOfRun = (runId: number) => path.join(TMP, `test-template-${runId}.sqlite`);
/** Captured app log lines, one directory per test run (tests/support/global-setup.ts). */
export const LOG_DIR = path.join(TMP, "logs");
