import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// Browser tests: the built demo server on loopback, on this run's own throwaway PostgreSQL (tests/e2e/support/
// demo-server.ts), driven by playwright-core in Debian's Chromium. `npm run test:e2e` builds both apps first.
export default defineConfig({
  define: { __AFTERGLOW_DEMO_BUILD__: "false" },
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/support/demo-server.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
