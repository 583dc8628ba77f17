import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const TMP = path.join(ROOT, "tmp");
export const TEMPLATE_DB = path.join(TMP, "test-template.sqlite");
/** Captured app log lines, one directory per test run (tests/support/global-setup.ts). */
export const LOG_DIR = path.join(TMP, "logs");
