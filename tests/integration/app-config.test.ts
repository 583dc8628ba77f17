import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ALL_ORDERS_SCOPE } from "~/domain/orders/history-reach";
import { SHOP_NAMING_FIELDS } from "~/domain/webhook-shop";
import { DEFAULT_SCOPES } from "~/env.server";
import { log } from "~/logger.server";
import { SHOPIFY_API_VERSION } from "~/shopify/api-version";
import { webhookAction } from "~/webhooks/action.server";
import { WEBHOOK_TOPICS } from "~/webhooks/topics.server";
import { allowConsoleError } from "../support/console";
import { databaseState } from "../support/db-state";
import { ROOT } from "../support/paths";
import { installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

const toml = fs.readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8");

describe("shopify.app.toml", () => {
  it("declares the webhook api_version the app speaks", () => {
    expect(/^api_version = "([^"]+)"/m.exec(toml)?.[1]).toBe(SHOPIFY_API_VERSION);
  });

  it("asks for the same scopes the app defaults to", () => {
    expect(/^scopes = "([^"]+)"/m.exec(toml)?.[1]).toBe(DEFAULT_SCOPES);
  });

  it("declares read_all_orders as the one optional scope, asked at run time (decision 047), never required", () => {
    expect(/^optional_scopes = \[([^\]]*)\]/m.exec(toml)?.[1]).toBe(`"${ALL_ORDERS_SCOPE}"`);
    expect(DEFAULT_SCOPES.split(",")).not.toContain(ALL_ORDERS_SCOPE);
  });

  it("routes every subscription to a route file that exports an action, named in a Handled by comment", async () => {
    const blocks = toml.split("[[webhooks.subscriptions]]").slice(1);
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const block of blocks) {
      const uri = /uri = "([^"]+)"/.exec(block)?.[1];
      const handledBy = /# Handled by: (app\/routes\/[^\s]+\.tsx)/.exec(block)?.[1];
      expect(uri, block).toMatch(/^\/webhooks\//);
      const file = `app/routes/${uri!.slice(1).replaceAll("/", ".")}.tsx`;
      expect(handledBy).toBe(file);
      const mod = (await import(/* @vite-ignore */ path.join(ROOT, file))) as { action?: unknown };
      expect(typeof mod.action, file).toBe("function");
    }
  });

  it("subscribes to shop/update, which keeps the stored shop profile (currency, time zone) current", () => {
    expect(toml).toContain('topics = ["shop/update"]');
    expect(toml).toContain('uri = "/webhooks/shop/update"');
  });

  it("subscribes to the three mandatory compliance topics", () => {
    for (const topic of ["customers/data_request", "customers/redact", "shop/redact"]) {
      expect(toml).toContain(`compliance_topics = ["${topic}"]`);
    }
  });
});

/**
 * A webhook topic lives in three places that must agree: its subscription in shopify.app.toml, its route file
 * (app/routes/webhooks.<topic>.tsx, one line) and its entry in the topic table (app/webhooks/topics.server.ts), which
 * the HTTPS routes and the Pub/Sub consumer both dispatch on. A subscription without a route is a 404 Shopify retries
 * for ever; a route without an entry never applies anything; an entry without a subscription is dead code.
 */
describe("webhook topics: shopify.app.toml, the route files and the topic table agree", () => {
  const blocks = toml.split("[[webhooks.subscriptions]]").slice(1);
  const subscribed = blocks.flatMap((block) => [...(/topics\s*=\s*\[([^\]]*)\]/.exec(block)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]!));
  const routeFiles = fs.readdirSync(path.join(ROOT, "app", "routes")).filter((f) => /^webhooks\..+\.tsx?$/.test(f));
  /** webhooks.app.scopes_update.tsx → app/scopes_update */
  const topicOfFile = (file: string) => file.replace(/^webhooks\./, "").replace(/\.tsx?$/, "").replace(".", "/");
  const sorted = (list: Iterable<string>) => [...list].sort();

  it("subscribes to each topic once, at the route of that topic (a route accepts only its own topic)", () => {
    expect(subscribed.length).toBeGreaterThanOrEqual(14);
    expect(new Set(subscribed).size).toBe(subscribed.length);
    for (const block of blocks) {
      const topics = [.../(?:topics|compliance_topics)\s*=\s*\[([^\]]*)\]/.exec(block)![1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      expect(topics, block).toHaveLength(1);
      expect(/uri = "([^"]+)"/.exec(block)?.[1], block).toBe(`/webhooks/${topics[0]}`);
    }
  });

  it("has a route file for every subscribed topic and no other", () => {
    expect(sorted(routeFiles.map(topicOfFile))).toEqual(sorted(subscribed));
  });

  it("has an entry in the topic table for every subscribed topic and no other", () => {
    expect(sorted(Object.keys(WEBHOOK_TOPICS))).toEqual(sorted(subscribed));
  });

  it("names in SHOP_NAMING_FIELDS only topics of the table (a misspelt topic would check nothing)", () => {
    for (const topic of Object.keys(SHOP_NAMING_FIELDS)) expect(Object.keys(WEBHOOK_TOPICS), topic).toContain(topic);
  });

  it.each(routeFiles)("%s is one line: the table's action", async (file) => {
    const code = fs
      .readFileSync(path.join(ROOT, "app", "routes", file), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith("//"));
    expect(code).toEqual(['export { webhookAction as action } from "~/webhooks/action.server";']);
    const mod = (await import(/* @vite-ignore */ path.join(ROOT, "app", "routes", file))) as { action?: unknown };
    expect(mod.action).toBe(webhookAction);
  });

  it("answers 404 (logged), never 500 for ever, to a signed delivery on a route whose topic has no entry", async () => {
    // GIVEN an installed shop, and a route (as a new route file would be) for a topic the table lacks
    const shop = "config-no-entry.myshopify.com";
    await installShop(shop);
    const before = await databaseState();
    allowConsoleError();
    const error = vi.spyOn(log, "error");

    // WHEN Shopify delivers it, signed
    const response = await callAction(webhookAction, signedWebhook({ topic: "carts/create", shop, body: { id: 1 } }));

    // THEN 404, an error log naming the topic, and nothing written
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: ["no handler for this topic"] });
    expect(error.mock.calls).toEqual([["webhook route without an entry in the topic table", { topic: "carts/create" }]]);
    expect(await databaseState()).toEqual(before);
    error.mockRestore();
  });
});
