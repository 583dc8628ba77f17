import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "~/env.server";
import { SHOPIFY_API_VERSION } from "~/shopify/api-version";
import { ROOT } from "../support/paths";

const toml = fs.readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8");

describe("shopify.app.toml", () => {
  it("declares the webhook api_version the app speaks", () => {
    expect(/^api_version = "([^"]+)"/m.exec(toml)?.[1]).toBe(SHOPIFY_API_VERSION);
  });

  it("asks for the same scopes the app defaults to", () => {
    expect(/^scopes = "([^"]+)"/m.exec(toml)?.[1]).toBe(DEFAULT_SCOPES);
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
