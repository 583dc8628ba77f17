import { expect, vi } from "vitest";
import { prisma } from "~/db.server";
import { formFromPolicy } from "~/routes/app.returns/policy-form";
import { DEFAULT_RETURN_POLICY } from "~/domain/returns/policy";
import { DEFAULT_SURVEY_CONFIG } from "~/domain/survey/questions";
import { action as checkoutSurvey } from "~/routes/api.checkout.survey";
import { action as checkoutSurveySeen } from "~/routes/api.checkout.survey.seen";
import { action as customerRewards } from "~/routes/api.customer-account.rewards";
import { action as dashboardAction } from "~/routes/app._index/route";
import { action as customerAction } from "~/routes/app.customers.$id/route";
import { action as followUpsAction } from "~/routes/app.followups/route";
import { loader as layoutLoader } from "~/routes/app/route";
import { action as loyaltyAction } from "~/routes/app.loyalty/route";
import { action as returnsAction } from "~/routes/app.returns/route";
import { action as surveyAction } from "~/routes/app.survey/route";
import { action as flowAction } from "~/routes/flow.actions.$handle";
import { action as flowTriggerLifecycle } from "~/routes/flow.trigger-lifecycle";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as productsCreate } from "~/routes/webhooks.products.create";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { latestRecomputeJob } from "~/services/loyalty.server";
import { resetSurveyRateLimits } from "./rate-limits";
import { stubTierPerks } from "./tier-perks";
import { stubAdminOperation } from "./admin-api";
import { checkoutRequest } from "./checkout";
import { callHandler, type Handler } from "./handlers";
import { restOrder, restRefund } from "./orders";
import { restProduct } from "./products";
import { rewardsRequest } from "./rewards";
import { adminRequest, installShop } from "./sessions";
import { flowActionRequest, flowLifecycleRequest } from "./flow";
import { callAction, signedWebhook } from "./webhooks";

/**
 * A shop seeded the way real traffic fills it: signed order and refund webhooks, survey answers through the
 * checkout endpoint with the extension's session token, staff work through the admin actions with App Bridge's
 * session token, and the compliance webhooks. Every text a shopper or the merchant typed carries `marker`, so a
 * test can look for it in responses (tenant isolation) or logs.
 *
 * The ids are fixed, so two shops seeded with this overlap: the same customer ids, order ids, refund id and
 * data request id.
 */
export const SEED_IDS = {
  customer: "501",
  otherCustomer: "502",
  /** Orders of customer 501. */
  orders: ["1001", "1002"],
  /** A guest order (no customer) named in the data request. */
  guestOrder: "1003",
  /** A guest order the data request does not name. */
  unnamedGuestOrder: "1005",
  /** Customer 502's order. */
  otherOrder: "1004",
  refund: "7001",
  dataRequest: "9001",
  /** A customer whose order, placed while the programme holds points pending, waits out its return window. */
  pendingCustomer: "504",
  pendingOrder: "1006",
} as const;

export interface SeededShop {
  store: string;
  shop: string;
  marker: string;
  /** The marked texts, by what they are. */
  texts: {
    firstName: string;
    lastName: string;
    email: string;
    phone: string;
    otherFirstName: string;
    otherEmail: string;
    comment: string;
    guestComment: string;
    attributionOther: string;
    notes: string;
    owner: string;
    pointsReason: string;
    tierName: string;
    surveyText: string;
    returnNote: string;
    rewardTitle: string;
  };
}

export function seedTexts(marker: string): SeededShop["texts"] {
  const lower = marker.toLowerCase();
  return {
    firstName: `${marker}Ada`,
    lastName: `${marker}Lovelace`,
    email: `${lower}.ada@example.com`,
    phone: "+1 613 555 0142",
    otherFirstName: `${marker}Grace`,
    otherEmail: `${lower}.grace@example.com`,
    comment: `${marker} the parcel came late and crushed`,
    guestComment: `${marker} guest loved the gift wrap`,
    attributionOther: `${marker} podcast`,
    notes: `${marker} called the shopper, agreed a refund`,
    owner: `${marker}Sam`,
    pointsReason: `${marker} goodwill for the delay`,
    tierName: `${marker} Platinum`,
    surveyText: `${marker} how likely are you to recommend us?`,
    returnNote: `${marker} returns go to our Leeds studio`,
    rewardTitle: `${marker} $5 off`,
  };
}

const at = (day: number) => `2026-10-${String(day).padStart(2, "0")}T10:00:00Z`;

async function deliver(action: Handler, topic: string, shop: string, body: unknown, webhookId?: string) {
  const response = await callAction(action as Parameters<typeof callAction>[0], signedWebhook({ topic, shop, body, webhookId }));
  expect(response.status, `${topic} for ${shop}`).toBe(200);
}

export async function postJson(store: string, path: string, body: unknown) {
  return adminRequest(store, path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

export async function postForm(store: string, path: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return adminRequest(store, path, { method: "POST", body: form });
}

async function answer(store: string, order: string, answers: Record<string, unknown>) {
  await resetSurveyRateLimits();
  const request = await checkoutRequest(store, "/api/checkout/survey", { body: { orderId: `gid://shopify/OrderIdentity/${order}`, locale: "en", answers } });
  const response = await callAction(checkoutSurvey, request);
  expect(response.status, `answer to ${order}`).toBe(201);
}

/** Waits for the background work an admin action may start (tier recompute) to finish. */
export async function settleBackgroundJobs(shop: string) {
  await vi.waitFor(async () => expect((await latestRecomputeJob(shop))?.status ?? "done").not.toBe("running"), { timeout: 30_000, interval: 20 });
  await vi.waitFor(async () => expect(await prisma.job.count({ where: { shop, status: "running" } })).toBe(0), { timeout: 30_000, interval: 20 });
}

/** Shopify's side of publishing a return policy: the refund policy update, the shop id and the survey metafield. */
export function stubReturnPolicyPublish() {
  stubAdminOperation("AfterglowRefundPolicyUpdate", (call) => ({
    shopPolicyUpdate: { shopPolicy: { type: "REFUND_POLICY", body: (call.variables?.shopPolicy as { body: string }).body, updatedAt: new Date().toISOString() }, userErrors: [] },
  }));
  stubAdminOperation("AfterglowShopPolicies", () => ({ shop: { shopPolicies: [] } }));
  stubAdminOperation("AfterglowShopId", () => ({ shop: { id: "gid://shopify/Shop/1" } }));
  stubAdminOperation("AfterglowSurveyPublish", () => ({ metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/1", updatedAt: new Date().toISOString() }], userErrors: [] } }));
}

export async function seedShop(store: string, marker: string): Promise<SeededShop> {
  const shop = `${store}.myshopify.com`;
  const t = seedTexts(marker);
  const ok = (label: string) => (result: { status: number; text: string }) => expect(result.status, `${label}: ${result.text}`).toBe(200);
  await installShop(shop);

  // The merchant's loyalty program (marked tier names) and survey wording.
  const tiers = [
    { key: "a", name: `${marker} Bronze`, threshold: "0", perkText: "", discountPercent: "", freeShipping: false, color: "#8C6A4F" },
    { key: "b", name: t.tierName, threshold: "100", perkText: `${marker} perk`, discountPercent: "", freeShipping: true, color: "#5B6770" },
  ];
  // Pending points off at first: the orders seeded next earn points available at once; pending ones come below.
  const form = { basis: "spend", window: "lifetime", pointsPerUnit: "1", tiers, pendingEnabled: false, pendingMaxDays: "60" };
  ok("loyalty save")(await callHandler(loyaltyAction, await postJson(store, "/app/loyalty", { intent: "save", form })));
  await settleBackgroundJobs(shop);
  // Its free-shipping perk: a segment and an automatic discount queued for Shopify (decision 039).
  stubTierPerks();
  const config = { ...DEFAULT_SURVEY_CONFIG, questions: { ...DEFAULT_SURVEY_CONFIG.questions, nps: { enabled: true, text: { en: t.surveyText } } } };
  ok("survey save")(await callHandler(surveyAction, await postJson(store, "/app/survey", { intent: "save", config })));
  // The seed's orders are dated October 2026 and answered through the checkout endpoint at the real time: a window
  // this wide keeps them answerable whenever the suite runs (the page allows 1–365 days; decision 022).
  await prisma.surveySettings.update({ where: { shop }, data: { answerWindowDays: 36500 } });

  // The return policy (a marked note and final-sale tag), saved and published to the stubbed Admin API.
  stubReturnPolicyPublish();
  const policy = { ...DEFAULT_RETURN_POLICY, note: t.returnNote, finalSaleTags: [`${marker.toLowerCase()}-final-sale`] };
  ok("returns publish")(await callHandler(returnsAction, await postJson(store, "/app/returns", { intent: "publish", form: formFromPolicy(policy, "USD") })));

  // The merchant hid the dashboard's setup guide.
  ok("setup guide dismiss")(await callHandler(dashboardAction, await postForm(store, "/app", { intent: "dismiss-setup-guide" })));

  // Orders and a refund, as Shopify delivers them.
  const ada = { id: Number(SEED_IDS.customer), first_name: t.firstName, last_name: t.lastName, email: t.email };
  const grace = { id: Number(SEED_IDS.otherCustomer), first_name: t.otherFirstName, last_name: `${marker}Hopper`, email: t.otherEmail };
  await deliver(ordersCreate, "orders/create", shop, restOrder({ id: 1001, created_at: at(1), processed_at: at(1), updated_at: at(1), total_price: "60.00", customer: ada }));
  await deliver(ordersCreate, "orders/create", shop, restOrder({ id: 1002, created_at: at(2), processed_at: at(2), updated_at: at(2), total_price: "150.00", customer: ada }));
  for (const [id, day] of [[1003, 3], [1005, 5]] as const) {
    await deliver(ordersCreate, "orders/create", shop, restOrder({ id, created_at: at(day), processed_at: at(day), updated_at: at(day), total_price: "25.00", customer: null }));
  }
  await deliver(ordersCreate, "orders/create", shop, restOrder({ id: 1004, created_at: at(4), processed_at: at(4), updated_at: at(4), total_price: "80.00", customer: grace }));
  // The product on every seeded line (product 77), with a marked title and tag; the refund gives one line back.
  await deliver(productsCreate, "products/create", shop, restProduct({ id: 77, title: `${marker} Tee`, tags: `${marker.toLowerCase()}-final-sale, cotton` }));
  await deliver(
    refundsCreate,
    "refunds/create",
    shop,
    restRefund({
      id: 7001,
      order_id: 1002,
      transactions: [{ id: 1, kind: "refund", status: "success", amount: "20.00", currency: "USD" }],
      refund_line_items: [{ line_item_id: 10020, quantity: 1, subtotal: "20.00", line_item: { product_id: 77, title: `${marker} Tee` } }],
    }),
  );

  // The survey shown on the thank-you page (decision 041): a seen record per order, no personal data.
  for (const order of ["1001", "1003"]) {
    const seen = await checkoutRequest(store, "/api/checkout/survey/seen", { search: "?surface=thank-you", body: { orderId: `gid://shopify/OrderIdentity/${order}` } });
    expect((await callAction(checkoutSurveySeen, seen)).status, `seen ${order}`).toBe(201);
  }
  // Survey answers at checkout: an unhappy one (opens a follow-up), a guest's, and the other customer's.
  await answer(store, "1001", { nps: 2, csat: 1, comment: t.comment, attribution: { optionId: "other", other: t.attributionOther } });
  await answer(store, "1003", { nps: 10, comment: t.guestComment });
  await answer(store, "1005", { nps: 4, comment: `${marker} unnamed guest comment` });
  await answer(store, "1004", { nps: 3, comment: `${marker} grace comment` });
  // And one to an order the app has not received yet: it waits apart, in no figure (decision 022).
  await answer(store, "1999", { nps: 6, comment: `${marker} pending comment` });

  // Staff work: the follow-up worked with owner and notes, a promoter marked, a points adjustment with a reason.
  const recovery = await prisma.followUp.findFirstOrThrow({ where: { shop, orderId: "1001", kind: "recovery" } });
  ok("follow-up update")(await callHandler(followUpsAction, await postForm(store, "/app/followups", { intent: "update", id: String(recovery.id), status: "contacted", owner: t.owner, notes: t.notes })));
  // Decision 044: staff opening the app (recorded), a note with its author, goodwill points and the response-time target.
  ok("layout")(await callHandler(layoutLoader, await adminRequest(store, "/app")));
  ok("follow-up note")(await callHandler(followUpsAction, await postForm(store, "/app/followups", { intent: "note", id: String(recovery.id), body: t.notes })));
  const goodwill = { intent: "goodwill", kind: "points", id: String(recovery.id), points: "10", reason: t.pointsReason, key: "seed-goodwill-0001" };
  ok("goodwill")(await callHandler(followUpsAction, await postForm(store, "/app/followups", goodwill)));
  ok("follow-up target")(await callHandler(followUpsAction, await postForm(store, "/app/followups", { intent: "settings", responseTargetHours: "12" })));
  const guestAnswer = await prisma.surveyResponse.findUniqueOrThrow({ where: { shop_orderId: { shop, orderId: "1003" } } });
  ok("mark")(await callHandler(followUpsAction, await postForm(store, "/app/followups", { intent: "mark", responseId: String(guestAnswer.id), action: "thank-you" })));
  const adjust = await customerAction({ request: await postForm(store, `/app/customers/${SEED_IDS.customer}`, { points: "25", reason: t.pointsReason }), params: { id: SEED_IDS.customer }, context: {} });
  expect(adjust).toMatchObject({ ok: true });

  // A reward in the catalogue (a marked title), and customer 501 redeeming it from their customer account: a code
  // Shopify (stubbed) creates for them.
  ok("reward save")(await callHandler(loyaltyAction, await postJson(store, "/app/loyalty", { intent: "save-reward", form: { title: t.rewardTitle, kind: "fixed_amount", pointsCost: "100", amount: "5", validityDays: "30" } })));
  stubAdminOperation("AfterglowRewardCodeBasicCreate", () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/1" }, userErrors: [] } }));
  const reward = await prisma.reward.findFirstOrThrow({ where: { shop } });
  const redeemed = await callHandler(customerRewards, await rewardsRequest(store, SEED_IDS.customer, { body: { rewardId: reward.id, idempotencyKey: "seed-redeem-1" } }));
  expect(redeemed.status, `redeem: ${redeemed.text}`).toBe(201);

  // Compliance: a data request for customer 501 naming two of their orders and the guest order 1003; a redaction of 502.
  await deliver(dataRequest, "customers/data_request", shop, {
    shop_id: 1,
    shop_domain: shop,
    orders_requested: [1001, 1002, 1003],
    customer: { id: Number(SEED_IDS.customer), email: t.email, phone: t.phone },
    data_request: { id: Number(SEED_IDS.dataRequest) },
  });
  await deliver(customersRedact, "customers/redact", shop, {
    shop_id: 1,
    shop_domain: shop,
    customer: { id: Number(SEED_IDS.otherCustomer), email: t.otherEmail, phone: t.phone },
    orders_to_redact: [1004],
  });
  // A finished bulk mirror of the shop's loyalty calls (docs/decisions/033-bulk-mirror.md; one of 500 customers or
  // more does not fit this seed), so that every per-shop table holds a row of the shop.
  await prisma.bulkMirrorOperation.create({
    data: { shop, kind: "tier-mirror", stage: "metafieldsSet", status: "done", customers: 500, lines: 1020, costPoints: 63, startedAt: new Date(at(6)), finishedAt: new Date(at(6)) },
  });
  // Shopify Flow: a workflow of the shop uses "Follow-up status changed" (the signed lifecycle callback).
  const lifecycle = { flow_trigger_definition_id: "follow-up-status-changed", has_enabled_flow: true, shop_id: 1, shopify_domain: shop, timestamp: new Date(at(6)).toISOString() };
  expect((await callAction(flowTriggerLifecycle, flowLifecycleRequest(lifecycle))).status).toBe(200);
  // And a workflow ran "Award loyalty points" for customer 501 (a signed action run, with a marked reason).
  const award = {
    shop_id: 1,
    shopify_domain: shop,
    action_run_id: `seed-${marker.toLowerCase()}-award-1`,
    action_definition_id: "award-points",
    handle: "award-points",
    properties: { customer_id: SEED_IDS.customer, points: 5, reason: `${marker} flow reason` },
  };
  const awarded = await flowAction({ request: flowActionRequest("award-points", award), params: { handle: "award-points" }, context: {} });
  expect(awarded.status, "flow award").toBe(200);
  // The merchant then has points wait out the return window (decision 043), and customer 504 orders today: their
  // points are pending (a PendingPoints row of the shop).
  const pendingForm = { basis: "spend", window: "lifetime", pointsPerUnit: "1", tiers, pendingEnabled: true, pendingMaxDays: "60" };
  ok("loyalty pending save")(await callHandler(loyaltyAction, await postJson(store, "/app/loyalty", { intent: "save", form: pendingForm })));
  await settleBackgroundJobs(shop);
  const now = new Date().toISOString();
  const waiting = { id: Number(SEED_IDS.pendingCustomer), first_name: `${marker}Pending`, last_name: `${marker}Buyer`, email: `${marker.toLowerCase()}.pending@example.com` };
  await deliver(ordersCreate, "orders/create", shop, restOrder({ id: Number(SEED_IDS.pendingOrder), created_at: now, processed_at: now, updated_at: now, total_price: "40.00", customer: waiting }));
  expect(await prisma.pendingPoints.count({ where: { shop } }), "pending points seeded").toBe(1);
  return { store, shop, marker, texts: t };
}
