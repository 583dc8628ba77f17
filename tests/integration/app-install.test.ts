import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_SCOPES } from "~/env.server";
import { latestJob } from "~/models/jobs.server";
import { loader as layoutLoader } from "~/routes/app/route";
import { adminCalls, stubAdminOperation } from "../support/admin-api";
import { adminRequest } from "../support/sessions";

// The server build loads the entry module, which registers what an install starts (the order import): so does this test.
import "~/entry.server";

/**
 * An install, as Shopify's managed install does it: the first admin request of a shop Afterglow has no session for
 * carries a session token; the library exchanges it for an offline access token (the token endpoint is the one
 * stubbed exchange here, besides the Admin API), stores the session, then runs the install hook, which starts the
 * historical order import.
 */
const STORE = "fresh-install";
const SHOP = `${STORE}.myshopify.com`;
const OP = "gid://shopify/BulkOperation/9";

// The library fetches through the function its adapter took when it loaded: the setup's fetch (tests/support/setup.ts).
const setupFetch = globalThis.fetch;
afterEach(() => {
  setAbstractFetchFunc(setupFetch);
});

describe("installing the app on a shop", () => {
  it("stores the offline session from the token exchange, then starts the historical order import", async () => {
    // GIVEN a shop with no session, Shopify's token endpoint, and an Admin API with no orders and no products
    expect(await prisma.session.count({ where: { shop: SHOP } })).toBe(0);
    const exchanges: string[] = [];
    setAbstractFetchFunc(async (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (url !== `https://${SHOP}/admin/oauth/access_token`) return setupFetch(input, init);
      exchanges.push(String(init?.body ?? ""));
      return Response.json({ access_token: "offline-token", scope: DEFAULT_SCOPES, expires_in: 3600, refresh_token: "refresh", refresh_token_expires_in: 86400 });
    });
    stubAdminOperation("AfterglowBulkOrders", () => ({ bulkOperationRunQuery: { bulkOperation: { id: OP, status: "CREATED" }, userErrors: [] } }));
    stubAdminOperation("AfterglowBulkOperationStatus", () => ({ node: { id: OP, status: "COMPLETED", errorCode: null, objectCount: "0", url: null } }));
    stubAdminOperation("AfterglowProducts", () => ({ products: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }));

    // WHEN the merchant opens the app for the first time
    const layout = await layoutLoader({ request: await adminRequest(STORE, "/app"), params: {}, context: {} });

    // THEN the page is served, the offline session is stored, and the import was started for the shop and finishes
    expect(layout).toEqual({ apiKey: "test-api-key", demo: false, openFollowUps: 0, overdueFollowUps: 0 });
    expect(exchanges).toHaveLength(1);
    expect(await prisma.session.findMany({ where: { shop: SHOP }, select: { id: true, isOnline: true, accessToken: true } })).toEqual([
      { id: `offline_${SHOP}`, isOnline: false, accessToken: "offline-token" },
    ]);
    await vi.waitFor(async () => expect((await latestJob(SHOP, "order-import"))?.status).toBe("done"), { timeout: 10_000, interval: 50 });
    expect(await latestJob(SHOP, "order-import")).toMatchObject({ status: "done", detail: "0 orders, 0 refunds, 0 products imported" });
    expect(adminCalls.map((call) => [call.shop, call.operation])).toEqual([
      [SHOP, "AfterglowBulkOrders"],
      [SHOP, "AfterglowBulkOperationStatus"],
      [SHOP, "AfterglowProducts"],
    ]);
  });
});
