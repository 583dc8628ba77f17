import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// Unit tests (beside the code) and integration tests (tests/integration): real Remix handlers, real signed
// requests, a real migrated PostgreSQL database per test file (a copy of the run's template, on a server the global
// setup starts from npm). Browser tests live in vitest.e2e.config.ts.
export default defineConfig({
  define: { __AFTERGLOW_DEMO_BUILD__: "false" },
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.{ts,tsx}", "extensions/*/src/**/*.test.{ts,tsx}", "scripts/**/*.test.ts", "tests/integration/**/*.test.ts", "tests/support/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup.ts"],
    pool: "forks",
    env: {
      NODE_ENV: "test",
      SHOPIFY_API_KEY: "test-api-key",
      SHOPIFY_API_SECRET: "test-api-secret",
      SHOPIFY_APP_URL: "https://afterglow.test",
    },
    reporters: ["default"],
  },
});
