import fs from "node:fs";
import path from "node:path";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { OVERSIZE_DRAIN_FACTOR } from "~/shopify/checkout-request.server";
import { MAX_WEBHOOK_BYTES } from "~/shopify/webhook-request.server";
import { databaseState } from "../../support/db-state";
import { restOrder, restRefund } from "../../support/orders";
import { restProduct } from "../../support/products";
import { ROOT } from "../../support/paths";
import { installShop } from "../../support/sessions";
import { callAction, signedWebhook, TEST_SECRET } from "../../support/webhooks";

/**
 * Every webhook route (found on disk, so a new one is covered automatically) refuses what Shopify would never send:
 * forged or missing signatures (401), missing headers (400), other methods (405), bodies over the limit (413), with
 * or without a Content-Length. After each refusal the database is byte-for-byte what it was.
 */
const SHOP = "hooks-security.myshopify.com";

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;

const ROUTE_FILES = fs
  .readdirSync(path.join(ROOT, "app", "routes"))
  .filter((f) => /^webhooks\..+\.tsx?$/.test(f))
  .sort();

/** webhooks.app.scopes_update.tsx → app/scopes_update */
const topicOf = (file: string) => file.replace(/^webhooks\./, "").replace(/\.tsx?$/, "").replace(".", "/");

/** A payload of the right shape for each topic, so that only the request's envelope is under test. */
function payloadFor(topic: string): unknown {
  if (topic.startsWith("orders/")) return restOrder({ id: 31337 });
  if (topic === "refunds/create") return restRefund({ id: 31338, order_id: 31337 });
  if (topic === "products/delete") return { id: 31339 };
  if (topic.startsWith("products/")) return restProduct({ id: 31339, tags: "Final Sale" });
  if (topic === "app/scopes_update") return { id: 1, previous: ["read_orders"], current: ["read_orders"], updated_at: "2026-11-01T00:00:00Z" };
  if (topic === "shop/update") return { id: 1, name: "Hooks", currency: "EUR", iana_timezone: "Europe/Paris", myshopify_domain: SHOP, updated_at: "2026-11-01T00:00:00Z" };
  const shopFields = { shop_id: 1, shop_domain: SHOP };
  if (topic === "customers/redact") return { ...shopFields, customer: { id: 501, email: "ada@example.com" }, orders_to_redact: [1] };
  if (topic === "customers/data_request") return { ...shopFields, customer: { id: 501 }, orders_requested: [1], data_request: { id: 9 } };
  return shopFields;
}

async function routeAction(file: string): Promise<Action> {
  const module = (await import(/* @vite-ignore */ path.join(ROOT, "app", "routes", file))) as { action?: Action };
  if (!module.action) throw new Error(`${file} has no action`);
  return module.action;
}

/** A signed request whose body streams in chunks without a Content-Length; counts the bytes the server pulled. */
function chunkedWebhook(topic: string, totalBytes: number) {
  const chunk = new TextEncoder().encode(`${" ".repeat(64 * 1024 - 1)}\n`);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= totalBytes) return controller.close();
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const headers = signedWebhook({ topic, shop: SHOP, body: {} }).headers;
  headers.delete("content-length");
  const request = new Request(`https://afterglow.test/webhooks/${topic}`, { method: "POST", headers, body, duplex: "half" } as RequestInit);
  return { request, pulled: () => pulled };
}

beforeEach(async () => {
  // Something for every destructive topic to destroy if it wrongly ran: a session and an order with its customer.
  await installShop(SHOP);
  const seed = await callAction(await routeAction("webhooks.orders.create.tsx"), signedWebhook({ topic: "orders/create", shop: SHOP, body: restOrder({ id: 1 }) }));
  expect(seed.status).toBe(200);
});

describe.each(ROUTE_FILES.map((file) => [file, topicOf(file)] as const))("%s", (file, topic) => {
  const body = JSON.stringify(payloadFor(topic));

  async function expectRefused(request: Request, status: number) {
    const action = await routeAction(file);
    const before = await databaseState();
    const response = await callAction(action, request);
    expect(response.status).toBe(status);
    expect(await databaseState()).toEqual(before);
  }

  it.each([
    ["signed with another app's secret", { secret: "another-apps-secret" }],
    ["without a signature", { secret: null }],
  ] as const)("401 %s", async (_label, options) => {
    await expectRefused(signedWebhook({ topic, shop: SHOP, body: null, rawBody: body, ...options }), 401);
  });

  it.each([
    ["a signature of another body", (r: Request) => r.headers.set("X-Shopify-Hmac-Sha256", getHmac(`${body} `, TEST_SECRET))],
    ["an empty signature", (r: Request) => r.headers.set("X-Shopify-Hmac-Sha256", "")],
    ["the signature in hex instead of base64", (r: Request) => r.headers.set("X-Shopify-Hmac-Sha256", Buffer.from(getHmac(body, TEST_SECRET), "base64").toString("hex"))],
  ] as const)("401 with %s", async (_label, tamper) => {
    const request = signedWebhook({ topic, shop: SHOP, body: null, rawBody: body });
    tamper(request);
    await expectRefused(request, 401);
  });

  it.each(["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-Webhook-Id", "X-Shopify-API-Version"])("400 without %s", async (header) => {
    const request = signedWebhook({ topic, shop: SHOP, body: null, rawBody: body });
    request.headers.delete(header);
    await expectRefused(request, 400);
  });

  it.each(["GET", "PUT", "PATCH", "DELETE"])("405 to %s", async (method) => {
    const signed = signedWebhook({ topic, shop: SHOP, body: null, rawBody: body });
    const hasBody = method !== "GET";
    await expectRefused(new Request(signed.url, { method, headers: signed.headers, ...(hasBody ? { body } : {}) }), 405);
  });

  it("413 to a body declared larger than the limit, before reading it", async () => {
    const request = signedWebhook({ topic, shop: SHOP, body: null, rawBody: body });
    request.headers.set("Content-Length", String(MAX_WEBHOOK_BYTES + 1));
    await expectRefused(request, 413);
  });

  it("413 to a body without Content-Length that grows past the limit, reading a bounded amount (the rest is cut off)", async () => {
    // The part past the limit is read and discarded, up to OVERSIZE_DRAIN_FACTOR × the limit, so that the 413 reaches
    // the client on a healthy connection (tests/integration/security/oversize-bodies.test.ts); a 64 MB body is cut off.
    const { request, pulled } = chunkedWebhook(topic, 64 * 1024 * 1024);
    await expectRefused(request, 413);
    expect(pulled()).toBeLessThanOrEqual(MAX_WEBHOOK_BYTES * OVERSIZE_DRAIN_FACTOR + 256 * 1024);
  });

  it("400 to a signed delivery whose X-Shopify-Topic names another topic (the header is not signed)", async () => {
    const request = signedWebhook({ topic, shop: SHOP, body: null, rawBody: body });
    request.headers.set("X-Shopify-Topic", topic === "products/delete" ? "products/update" : "products/delete");
    await expectRefused(request, 400);
  });

  it.each(["evil.example.com", "not a shop", "shop.myshopify.com.evil.example", "%00.myshopify.com", "-x.myshopify.com", ""])(
    "400 to a signed delivery whose X-Shopify-Shop-Domain is invalid (%j), never 500",
    async (shop) => {
      const request = signedWebhook({ topic, shop: SHOP, body: null, rawBody: body });
      request.headers.set("X-Shopify-Shop-Domain", shop);
      await expectRefused(request, 400);
    },
  );

  it("accepts the same delivery when it is genuine (the refusals above are about the envelope only)", async () => {
    const response = await callAction(await routeAction(file), signedWebhook({ topic, shop: SHOP, body: null, rawBody: body }));
    expect(response.status).toBe(200);
  });
});

describe("the webhook routes on disk", () => {
  it("are exactly the topics shopify.app.toml subscribes to (each one covered above)", () => {
    const toml = fs.readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8");
    const uris = [...toml.matchAll(/uri\s*=\s*"\/webhooks\/([^"]+)"/g)].map((m) => m[1]);
    expect(ROUTE_FILES.map(topicOf).sort()).toEqual([...new Set(uris)].sort());
    expect(ROUTE_FILES.length).toBeGreaterThanOrEqual(10);
  });
});

describe("a signed body that names another shop than X-Shopify-Shop-Domain (the header is not signed)", () => {
  const OTHER = "someone-else.myshopify.com";
  const SHOP_ID = "73014444";

  async function deliver(topic: string, body: unknown) {
    const file = `webhooks.${topic.replace("/", ".")}.tsx`;
    return callAction(await routeAction(file), signedWebhook({ topic, shop: SHOP, body }));
  }

  it.each([
    ["customers/redact", { shop_id: 1, shop_domain: OTHER, customer: { id: 501 }, orders_to_redact: [1] }],
    ["customers/data_request", { shop_id: 1, shop_domain: OTHER, customer: { id: 501 }, orders_requested: [1], data_request: { id: 9 } }],
    ["shop/redact", { shop_id: 1, shop_domain: OTHER }],
    ["app/uninstalled", { id: 1, domain: SHOP, myshopify_domain: OTHER }],
    ["shop/update", { id: 1, name: "Other", currency: "EUR", myshopify_domain: OTHER, updated_at: "2026-11-01T00:00:00Z" }],
  ] as const)("%s naming another shop's domain: 401, nothing changes", async (topic, body) => {
    const before = await databaseState();
    const response = await deliver(topic, body);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: [expect.stringMatching(/does not match X-Shopify-Shop-Domain$/)] });
    expect(await databaseState()).toEqual(before);
  });

  it.each([
    ["shop/redact", { shop_id: 999, shop_domain: SHOP }],
    ["customers/redact", { shop_id: 999, shop_domain: SHOP, customer: { id: 501 }, orders_to_redact: [1] }],
    ["app/uninstalled", { id: 999, myshopify_domain: null }],
    ["app/scopes_update", { id: 1, shop_id: "gid://shopify/Shop/999", previous: [], current: ["read_orders"], updated_at: "2026-11-01T00:00:00Z" }],
    ["shop/update", { id: 999, name: "Other", currency: "EUR", myshopify_domain: null, updated_at: "2026-11-01T00:00:00Z" }],
  ] as const)("%s naming another shop's id, once the shop's id is stored: 401, nothing changes", async (topic, body) => {
    await prisma.shop.upsert({ where: { shop: SHOP }, create: { shop: SHOP, shopifyId: SHOP_ID }, update: { shopifyId: SHOP_ID } });
    const before = await databaseState();
    const response = await deliver(topic, body);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: [expect.stringMatching(/does not match the shop's id$/)] });
    expect(await databaseState()).toEqual(before);
  });

  it.each([
    ["shop/redact by domain (any letter case) and id", { shop_id: Number(SHOP_ID), shop_domain: SHOP.toUpperCase() }],
    ["app/scopes_update by GID", { id: 1, shop_id: `gid://shopify/Shop/${SHOP_ID}`, previous: [], current: ["read_orders"], updated_at: "2026-11-01T00:00:00Z" }],
  ] as const)("accepts %s when the body names this very shop", async (label, body) => {
    await prisma.shop.upsert({ where: { shop: SHOP }, create: { shop: SHOP, shopifyId: SHOP_ID }, update: { shopifyId: SHOP_ID } });
    const response = await deliver(label.split(" ")[0]!, body);
    expect(response.status).toBe(200);
  });
});
