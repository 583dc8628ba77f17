import { spawnSync } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
import { ROOT } from "../support/paths";
import { signedWebhook } from "../support/webhooks";

const baseUrl = inject("baseUrl");
const demoSecret = inject("demoSecret");

const order = {
  id: 990001,
  name: "#E2E1",
  created_at: "2026-11-01T10:00:00Z",
  updated_at: "2026-11-01T10:00:00Z",
  currency: "USD",
  total_price: "42.50",
  test: false,
  customer: null,
  line_items: [{ id: 1, product_id: 2, title: "Tee", quantity: 1, price: "42.50" }],
};

async function send(request: Request) {
  const body = await request.text();
  return fetch(`${baseUrl}${new URL(request.url).pathname}`, { method: request.method, headers: request.headers, body });
}

describe("the running server", () => {
  it("GET /healthz answers 200 with the database reachable", async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: "reachable" });
  });

  it("accepts a webhook signed with the configured secret and rejects forged or unsigned ones", async () => {
    const shop = "afterglow-demo.myshopify.com";
    const signed = await send(signedWebhook({ topic: "orders/create", shop, body: order, secret: demoSecret }));
    expect(signed.status).toBe(200);
    const forged = await send(signedWebhook({ topic: "orders/create", shop, body: order, secret: "wrong" }));
    expect(forged.status).toBe(401);
    const unsigned = await send(signedWebhook({ topic: "orders/create", shop, body: order, secret: null }));
    expect(unsigned.status).toBe(401);
  });

  it("has no benchmark route: the HMAC-only floor is the benchmark's own (bench/lib/floor-server.mjs)", async () => {
    const shop = "afterglow-demo.myshopify.com";
    const signed = signedWebhook({ topic: "orders/create", shop, body: order, secret: demoSecret });
    const floor = new Request(`https://afterglow.test/bench/webhook-floor`, { method: "POST", headers: signed.headers, body: await signed.text() });
    expect((await send(floor)).status).toBe(404);
    expect((await fetch(`${baseUrl}/bench/webhook-floor`)).status).toBe(404);
  });
});

describe("start-up guards", () => {
  const baseEnv = { ...process.env, SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://x.example", PORT: "3198" };

  it("a production build started with the demo switch on refuses to start", () => {
    const result = spawnSync(process.execPath, ["server.mjs"], {
      cwd: ROOT,
      env: { ...baseEnv, NODE_ENV: "production", AFTERGLOW_DEMO: "1" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/refus/i);
    expect(result.stderr).toMatch(/production build/);
  });

  it("the production build carries no demo code", async () => {
    const fs = await import("node:fs");
    const dir = `${ROOT}/build/server`;
    const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(".js"));
    const bundle = files.map((f) => fs.readFileSync(`${dir}/${f}`, "utf8")).join("\n");
    expect(bundle).not.toContain("demoAdminContext");
    expect(bundle).not.toContain("prepareDemoShop");
    expect(bundle).toContain("handleWebhook");
  });

  it("the production build carries no benchmark code", async () => {
    const fs = await import("node:fs");
    const dir = `${ROOT}/build/server`;
    const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(".js"));
    const bundle = files.map((f) => fs.readFileSync(`${dir}/${f}`, "utf8")).join("\n");
    expect(bundle).not.toContain("webhook-floor");
    expect(bundle).not.toContain("AFTERGLOW_BENCH");
    expect(bundle).toContain("AFTERGLOW_FAULT_TESTING");
  });

  // A PostgreSQL URL nothing listens on: the refusal must come before the app ever needs its database.
  const UNREACHABLE_DATABASE = "postgresql://nobody:never@127.0.0.1:1/never_created";

  it("the demo build refuses to listen beyond loopback", () => {
    const result = spawnSync(process.execPath, ["server.mjs", "--demo"], {
      cwd: ROOT,
      env: { ...baseEnv, NODE_ENV: "production", AFTERGLOW_DEMO: "1", HOST: "0.0.0.0", DATABASE_URL: UNREACHABLE_DATABASE },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/loopback/);
  });

  it("a DATABASE_URL that is not a postgresql:// URL (the retired SQLite file) refuses to start, naming it", () => {
    const result = spawnSync(process.execPath, ["server.mjs"], {
      cwd: ROOT,
      env: { ...baseEnv, NODE_ENV: "production", DATABASE_URL: "file:./tmp/never-created.sqlite" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/refus/i);
    expect(result.stderr).toMatch(/DATABASE_URL: must be a postgresql:\/\/ URL/);
  });

  it("a database that does not answer makes start-up fail, saying so", () => {
    const result = spawnSync(process.execPath, ["server.mjs"], {
      cwd: ROOT,
      env: { ...baseEnv, NODE_ENV: "production", DATABASE_URL: UNREACHABLE_DATABASE },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/refused to start: the database of DATABASE_URL did not answer \(connect ECONNREFUSED/);
    expect(result.stderr).not.toContain("never@");
  });
});
