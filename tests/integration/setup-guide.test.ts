import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { dashboardAction } from "~/routes/app._index/action.server";
import { dashboardLoader } from "~/routes/app._index/loader.server";
import { loadSetupGuide, type SetupStepId } from "~/services/setup-guide.server";
import { stubAdminOperation } from "../support/admin-api";
import { callHandler } from "../support/handlers";
import { adminRequest, installNewShop } from "../support/sessions";
import { postForm } from "../support/shop-seed";
import { TEST_API_KEY } from "../support/webhooks";

/**
 * The dashboard's setup guide: each step ticks from the row that completes it, in its own shop only, and rows that
 * look close but do not complete it (a draft survey, a failed publish, a running or failed import, another job)
 * leave it open. Dismissing goes through the dashboard's action with a real session token and is kept per shop.
 */

const AT = new Date("2026-11-20T10:00:00Z");

async function doneSteps(shop: string): Promise<SetupStepId[]> {
  const guide = await loadSetupGuide(shop);
  expect(guide.completed).toBe(guide.steps.filter((s) => s.done).length);
  return guide.steps.filter((s) => s.done).map((s) => s.id);
}

/** Two fresh installed shops: `shop` gets the rows, `other` must stay untouched by them. */
async function twoShops() {
  return { shop: await installNewShop("setup-guide"), other: await installNewShop("setup-guide-other") };
}

async function answer(shop: string, orderId: string, surface: "thank-you" | "order-status") {
  await prisma.surveyResponse.create({ data: { shop, orderId, nps: 9, locale: "en", surface, createdAt: AT, updatedAt: AT } });
}

describe("setup guide steps tick from what the app can see", () => {
  it("a new shop has five steps, none done, and editor links for both survey pages", async () => {
    const { shop } = await twoShops();
    const guide = await loadSetupGuide(shop);
    expect(guide.steps.map((s) => s.id)).toEqual(["survey-blocks", "publish-survey", "loyalty", "return-policy", "import-orders"]);
    expect(guide).toMatchObject({ dismissed: false, completed: 0, surfaces: { thankYou: false, orderStatus: false } });
    for (const [link, page, target] of [
      [guide.editorLinks.thankYou, "thank-you", "purchase.thank-you.block.render"],
      [guide.editorLinks.orderStatus, "order-status", "customer-account.order-status.block.render"],
    ] as const) {
      const url = new URL(link);
      expect(`${url.protocol}//${url.host}${url.pathname}`).toBe("shopify://admin/settings/checkout/editor");
      expect(Object.fromEntries(url.searchParams)).toEqual({ page, context: "apps", app: TEST_API_KEY, addAppBlockId: `${TEST_API_KEY}/post-purchase-survey`, target });
    }
  });

  it("the survey blocks step needs a first answer from the thank-you page and one from the order status page", async () => {
    const { shop, other } = await twoShops();
    await answer(shop, "1001", "thank-you");
    expect((await loadSetupGuide(shop)).surfaces).toEqual({ thankYou: true, orderStatus: false });
    expect(await doneSteps(shop)).toEqual([]);
    await answer(shop, "1002", "order-status");
    expect((await loadSetupGuide(shop)).surfaces).toEqual({ thankYou: true, orderStatus: true });
    expect(await doneSteps(shop)).toEqual(["survey-blocks"]);
    // Order status alone is not enough either, and another shop's answers never count.
    await answer(other, "1001", "order-status");
    expect((await loadSetupGuide(other)).surfaces).toEqual({ thankYou: false, orderStatus: true });
    expect(await doneSteps(other)).toEqual([]);
  });

  it("publish the survey: a saved draft is not enough, a publish is", async () => {
    const { shop, other } = await twoShops();
    await prisma.surveySettings.create({ data: { shop, draft: "{}", lastPublishError: "Shopify refused" } });
    expect(await doneSteps(shop)).toEqual([]);
    await prisma.surveySettings.update({ where: { shop }, data: { published: "{}", publishedAt: AT, lastPublishError: null } });
    expect(await doneSteps(shop)).toEqual(["publish-survey"]);
    expect(await doneSteps(other)).toEqual([]);
  });

  it("review the loyalty program: a saved program", async () => {
    const { shop, other } = await twoShops();
    expect(await doneSteps(shop)).toEqual([]);
    await prisma.loyaltyProgram.create({ data: { shop, basis: "spend", window: "lifetime", pointsPerUnit: 1, tiers: "[]" } });
    expect(await doneSteps(shop)).toEqual(["loyalty"]);
    expect(await doneSteps(other)).toEqual([]);
  });

  it("publish the return policy: a failed publish is not enough, a published version is", async () => {
    const { shop, other } = await twoShops();
    await prisma.returnPolicyPublication.create({ data: { shop, lastError: "Shopify refused", lastErrorAt: AT } });
    expect(await doneSteps(shop)).toEqual([]);
    await prisma.returnPolicyPublication.update({ where: { shop }, data: { version: 1, publishedAt: AT, body: "<p>Returns</p>", lastError: null, lastErrorAt: null } });
    expect(await doneSteps(shop)).toEqual(["return-policy"]);
    expect(await doneSteps(other)).toEqual([]);
  });

  it("import past orders: a finished import, not a running or failed one, nor another job", async () => {
    const { shop, other } = await twoShops();
    const job = (kind: string, status: string) => ({ shop, kind, status, startedAt: AT, finishedAt: status === "running" ? null : AT });
    await prisma.job.create({ data: job("order-import", "running") });
    await prisma.job.create({ data: job("order-import", "failed") });
    await prisma.job.create({ data: job("tier-recompute", "done") });
    expect(await doneSteps(shop)).toEqual([]);
    await prisma.job.create({ data: job("order-import", "done") });
    expect(await doneSteps(shop)).toEqual(["import-orders"]);
    expect(await doneSteps(other)).toEqual([]);
  });

  it("all five done: 5 of 5", async () => {
    const { shop } = await twoShops();
    await answer(shop, "1", "thank-you");
    await answer(shop, "2", "order-status");
    await prisma.surveySettings.create({ data: { shop, draft: "{}", published: "{}", publishedAt: AT } });
    await prisma.loyaltyProgram.create({ data: { shop, basis: "orders", window: "rolling12", pointsPerUnit: 2, tiers: "[]" } });
    await prisma.returnPolicyPublication.create({ data: { shop, version: 1, publishedAt: AT } });
    await prisma.job.create({ data: { shop, kind: "order-import", status: "done", startedAt: AT, finishedAt: AT } });
    const guide = await loadSetupGuide(shop);
    expect(guide.completed).toBe(5);
    expect(guide.steps.every((s) => s.done)).toBe(true);
  });
});

describe("the per-surface check on a large shop", () => {
  it("reaches SurveyResponse through [shop, surface] and reads no answer of the other surface", async () => {
    // GIVEN a shop with 20,000 thank-you answers and none from the order status page, among 40 other shops with 1,000
    // answers each from both pages (written with the rollup triggers off, as the query-plan suite seeds them; then
    // analysed, as autovacuum leaves a production table)
    const BIG = "plan-big.myshopify.com";
    await prisma.$transaction([
      prisma.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`),
      prisma.$executeRawUnsafe(`
        INSERT INTO "SurveyResponse" ("shop", "orderId", "nps", "locale", "surface", "createdAt", "updatedAt")
        SELECT 'plan-' || (n % 40) || '.myshopify.com', n::text, n % 11, 'en', CASE WHEN n % 3 = 0 THEN 'order-status' ELSE 'thank-you' END,
          timestamptz '2026-01-01 00:00Z' + n * interval '1 minute', timestamptz '2026-01-01 00:00Z'
        FROM generate_series(1, 40000) n`),
      prisma.$executeRawUnsafe(`
        INSERT INTO "SurveyResponse" ("shop", "orderId", "nps", "locale", "surface", "createdAt", "updatedAt")
        SELECT '${BIG}', n::text, n % 11, 'en', 'thank-you', timestamptz '2026-01-01 00:00Z' + n * interval '1 minute', timestamptz '2026-01-01 00:00Z'
        FROM generate_series(1, 20000) n`),
    ]);
    await prisma.$executeRawUnsafe(`ANALYZE "SurveyResponse"`);
    const plan = await prisma.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(
      `EXPLAIN (ANALYZE, FORMAT JSON) SELECT EXISTS (SELECT 1 FROM "SurveyResponse" WHERE "shop" = '${BIG}' AND "surface" = 'order-status')`,
    );
    const text = JSON.stringify(plan[0]!["QUERY PLAN"]);
    // THEN the index answers it: no scan of the table, and no row of the shop's other surface is read
    expect(text).toContain('"Index Name":"SurveyResponse_surface_shop_idx"');
    expect(text).not.toContain("Seq Scan");
    expect(text).not.toMatch(/"Rows Removed by Filter":[1-9]/);
    // AND the generic plan (what the prepared statement may switch to) uses it too
    const generic = await prisma.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(
      `EXPLAIN (GENERIC_PLAN, FORMAT JSON) SELECT EXISTS (SELECT 1 FROM "SurveyResponse" WHERE "shop" = $1 AND "surface" = 'order-status')`,
    );
    expect(JSON.stringify(generic[0]!["QUERY PLAN"])).toContain('"Index Name":"SurveyResponse_surface_shop_idx"');
    expect((await loadSetupGuide(BIG)).surfaces).toEqual({ thankYou: true, orderStatus: false });
  });
});

describe("dismissing the setup guide", () => {
  const store = (shop: string) => shop.replace(".myshopify.com", "");
  const dashboard = async (shop: string) => {
    const result = await callHandler(dashboardLoader, await adminRequest(store(shop), "/app"));
    expect(result.status).toBe(200);
    return (result.value as { setupGuide: { dismissed: boolean; completed: number } }).setupGuide;
  };

  it("is kept per shop, for the session's shop only, until shown again", async () => {
    stubAdminOperation("AfterglowShopProfile", () => ({ shop: { name: "Guide shop", currencyCode: "USD", ianaTimezone: "UTC", primaryDomain: { host: "guide.example" } } }));
    const { shop, other } = await twoShops();
    expect(await dashboard(shop)).toMatchObject({ dismissed: false, completed: 0 });

    // WHEN shop A dismisses the guide (a posted shop field is ignored: the shop is the session token's)
    const dismissed = await callHandler(dashboardAction, await postForm(store(shop), "/app", { intent: "dismiss-setup-guide", shop: other }));
    expect(dismissed.status).toBe(200);

    // THEN A's dashboard no longer shows it, on every later load; B's still does
    expect(await dashboard(shop)).toMatchObject({ dismissed: true });
    expect(await dashboard(shop)).toMatchObject({ dismissed: true });
    expect(await dashboard(other)).toMatchObject({ dismissed: false });
    expect(await prisma.setupGuide.count({ where: { shop: other } })).toBe(0);
    // A step done meanwhile still counts while it is hidden
    await answer(shop, "1", "thank-you");
    await answer(shop, "2", "order-status");
    expect(await dashboard(shop)).toMatchObject({ dismissed: true, completed: 1 });

    // WHEN A shows it again
    expect((await callHandler(dashboardAction, await postForm(store(shop), "/app", { intent: "show-setup-guide" }))).status).toBe(200);
    expect(await dashboard(shop)).toMatchObject({ dismissed: false, completed: 1 });
  });

  it("refuses an unknown intent", async () => {
    const { shop } = await twoShops();
    const result = await callHandler(dashboardAction, await postForm(store(shop), "/app", { intent: "dismiss-everything" }));
    expect(result.status).toBe(400);
    expect(await prisma.setupGuide.count({ where: { shop } })).toBe(0);
  });
});
