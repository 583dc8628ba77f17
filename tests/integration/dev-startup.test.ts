import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../scripts/lib/free-port.mjs";
import { copyDatabase, dropDatabase } from "../support/migrate";
import { ROOT } from "../support/paths";

/**
 * `shopify app dev` runs `remix vite:dev`, not server.mjs: the development server itself must start the background
 * work (outbox delivery, resumed jobs, the daily sweep), once per process. Started here for real, the way the
 * Shopify CLI starts it (shopify.web.toml: scripts/dev-database.mjs, which migrates DATABASE_URL and runs
 * remix vite:dev), on its own copy of the run's migrated template database.
 */
const dbName = `dev_startup_${randomUUID().slice(0, 8)}`;
let server: ChildProcess | undefined;

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  }
  await dropDatabase(inject("pgAdminUrl"), dbName);
}, 30_000);

/** Lines of the dev server's output that are the app's own JSON log lines with message `msg`. */
const logLines = (output: string, msg: string) =>
  output.split("\n").filter((line) => line.startsWith("{") && line.includes(`"msg":${JSON.stringify(msg)}`));

async function waitFor(check: () => boolean, timeoutMs: number, describeState: () => string) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out: ${describeState()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the development server (remix vite:dev, as shopify app dev runs it)", () => {
  it("starts the background work once it listens, and not again when the app's modules are loaded for a request", async () => {
    const databaseUrl = await copyDatabase(inject("pgAdminUrl"), inject("templateDb"), dbName);
    const port = await freePort();
    let output = "";
    server = spawn(process.execPath, [path.join(ROOT, "scripts", "dev-database.mjs"), "--port", String(port), "--strictPort"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "development",
        DATABASE_URL: databaseUrl,
        SHOPIFY_API_KEY: "dev-api-key",
        SHOPIFY_API_SECRET: "dev-api-secret",
        SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
        SCOPES: "read_orders,read_products,read_customers,write_customers,write_legal_policies",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));

    // GIVEN the development server was started, WHEN it listens, THEN the app's start-up runs.
    await waitFor(() => logLines(output, "background work started").length > 0 || server!.exitCode !== null, 90_000, () => output.slice(-2000));
    expect(server.exitCode, output.slice(-2000)).toBeNull();
    expect(output).not.toContain("background work did not start");

    // WHEN a request makes Remix load the server build (the same modules again), THEN nothing starts a second time.
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "reachable" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(logLines(output, "background work started")).toHaveLength(1);
  }, 120_000);
});
