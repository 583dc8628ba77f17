import { describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { latestJob } from "~/models/jobs.server";
import { loader as layoutLoader } from "~/routes/app/route";
import { loader as dashboardLoader } from "~/routes/app._index/route";
import { loader as followUpsLoader } from "~/routes/app.followups/route";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { sessionStorage } from "~/shopify.server";
import { adminCalls, adminCallTokens, failAdminOperation, stubAdminOperation } from "../support/admin-api";
import { callHandler } from "../support/handlers";
import { adminRequestAs, installShop } from "../support/sessions";
import { expectedExchangeBody, OFFLINE_TOKEN_TYPE, ONLINE_TOKEN_TYPE, stubTokenExchange, tokenExchanges, type StaffUser } from "../support/token-exchange";
import { callAction, signedWebhook } from "../support/webhooks";

// The server build loads the entry module, which registers what a token exchange starts (the import after an
// install): so does this test.
import "~/entry.server";

/**
 * Installing the app and staff opening it, with online access tokens (decision 049). Shopify's managed install leaves
 * the app no session; the first admin request of each staff member carries a session token the library exchanges at
 * Shopify's token endpoint (stubbed here, besides the Admin API: tests/support/token-exchange.ts) for the shop's
 * offline token and the staff member's online token, which names them. The install starts the historical order
 * import with the offline token; a colleague's first visit starts nothing more.
 */
vi.setConfig({ testTimeout: 30_000 });

const OP = "gid://shopify/BulkOperation/9";
const args = (request: Request) => ({ request, params: {}, context: {} });
const STAFF: Record<string, StaffUser> = {
  "12345": { id: 12345, firstName: "Test", lastName: "User", email: "test@refused.example" },
  "7001": { id: 7001, firstName: "Amara", lastName: "Okafor", email: "amara@fresh.example" },
  "7002": { id: 7002, firstName: "Lukas", lastName: "Brandt", email: "lukas@fresh.example" },
  "8001": { id: 8001, firstName: "Mallory", lastName: "Elsewhere", email: "mallory@other.example" },
};

/** Shopify's token endpoint: the staff member is the session token's `sub`. */
function stubShopifyTokens() {
  stubTokenExchange((_shop, sessionToken) => {
    const sub = JSON.parse(Buffer.from(sessionToken.split(".")[1]!, "base64url").toString()) as { sub: string };
    return STAFF[sub.sub]!;
  });
}

/** An Admin API with no orders and no products (what the import reads). */
function stubEmptyShop() {
  stubAdminOperation("AfterglowBulkOrders", () => ({ bulkOperationRunQuery: { bulkOperation: { id: OP, status: "CREATED" }, userErrors: [] } }));
  stubAdminOperation("AfterglowBulkOperationStatus", () => ({ node: { id: OP, status: "COMPLETED", errorCode: null, objectCount: "0", url: null } }));
  stubAdminOperation("AfterglowProducts", () => ({ products: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }));
}

async function importJobs(shop: string) {
  return prisma.job.findMany({ where: { shop, kind: "order-import" }, orderBy: { id: "asc" }, select: { status: true } });
}

async function waitForImport(shop: string) {
  await vi.waitFor(async () => expect((await latestJob(shop, "order-import"))?.status).toBe("done"), { timeout: 10_000, interval: 50 });
}

/** Staff member `userId` opens the app of `store` for the first time; resolves once the install's import is done. */
async function firstVisit(store: string, userId: number) {
  await layoutLoader(args((await adminRequestAs(store, userId, "/app")).request));
  await waitForImport(`${store}.myshopify.com`);
}

describe("installing the app, and staff opening it", () => {
  it("exchanges the first visit's session token for the offline and the online token, imports with the offline one, and names the staff member", async () => {
    // GIVEN a shop with no session, Shopify's token endpoint, and an Admin API with no orders and no products
    const store = "fresh-install";
    const shop = `${store}.myshopify.com`;
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    stubShopifyTokens();
    stubEmptyShop();

    // WHEN Amara opens the app for the first time
    const { request, token } = await adminRequestAs(store, 7001, "/app");
    const layout = await layoutLoader(args(request));

    // THEN the page is served after exactly two exchanges of her session token: the shop's offline token (expiring), then
    // her online token
    expect(layout).toEqual({ apiKey: "test-api-key", demo: false, openFollowUps: 0, overdueFollowUps: 0 });
    expect(tokenExchanges).toEqual([
      { shop, method: "POST", body: expectedExchangeBody(token, OFFLINE_TOKEN_TYPE) },
      { shop, method: "POST", body: expectedExchangeBody(token, ONLINE_TOKEN_TYPE) },
    ]);
    // both sessions are stored: the online one names her, without her e-mail (nothing needs it)
    expect(await prisma.session.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { id: true, isOnline: true, accessToken: true, userId: true, firstName: true, lastName: true, email: true } })).toEqual([
      { id: `${shop}_7001`, isOnline: true, accessToken: `online-token-${shop}-7001`, userId: 7001n, firstName: "Amara", lastName: "Okafor", email: null },
      { id: `offline_${shop}`, isOnline: false, accessToken: `offline-token-${shop}`, userId: null, firstName: null, lastName: null, email: null },
    ]);
    // the historical import ran with the shop's OFFLINE token, never her online one
    await waitForImport(shop);
    expect(await latestJob(shop, "order-import")).toMatchObject({ status: "done", detail: "0 orders, 0 refunds, 0 products imported" });
    expect(adminCalls.map((call) => [call.shop, call.operation])).toEqual([
      [shop, "AfterglowBulkOrders"],
      [shop, "AfterglowBulkOperationStatus"],
      [shop, "AfterglowProducts"],
    ]);
    expect(adminCallTokens).toEqual([`offline-token-${shop}`, `offline-token-${shop}`, `offline-token-${shop}`]);
    // and she is one of the shop's staff, by name
    expect(await prisma.staffMember.findMany({ where: { shop }, select: { userId: true, firstName: true, lastName: true } })).toEqual([
      { userId: "7001", firstName: "Amara", lastName: "Okafor" },
    ]);

    // WHEN she opens another page: her stored online session serves it, no exchange
    tokenExchanges.length = 0;
    await layoutLoader(args((await adminRequestAs(store, 7001, "/app")).request));
    expect(tokenExchanges).toEqual([]);
  });

  it("a colleague's first visit is exchanged too, starts no second import, and adds them to the owner picker; another shop's staff are never listed", async () => {
    // GIVEN a shop Amara installed (its import done), and another shop where Mallory opened the app
    const store = "two-staff";
    const shop = `${store}.myshopify.com`;
    stubShopifyTokens();
    stubEmptyShop();
    await firstVisit(store, 7001);
    await firstVisit("two-staff-other", 8001);
    tokenExchanges.length = 0;

    // WHEN Lukas opens the app for the first time, then the follow-ups page
    const { request, token } = await adminRequestAs(store, 7002, "/app");
    await layoutLoader(args(request));
    const page = await callHandler(followUpsLoader, (await adminRequestAs(store, 7002, "/app/followups")).request);

    // THEN his token was exchanged (the library asks for both tokens again), no second import started, and the owner
    // picker lists both colleagues by name, and nobody of the other shop
    expect(tokenExchanges).toEqual([
      { shop, method: "POST", body: expectedExchangeBody(token, OFFLINE_TOKEN_TYPE) },
      { shop, method: "POST", body: expectedExchangeBody(token, ONLINE_TOKEN_TYPE) },
    ]);
    expect(await importJobs(shop)).toEqual([{ status: "done" }]);
    expect(page.status).toBe(200);
    expect((page.value as { staff: unknown }).staff).toEqual([
      { userId: "7001", name: "Amara Okafor" },
      { userId: "7002", name: "Lukas Brandt" },
    ]);
    const other = await callHandler(followUpsLoader, (await adminRequestAs("two-staff-other", 8001, "/app/followups")).request);
    expect((other.value as { staff: unknown }).staff).toEqual([{ userId: "8001", name: "Mallory Elsewhere" }]);
  });

  it("a reinstall after an uninstall imports again; an online session that outlived the shop's offline one is exchanged again", async () => {
    // GIVEN a shop installed by Amara (its import done), then uninstalled (all its sessions deleted)
    const store = "reinstall";
    const shop = `${store}.myshopify.com`;
    stubShopifyTokens();
    stubEmptyShop();
    await firstVisit(store, 7001);
    expect((await callAction(uninstalled, signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1 } }))).status).toBe(200);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    tokenExchanges.length = 0;

    // WHEN she opens the app after reinstalling it
    await layoutLoader(args((await adminRequestAs(store, 7001, "/app")).request));

    // THEN both tokens were exchanged and the import ran again
    expect(tokenExchanges.map((e) => e.body.requested_token_type)).toEqual([OFFLINE_TOKEN_TYPE, ONLINE_TOKEN_TYPE]);
    await waitForImport(shop);
    expect(await importJobs(shop)).toEqual([{ status: "done" }, { status: "done" }]);

    // WHEN the shop's offline session is gone while her online one is still valid
    expect(await sessionStorage.deleteSession(`offline_${shop}`)).toBe(true);
    tokenExchanges.length = 0;
    const layout = await layoutLoader(args((await adminRequestAs(store, 7001, "/app")).request));

    // THEN her online session is dropped and both are exchanged again: the page is served, no import starts
    expect(layout).toEqual({ apiKey: "test-api-key", demo: false, openFollowUps: 0, overdueFollowUps: 0 });
    expect(tokenExchanges.map((e) => e.body.requested_token_type)).toEqual([OFFLINE_TOKEN_TYPE, ONLINE_TOKEN_TYPE]);
    expect((await prisma.session.findMany({ where: { shop }, orderBy: { isOnline: "asc" }, select: { id: true } })).map((s) => s.id)).toEqual([`offline_${shop}`, `${shop}_7001`]);
    expect(await importJobs(shop)).toEqual([{ status: "done" }, { status: "done" }]);
  });

  it("an offline token Shopify refuses on a page's call is exchanged again with the request's session token, and the call retried once", async () => {
    // GIVEN an installed shop (its import done at install) whose stored offline token Shopify no longer accepts (401 once)
    const store = "refused-token";
    const shop = `${store}.myshopify.com`;
    await installShop(shop);
    await prisma.job.create({ data: { shop, kind: "order-import", status: "done", startedAt: new Date(Date.now() - 86_400_000), finishedAt: new Date() } });
    stubShopifyTokens();
    stubAdminOperation("AfterglowShopProfile", () => ({ shop: { name: "Refused", currencyCode: "EUR", ianaTimezone: "UTC", primaryDomain: { host: "refused.example" } } }));
    failAdminOperation("AfterglowShopProfile", { status: 401 });

    // WHEN the test user (12345, seeded online session) opens the dashboard, which fetches the shop profile
    const { request, token } = await adminRequestAs(store, 12345, "/app");
    const page = await callHandler(dashboardLoader, request);

    // THEN the page is served: the refused call, both exchanges of the request's session token, the call again with
    // the new offline token; the exchange started no import (the shop's was done)
    expect(page.status).toBe(200);
    expect((page.value as { profile: unknown }).profile).toMatchObject({ name: "Refused", currency: "EUR" });
    expect(adminCalls.map((c) => c.operation)).toEqual(["AfterglowShopProfile", "AfterglowShopProfile"]);
    expect(adminCallTokens).toEqual([`token-${shop}`, `offline-token-${shop}`]);
    expect(tokenExchanges).toEqual([
      { shop, method: "POST", body: expectedExchangeBody(token, OFFLINE_TOKEN_TYPE) },
      { shop, method: "POST", body: expectedExchangeBody(token, ONLINE_TOKEN_TYPE) },
    ]);
    expect(await importJobs(shop)).toEqual([{ status: "done" }]);
  });
});
