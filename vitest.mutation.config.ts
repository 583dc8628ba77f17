import fs from "node:fs";
import path from "node:path";
import { defineConfig, mergeConfig } from "vitest/config";
import { chosenMutationTests } from "./scripts/lib/mutation-tests.mjs";
import base from "./vitest.config";

// The unit + integration suite as StrykerJS runs it (stryker.config.mjs): in a sandbox copy of the project whose
// node_modules is a link to the real one, which Vite's file-serving guard would otherwise refuse (Polaris's CSS
// `?url` imports of the admin routes).
//
// Stryker makes its sandbox directories (`.stryker-tmp/sandbox-…`) with mode 700. As root, the tests' embedded
// PostgreSQL runs as the `postgres` user, who must be able to enter every directory above its data directory
// (scripts/lib/embedded-postgres.mjs refuses otherwise, naming the directory): the sandbox and its parent are opened
// for search by others (o+x), nothing more, and only inside a Stryker sandbox.
const sandbox = process.cwd();
if (path.basename(path.dirname(sandbox)).startsWith(".stryker-tmp")) {
  for (const dir of [sandbox, path.dirname(sandbox)]) fs.chmodSync(dir, fs.statSync(dir).mode | 0o001);
}

const merged = mergeConfig(base, defineConfig({ server: { fs: { strict: false } } }));

// AFTERGLOW_MUTATION_TESTS (stryker.config.mjs): only these test files (mergeConfig would add them to the base list).
const chosen = chosenMutationTests();
export default chosen.length ? { ...merged, test: { ...merged.test, include: chosen } } : merged;
