import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// The fault suite (`npm run test:faults`): the production build as real server processes on loopback (ports
// 3300–3399), alone or two on one database, each scenario on its own copy of a migrated template database on the
// run's own PostgreSQL server (embedded, durability as in production), killed and restarted mid-burst, a stub Admin
// API server that fails on purpose, concurrency and a 10,000-webhook load run. Slow by design, so it is not part of
// `npm test`.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/faults/**/*.test.ts"],
    globalSetup: ["tests/faults/support/global-setup.ts"],
    setupFiles: ["tests/faults/support/setup.ts"],
    pool: "forks",
    // One server at a time: the runs measure and stress the server, not each other.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
