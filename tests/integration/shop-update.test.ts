import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { action } from "~/routes/webhooks.shop.update";
import { ensureShopProfile, PROFILE_MAX_AGE_MS, shopDisplay } from "~/services/shop-profile.server";
import { adminGraphqlForShop } from "~/shopify/admin-for-shop.server";
import { adminCalls, stubAdminOperation } from "../support/admin-api";
import { ROOT } from "../support/paths";
import { installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * shop/update keeps the stored shop profile current (issue 14, defect 12): a changed time zone labels days from then
 * on, a changed currency is recorded; applied once per webhook id, never over a newer profile. The deliveries are
 * Shopify's published sample (tests/fixtures/shopify-webhooks/shop__update.json) with the fields under test filled in:
 * the sample itself has `"iana_timezone": null`, `"updated_at": null` and `"myshopify_domain": null`.
 */
const SAMPLE = fs.readFileSync(path.join(ROOT, "tests", "fixtures", "shopify-webhooks", "shop__update.json"), "utf8");

function shopUpdate(shop: string, fields: { timezone: string; currency: string; name: string; updatedAt: string }, webhookId?: string) {
  const rawBody = SAMPLE.replace('"iana_timezone": null', `"iana_timezone": ${JSON.stringify(fields.timezone)}`)
    .replace('"currency": "USD"', `"currency": ${JSON.stringify(fields.currency)}`)
    .replace('"name": "Super Toys"', `"name": ${JSON.stringify(fields.name)}`)
    .replace('"updated_at": null', `"updated_at": ${JSON.stringify(fields.updatedAt)}`)
    .replace('"myshopify_domain": null', `"myshopify_domain": ${JSON.stringify(shop)}`);
  return callAction(action, signedWebhook({ topic: "shop/update", shop, body: null, rawBody, ...(webhookId ? { webhookId } : {}) }));
}

const profileOf = (shop: string) =>
  prisma.shop.findUniqueOrThrow({ where: { shop }, select: { name: true, currency: true, timezone: true, shopifyId: true, profileUpdatedAt: true } });

describe("POST /webhooks/shop/update", () => {
  it("records a changed currency and time zone; days are shown in the new zone from then on", async () => {
    // GIVEN a shop whose profile says Paris and EUR
    const shop = "tz-move.myshopify.com";
    await prisma.shop.create({ data: { shop, name: "Before", currency: "EUR", timezone: "Europe/Paris" } });
    expect(await shopDisplay(shop)).toEqual({ currency: "EUR", timezone: "Europe/Paris" });

    // WHEN Shopify says the shop moved to New York and sells in USD
    const response = await shopUpdate(shop, { timezone: "America/New_York", currency: "USD", name: "After", updatedAt: "2026-11-02T10:00:00-05:00" });

    // THEN the profile follows, with Shopify's id and updated_at, and pages label days in the new zone
    expect(response.status).toBe(200);
    expect(await profileOf(shop)).toEqual({
      name: "After",
      currency: "USD",
      timezone: "America/New_York",
      shopifyId: "548380009",
      profileUpdatedAt: new Date("2026-11-02T15:00:00.000Z"),
    });
    expect(await shopDisplay(shop)).toEqual({ currency: "USD", timezone: "America/New_York" });
  });

  it("ignores an older delivery arriving late (Shopify's updated_at), acknowledging it", async () => {
    const shop = "tz-stale.myshopify.com";
    expect((await shopUpdate(shop, { timezone: "Asia/Tokyo", currency: "JPY", name: "Newer", updatedAt: "2026-11-03T00:00:00Z" })).status).toBe(200);
    const before = await profileOf(shop);

    const late = await shopUpdate(shop, { timezone: "Europe/Paris", currency: "EUR", name: "Older", updatedAt: "2026-11-01T00:00:00Z" });

    expect(late.status).toBe(200);
    expect(await profileOf(shop)).toEqual(before);
    expect(before).toMatchObject({ name: "Newer", currency: "JPY", timezone: "Asia/Tokyo" });
  });

  it("applies a webhook id once: a repeat delivery changes nothing", async () => {
    const shop = "tz-repeat.myshopify.com";
    const webhookId = "shop-update-repeat-1";
    expect((await shopUpdate(shop, { timezone: "Europe/Berlin", currency: "EUR", name: "First", updatedAt: "2026-11-01T00:00:00Z" }, webhookId)).status).toBe(200);
    const before = await profileOf(shop);

    // The same webhook id again (its body can only be the same; a changed one proves nothing is re-applied)
    const repeat = await shopUpdate(shop, { timezone: "America/Chicago", currency: "USD", name: "Again", updatedAt: "2026-11-05T00:00:00Z" }, webhookId);

    expect(repeat.status).toBe(200);
    expect(await profileOf(shop)).toEqual(before);
    expect(await prisma.webhookDelivery.count({ where: { shop, webhookId } })).toBe(1);
  });
});

describe("ensureShopProfile", () => {
  const profile = { shop: { id: "gid://shopify/Shop/777", name: "Fetched", currencyCode: "CAD", ianaTimezone: "America/Toronto", updatedAt: "2026-11-04T00:00:00Z", primaryDomain: null } };

  it("serves a stored profile without asking Shopify, but refetches one older than its maximum age", async () => {
    const shop = "profile-age.myshopify.com";
    await installShop(shop);
    const graphql = await adminGraphqlForShop(shop);
    stubAdminOperation("AfterglowShopProfile", () => profile);
    const now = new Date("2026-12-01T12:00:00Z");
    await prisma.shop.create({ data: { shop, name: "Stored", currency: "EUR", timezone: "Europe/Paris", updatedAt: new Date(now.getTime() - 60_000) } });

    // GIVEN a profile stored a minute ago: served from the database
    expect(await ensureShopProfile(shop, graphql, now)).toMatchObject({ name: "Stored", currency: "EUR", timezone: "Europe/Paris" });
    expect(adminCalls).toEqual([]);

    // WHEN it is older than the maximum age (a shop/update lost for good): fetched again, and stored with the id
    await prisma.shop.update({ where: { shop }, data: { updatedAt: new Date(now.getTime() - PROFILE_MAX_AGE_MS - 1) } });
    expect(await ensureShopProfile(shop, graphql, now)).toMatchObject({ name: "Fetched", currency: "CAD", timezone: "America/Toronto", shopifyId: "777" });
    expect(adminCalls.map((c) => c.operation)).toEqual(["AfterglowShopProfile"]);
    expect(await profileOf(shop)).toEqual({ name: "Fetched", currency: "CAD", timezone: "America/Toronto", shopifyId: "777", profileUpdatedAt: new Date("2026-11-04T00:00:00Z") });
  });
});
