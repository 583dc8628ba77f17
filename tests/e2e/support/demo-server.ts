import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, THROWAWAY_FLAGS } from "../../../scripts/lib/embedded-postgres.mjs";
import { migrateFreshDatabase } from "../../support/migrate";
import { ROOT, TMP } from "../../support/paths";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3199);
export const DEMO_SECRET = "e2e-demo-secret";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    demoSecret: string;
  }
}

let server: ChildProcess | undefined;

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server?.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
}

/**
 * Starts this run's own PostgreSQL (from npm, in tmp/, deleted afterwards) with a fresh migrated database, then the
 * built demo app (build-demo/) on loopback against it, and waits until the demo shop is seeded.
 */
export default async function setup(project: TestProject) {
  if (!fs.existsSync(path.join(ROOT, "build-demo", "server", "index.js"))) {
    throw new Error("build-demo/ is missing: run `npm run test:e2e`, which builds it first.");
  }
  const postgres = await startEmbeddedPostgres({ dir: path.join(TMP, `pg-e2e-${process.pid}`), persistent: false, flags: THROWAWAY_FLAGS });
  const teardown = async () => {
    await stopServer();
    await postgres.stop();
  };
  try {
    const databaseUrl = await migrateFreshDatabase(postgres.url(), "afterglow_e2e");
    fs.mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
    const log = fs.createWriteStream(path.join(ROOT, "test-results", "demo-server.log"));

    server = spawn(process.execPath, ["server.mjs", "--demo"], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        AFTERGLOW_DEMO: "1",
        DATABASE_URL: databaseUrl,
        HOST: "127.0.0.1",
        PORT: String(E2E_PORT),
        SHOPIFY_API_SECRET: DEMO_SECRET,
      },
      // The IPC channel: the demo server exits when this process is gone, however it ended.
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    server.stdout?.pipe(log);
    server.stderr?.pipe(log);

    const baseUrl = `http://127.0.0.1:${E2E_PORT}`;
    const deadline = Date.now() + 420_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`demo server exited with ${server.exitCode}; see test-results/demo-server.log`);
      try {
        const response = await fetch(`${baseUrl}/healthz`);
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error("demo server did not start within 420 s");
      await new Promise((r) => setTimeout(r, 250));
    }
    project.provide("baseUrl", baseUrl);
    project.provide("demoSecret", DEMO_SECRET);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
