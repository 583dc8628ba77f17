import { describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { validateSubmission } from "~/domain/survey/answer";
import { loader as dashboardLoader } from "~/routes/app._index/route";
import { loader as followUpsLoader } from "~/routes/app.followups/route";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as shopUpdate } from "~/routes/webhooks.shop.update";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { adminCalls, stubAdminOperation } from "../support/admin-api";
import { callHandler } from "../support/handlers";
import { restOrder } from "../support/orders";
import { adminRequest, installNewShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * The follow-up's e-mail subject is in the shop's language (decision 049): the default locale of the shop's primary
 * domain, read with the shop profile the dashboard already fetches (no extra call, no scope), kept current by
 * shop/update's `primary_locale`; unknown, or a language Afterglow has no strings for, falls back to the language the
 * customer answered in, then English. Real signed requests and webhooks; only the Admin API is stubbed.
 */
vi.setConfig({ testTimeout: 30_000 });

const HOUR = 3_600_000;
const storeOf = (shop: string) => shop.replace(".myshopify.com", "");
const PROFILE_DOCUMENT = `#graphql
  query AfterglowShopProfile {
    shop {
      id
      name
      currencyCode
      ianaTimezone
      updatedAt
      primaryDomain { host localization { defaultLocale } }
    }
  }
`;

let nextOrder = 8_400_000;

/** An unhappy answer of customer `customerId` in `locale` on a new order; returns the order's name. */
async function unhappyAnswer(shop: string, customerId: string, locale: string) {
  const id = ++nextOrder;
  const placed = new Date(Date.now() - 2 * HOUR).toISOString();
  const body = restOrder({ id, created_at: placed, processed_at: placed, updated_at: placed, customer: { id: Number(customerId), first_name: "Ada", last_name: "L", email: `c${customerId}@example.com` } });
  expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }))).status).toBe(200);
  const checked = validateSubmission({ orderId: `gid://shopify/OrderIdentity/${id}`, locale, answers: { nps: 2 } });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  await recordSurveyAnswer(shop, checked.value, { surface: "order-status", now: new Date(Date.now() - HOUR) });
  return `#${id}`;
}

/** The subject and mailto of each follow-up on the page, by order name. */
async function subjects(shop: string) {
  const page = await callHandler(followUpsLoader, await adminRequest(storeOf(shop), "/app/followups"));
  expect(page.status).toBe(200);
  const rows = (page.value as { queue: { rows: { orderName: string; contact: { subject: string; mailto: string | null } }[] } }).queue.rows;
  return Object.fromEntries(rows.map((r) => [r.orderName, r.contact]));
}

/** The Admin API's answer to the profile query; `defaultLocale` undefined leaves `localization` out (a redirecting domain). */
function stubProfile(defaultLocale: string | undefined, shopifyId = "548380009") {
  stubAdminOperation("AfterglowShopProfile", () => ({
    shop: {
      id: `gid://shopify/Shop/${shopifyId}`,
      name: "Language Shop",
      currencyCode: "EUR",
      ianaTimezone: "Europe/Berlin",
      updatedAt: "2026-11-30T10:00:00Z",
      primaryDomain: { host: "language.example", localization: defaultLocale ? { defaultLocale, alternateLocales: [], country: "DE" } : null },
    },
  }));
}

describe("the follow-up's e-mail subject in the shop's language", () => {
  it("uses the primary domain's default locale from the profile query, over the customer's language", async () => {
    // GIVEN a shop whose primary domain speaks German, and a customer who answered in Canadian French
    const shop = await installNewShop("subject-de");
    stubProfile("de");
    const order = await unhappyAnswer(shop, "9101", "fr-CA");

    // WHEN the dashboard loads (it fetches the profile) and then the follow-ups page
    expect((await callHandler(dashboardLoader, await adminRequest(storeOf(shop), "/app"))).status).toBe(200);
    const contact = (await subjects(shop))[order];

    // THEN the profile document sent is exactly the one that reads the domain's language, and the subject is German
    expect(adminCalls.map((c) => [c.shop, c.operation, c.query, c.variables])).toEqual([[shop, "AfterglowShopProfile", PROFILE_DOCUMENT, undefined]]);
    expect(await prisma.shop.findUniqueOrThrow({ where: { shop }, select: { primaryLocale: true } })).toEqual({ primaryLocale: "de" });
    expect(contact).toEqual({
      subject: `Zu Ihrer Bestellung ${order}`,
      mailto: `mailto:c9101@example.com?subject=${encodeURIComponent(`Zu Ihrer Bestellung ${order}`)}`,
      email: "c9101@example.com",
      orderUrl: `shopify://admin/orders/${order.slice(1)}`,
    });
  });

  it("follows shop/update's primary_locale when the merchant changes the shop's language", async () => {
    // GIVEN the German shop of the first case, its profile stored
    const shop = await installNewShop("subject-update");
    stubProfile("de", "548380010");
    expect((await callHandler(dashboardLoader, await adminRequest(storeOf(shop), "/app"))).status).toBe(200);
    const order = await unhappyAnswer(shop, "9201", "en");

    // WHEN Shopify delivers shop/update saying the primary locale is now Spanish
    const body = { id: 548380010, name: "Language Shop", currency: "EUR", iana_timezone: "Europe/Berlin", updated_at: "2026-12-01T10:00:00Z", primary_locale: "es" };
    expect((await callAction(shopUpdate, signedWebhook({ topic: "shop/update", shop, body }))).status).toBe(200);

    // THEN the subject is Spanish
    expect((await subjects(shop))[order]!.subject).toBe(`Sobre tu pedido ${order}`);
    expect(await prisma.shop.findUniqueOrThrow({ where: { shop }, select: { primaryLocale: true } })).toEqual({ primaryLocale: "es" });
  });

  it("falls back to the customer's language while the shop's is unknown or has no strings, then to English", async () => {
    // GIVEN a shop whose profile says no language (its domain's localization is null)
    const shop = await installNewShop("subject-fallback");
    stubProfile(undefined, "548380011");
    expect((await callHandler(dashboardLoader, await adminRequest(storeOf(shop), "/app"))).status).toBe(200);
    const french = await unhappyAnswer(shop, "9301", "fr");
    const japanese = await unhappyAnswer(shop, "9302", "ja");

    // THEN the French customer gets French, the Japanese one (no strings) English
    expect(await prisma.shop.findUniqueOrThrow({ where: { shop }, select: { primaryLocale: true } })).toEqual({ primaryLocale: null });
    let byOrder = await subjects(shop);
    expect([byOrder[french]!.subject, byOrder[japanese]!.subject]).toEqual([`À propos de votre commande ${french}`, `About your order ${japanese}`]);

    // WHEN shop/update says Italian (no strings for it) THEN the customer's language still decides
    const body = { id: 548380011, name: "Language Shop", currency: "EUR", iana_timezone: "Europe/Rome", updated_at: "2026-12-01T10:00:00Z", primary_locale: "it" };
    expect((await callAction(shopUpdate, signedWebhook({ topic: "shop/update", shop, body }))).status).toBe(200);
    byOrder = await subjects(shop);
    expect([byOrder[french]!.subject, byOrder[japanese]!.subject]).toEqual([`À propos de votre commande ${french}`, `About your order ${japanese}`]);
  });
});
