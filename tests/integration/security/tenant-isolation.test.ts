import fs from "node:fs";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_SURVEY_CONFIG } from "~/domain/survey/questions";
import { deliverDueOutbox } from "~/services/outbox.server";
import { resetSurveyRateLimits } from "../../support/rate-limits";
import { formFromPolicy } from "~/routes/app.returns/policy-form";
import { DEFAULT_RETURN_POLICY } from "~/domain/returns/policy";
import { adminCalls, stubAdminOperation } from "../../support/admin-api";
import { checkoutRequest } from "../../support/checkout";
import { rewardsRequest } from "../../support/rewards";
import { databaseState } from "../../support/db-state";
import { callHandler, type Handler, type HandlerResult } from "../../support/handlers";
import { restOrder, restRefund } from "../../support/orders";
import { restProduct } from "../../support/products";
import { ROOT } from "../../support/paths";
import { flowActionRequest, flowLifecycleRequest } from "../../support/flow";
import { adminRequest } from "../../support/sessions";
import { postForm, postJson, SEED_IDS, seedShop, settleBackgroundJobs, stubReturnPolicyPublish, type SeededShop } from "../../support/shop-seed";
import { signedWebhook } from "../../support/webhooks";

/**
 * Tenant isolation. Two shops are seeded through real traffic (signed webhooks, checkout answers with the
 * extension's session token, admin actions with App Bridge's session token) with overlapping ids: the same customer,
 * order, refund and data request ids. Every route module under app/routes is then called as shop A, with shop A's
 * real session tokens, including with ids that only shop B has. For every call:
 * - the response never contains shop B's data: every text seeded into B carries a marker (names, emails, comments,
 *   notes, owner, tier names, survey wording, points reason) that A's seed does not, and B's domain never appears;
 * - shop B's rows in every table are byte-for-byte what they were before the first call;
 * - every Admin API call made was for shop A.
 * The suite reads app/routes at run time and fails when a route module (or one of its loader/action exports) is
 * not in the coverage table below, so a route added later must be added here.
 */
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const B_MARKER = "XYZZYB";
let A: SeededShop;
let B: SeededShop;
let snapshotB: Record<string, string>;
/** Ids that exist in shop B only. */
const B_ONLY = { order: "2002", customer: "503", followUpId: 0, responseId: 0, privacyRequestId: 0, outboxId: 0, rewardId: 0 };

type Kind = "loader" | "action";
type RouteArgs = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
type RouteModule = Partial<Record<Kind, (args: RouteArgs) => unknown>>;

interface Call {
  label: string;
  handler: Kind;
  request: () => Promise<Request>;
  params?: () => Record<string, string>;
  /** The status the call must get (the control that it really ran). */
  status: number;
  /** Shop A's marker must be in the response: the route did serve A's data. */
  servesA?: boolean;
  /** Background work the call starts, to finish before B is compared. */
  settle?: boolean;
  /** More about the answer. */
  check?: (result: HandlerResult) => void;
}

type Coverage = { calls: Call[] } | { reason: string };

const json = (store: string, p: string, body: unknown) => postJson(store, p, body);
const get = (p: string) => () => adminRequest(A.store, p);
const webhook = (topic: string, body: unknown) => async () => signedWebhook({ topic, shop: A.shop, body });
const at = (day: number) => `2026-11-${String(day).padStart(2, "0")}T10:00:00Z`;

/** Route id (file or folder name under app/routes) → how it is covered. Calls run in this order. */
const COVERAGE: Record<string, Coverage> = {
  _index: { calls: [{ label: "GET / with shop A's params redirects into the app", handler: "loader", request: async () => new Request(`https://afterglow.test/?shop=tenant-a.myshopify.com`), status: 302 }] },
  "auth.$": { calls: [{ label: "GET /auth/* with A's session token", handler: "loader", request: get("/auth/session-token"), status: 200 }] },
  "auth.login/route": {
    calls: [
      { label: "GET /auth/login", handler: "loader", request: async () => new Request("https://afterglow.test/auth/login"), status: 200 },
      { label: "POST /auth/login sends the typed shop to Shopify's login", handler: "action", request: async () => { const form = new FormData(); form.set("shop", "tenant-c.myshopify.com"); return new Request("https://afterglow.test/auth/login", { method: "POST", body: form }); }, status: 302 },
    ],
  },
  healthz: { calls: [{ label: "GET /healthz", handler: "loader", request: async () => new Request("https://afterglow.test/healthz"), status: 200 }] },
  "app/route": { calls: [{ label: "the admin layout (nav counts)", handler: "loader", request: get("/app"), status: 200 }] },
  "app._index/route": {
    calls: [
      { label: "the dashboard", handler: "loader", request: get("/app"), status: 200 },
      { label: "import past orders", handler: "action", request: () => postForm(A.store, "/app", { intent: "import-orders" }), status: 200, settle: true },
      { label: "dismiss the setup guide (naming B's shop in the form)", handler: "action", request: () => postForm(A.store, "/app", { intent: "dismiss-setup-guide", shop: B.shop }), status: 200 },
      { label: "show the setup guide again", handler: "action", request: () => postForm(A.store, "/app", { intent: "show-setup-guide" }), status: 200 },
    ],
  },
  "app.customers._index/route": {
    calls: [
      { label: "the customers list", handler: "loader", request: get("/app/customers"), status: 200, servesA: true },
      { label: "a search for the name of B's customer 503", handler: "loader", request: get("/app/customers?q=Kai"), status: 200, check: (r) => expect(r.value).toMatchObject({ customers: [] }) },
      { label: "B's customer 503 is a detractor in B: A's detractors and its count", handler: "loader", request: get("/app/customers?nps=detractor&limit=100"), status: 200, check: (r) => expect((r.value as { customers: { id: string }[] }).customers.map((c) => c.id)).not.toContain(B_ONLY.customer) },
      { label: "every NPS group and tier filter at once", handler: "loader", request: get("/app/customers?nps=none&tier=_none&q=a"), status: 200 },
    ],
  },
  "app.customers.$id/route": {
    calls: [
      { label: "customer 501 (both shops have one)", handler: "loader", request: get(`/app/customers/${SEED_IDS.customer}`), params: () => ({ id: SEED_IDS.customer }), status: 200, servesA: true },
      { label: "B's customer 503", handler: "loader", request: get(`/app/customers/${B_ONLY.customer}`), params: () => ({ id: B_ONLY.customer }), status: 404 },
      { label: "customer 501's answers, follow-ups and a ledger page, from a filtered list", handler: "loader", request: get(`/app/customers/${SEED_IDS.customer}?ledgerAfter=MTc5OTk5OTk5OTk5OToxMDAwMDA&list=nps%3Ddetractor`), params: () => ({ id: SEED_IDS.customer }), status: 200, servesA: true },
      { label: "points for customer 501", handler: "action", request: () => postForm(A.store, `/app/customers/${SEED_IDS.customer}`, { points: "5", reason: "tenant check" }), params: () => ({ id: SEED_IDS.customer }), status: 200 },
      { label: "points for B's customer 503", handler: "action", request: () => postForm(A.store, `/app/customers/${B_ONLY.customer}`, { points: "5", reason: "tenant check" }), params: () => ({ id: B_ONLY.customer }), status: 404 },
      { label: "a reward for B's customer 503", handler: "action", request: () => postForm(A.store, `/app/customers/${B_ONLY.customer}`, { intent: "issue-reward", rewardId: "1", reason: "tenant check" }), params: () => ({ id: B_ONLY.customer }), status: 404 },
      { label: "B's reward for customer 501", handler: "action", request: () => postForm(A.store, `/app/customers/${SEED_IDS.customer}`, { intent: "issue-reward", rewardId: String(B_ONLY.rewardId), reason: "tenant check" }), params: () => ({ id: SEED_IDS.customer }), status: 400 },
    ],
  },
  "app.export.answers[.]csv": {
    calls: [
      { label: "the answers CSV", handler: "loader", request: get("/app/export/answers.csv"), status: 200, servesA: true },
      { label: "the answers CSV, detractors only", handler: "loader", request: get("/app/export/answers.csv?question=nps&band=detractor"), status: 200, servesA: true },
    ],
  },
  "app.export.attribution[.]csv": {
    calls: [
      { label: "the attribution CSV", handler: "loader", request: get("/app/export/attribution.csv?range=12m"), status: 200, servesA: true },
    ],
  },
  "app.followups/route": {
    calls: [
      { label: "the open queue", handler: "loader", request: get("/app/followups"), status: 200 },
      { label: "every follow-up", handler: "loader", request: get("/app/followups?status=all"), status: 200, servesA: true },
      { label: "passives and promoters", handler: "loader", request: get("/app/followups?view=answers"), status: 200 },
      { label: "update B's follow-up", handler: "action", request: () => postForm(A.store, "/app/followups", { intent: "update", id: String(B_ONLY.followUpId), status: "resolved", notes: "tenant check" }), status: 404 },
      { label: "mark B's answer", handler: "action", request: () => postForm(A.store, "/app/followups", { intent: "mark", responseId: String(B_ONLY.responseId), action: "review-request" }), status: 404 },
      { label: "update A's own follow-up", handler: "action", request: async () => postForm(A.store, "/app/followups", { intent: "update", id: String((await prisma.followUp.findFirstOrThrow({ where: { shop: A.shop, kind: "recovery", orderId: "1001" } })).id), status: "resolved" }), status: 200 },
    ],
  },
  "app.reports/route": {
    calls: [{ label: "the attribution report", handler: "loader", request: get("/app/reports?range=12m"), status: 200, servesA: true }],
  },
  "app.loyalty/route": {
    calls: [
      { label: "the loyalty page", handler: "loader", request: get("/app/loyalty"), status: 200, servesA: true },
      { label: "retry B's failed outbox message", handler: "action", request: () => json(A.store, "/app/loyalty", { intent: "retry", id: B_ONLY.outboxId }), status: 400 },
      { label: "edit B's reward", handler: "action", request: () => json(A.store, "/app/loyalty", { intent: "save-reward", rewardId: B_ONLY.rewardId, form: { title: "tenant check", kind: "free_shipping", pointsCost: "1", validityDays: "1" } }), status: 404 },
      { label: "add a reward to A", handler: "action", request: () => json(A.store, "/app/loyalty", { intent: "save-reward", form: { title: "tenant check", kind: "percentage", percent: "10", pointsCost: "50", validityDays: "10" } }), status: 200 },
      {
        label: "save A's program (recomputes A's customers)",
        handler: "action",
        request: () => json(A.store, "/app/loyalty", { intent: "save", form: { basis: "orders", window: "lifetime", pointsPerUnit: "2", tiers: [{ key: "a", name: "Regular", threshold: "1", perkText: "", discountPercent: "", freeShipping: false, color: "#8C6A4F" }] } }),
        status: 200,
        settle: true,
      },
    ],
  },
  "app.survey/route": {
    calls: [
      { label: "the survey page (settings and answers)", handler: "loader", request: get("/app/survey"), status: 200, servesA: true },
      { label: "save A's draft", handler: "action", request: () => json(A.store, "/app/survey", { intent: "save", config: DEFAULT_SURVEY_CONFIG }), status: 200 },
      { label: "publish A's survey", handler: "action", request: () => json(A.store, "/app/survey", { intent: "publish", config: DEFAULT_SURVEY_CONFIG }), status: 200 },
    ],
  },
  "app.returns/route": {
    calls: [
      { label: "the returns page (policy, versions, publication, figures)", handler: "loader", request: get("/app/returns"), status: 200, servesA: true },
      { label: "save A's return policy", handler: "action", request: () => json(A.store, "/app/returns", { intent: "save", form: formFromPolicy({ ...DEFAULT_RETURN_POLICY, windowDays: 45 }, "USD") }), status: 200 },
      { label: "publish A's return policy", handler: "action", request: () => json(A.store, "/app/returns", { intent: "publish", form: formFromPolicy({ ...DEFAULT_RETURN_POLICY, windowDays: 60 }, "USD") }), status: 200 },
    ],
  },
  "app.demo/route": { calls: [{ label: "the demo log (404 outside the demo build)", handler: "loader", request: get("/app/demo"), status: 404 }] },
  "app.flow/route": {
    calls: [
      {
        label: "the Flow page",
        handler: "loader",
        request: get("/app/flow"),
        status: 200,
        // A's seeded action run (its id carries A's marker in lower case), never B's.
        check: (r) => {
          const ids = (JSON.parse(r.text) as { runs: { id: string }[] }).runs.map((run) => run.id);
          expect(ids).toContain(`seed-${A.marker.toLowerCase()}-award-1`);
          expect(ids).not.toContain(`seed-${B.marker.toLowerCase()}-award-1`);
        },
      },
      { label: "retry B's failed outbox message from the Flow page", handler: "action", request: () => json(A.store, "/app/flow", { intent: "retry", id: B_ONLY.outboxId }), status: 400 },
    ],
  },
  "app.privacy/route": { calls: [{ label: "the privacy requests", handler: "loader", request: get("/app/privacy"), status: 200 }] },
  "app.privacy.$id.export[.]json": {
    calls: [
      { label: "A's data request export", handler: "loader", request: async () => adminRequest(A.store, `/app/privacy/${await aDataRequestId()}/export.json`), params: () => ({ id: String(aDataRequestIdCache) }), status: 200, servesA: true },
      { label: "B's data request export", handler: "loader", request: async () => adminRequest(A.store, `/app/privacy/${B_ONLY.privacyRequestId}/export.json`), params: () => ({ id: String(B_ONLY.privacyRequestId) }), status: 404 },
    ],
  },
  "api.checkout.survey": {
    calls: [
      { label: "OPTIONS preflight", handler: "loader", request: () => checkoutRequest(A.store, "/api/checkout/survey", { method: "OPTIONS", token: null }), status: 204 },
      { label: "status of B's answered order 2002 with A's token", handler: "loader", request: () => checkoutRequest(A.store, "/api/checkout/survey", { method: "GET", search: `?orderId=gid://shopify/Order/${B_ONLY.order}` }), status: 200, check: (r) => expect(JSON.parse(r.text)).toMatchObject({ answered: false }) },
      { label: "status of order 1001 (answered in both shops)", handler: "loader", request: () => checkoutRequest(A.store, "/api/checkout/survey", { method: "GET", search: "?orderId=gid://shopify/Order/1001" }), status: 200 },
      { label: "an answer naming B's order 2002 with A's token (stored for A)", handler: "action", request: () => checkoutRequest(A.store, "/api/checkout/survey", { body: { orderId: `gid://shopify/OrderIdentity/${B_ONLY.order}`, locale: "en", answers: { nps: 0, comment: "tenant check" } } }), status: 201 },
      { label: "an answer to order 1001 (both shops) with A's token (A's own edit, signed in as its customer)", handler: "action", request: () => checkoutRequest(A.store, "/api/checkout/survey", { sub: `gid://shopify/Customer/${SEED_IDS.customer}`, body: { orderId: "gid://shopify/OrderIdentity/1001", locale: "en", answers: { nps: 1 } } }), status: 200 },
    ],
  },
  "api.checkout.survey.seen": {
    calls: [
      { label: "OPTIONS preflight", handler: "loader", request: () => checkoutRequest(A.store, "/api/checkout/survey/seen", { method: "OPTIONS", token: null }), status: 204 },
      { label: "seen naming B's order 2002 with A's token (stored for A)", handler: "action", request: () => checkoutRequest(A.store, "/api/checkout/survey/seen", { search: "?surface=thank-you", body: { orderId: `gid://shopify/OrderIdentity/${B_ONLY.order}` } }), status: 201 },
      { label: "seen of order 1001 (both shops) with A's token", handler: "action", request: () => checkoutRequest(A.store, "/api/checkout/survey/seen", { search: "?surface=order-status", body: { orderId: "gid://shopify/Order/1001" } }), status: 201 },
    ],
  },
  "api.checkout.survey.audience": {
    calls: [
      { label: "OPTIONS preflight", handler: "loader", request: () => checkoutRequest(A.store, "/api/checkout/survey/audience", { method: "OPTIONS", token: null }), status: 204 },
      { label: "B's customer 503 about a new order with A's token: B's orders never count", handler: "action", request: () => checkoutRequest(A.store, "/api/checkout/survey/audience", { sub: `gid://shopify/Customer/${B_ONLY.customer}`, body: { orderId: "gid://shopify/OrderIdentity/9999" } }), status: 200, check: (r) => expect(JSON.parse(r.text)).toEqual({ firstOrder: true, known: true }) },
      { label: "customer 501 (both shops) about B's order 2002 with A's token", handler: "action", request: () => checkoutRequest(A.store, "/api/checkout/survey/audience", { sub: `gid://shopify/Customer/${SEED_IDS.customer}`, body: { orderId: `gid://shopify/OrderIdentity/${B_ONLY.order}` } }), status: 200 },
    ],
  },
  "api.customer-account.rewards": {
    calls: [
      { label: "OPTIONS preflight", handler: "loader", request: () => rewardsRequest(A.store, null, { method: "OPTIONS", token: null }), status: 204 },
      { label: "customer 501's rewards (both shops have a 501) with A's token", handler: "loader", request: () => rewardsRequest(A.store, SEED_IDS.customer, { method: "GET" }), status: 200, servesA: true },
      { label: "B's customer 503 with A's token: nothing of theirs", handler: "loader", request: () => rewardsRequest(A.store, B_ONLY.customer, { method: "GET" }), status: 200, check: (r) => expect(JSON.parse(r.text)).toMatchObject({ balance: 0, codes: [], redemptions: [], history: [] }) },
      { label: "redeem B's reward with A's token", handler: "action", request: () => rewardsRequest(A.store, SEED_IDS.customer, { body: { rewardId: B_ONLY.rewardId, idempotencyKey: "tenant-redeem-b" } }), status: 404 },
      { label: "redeem with A's token, the key of B's seeded redemption", handler: "action", request: () => rewardsRequest(A.store, SEED_IDS.customer, { body: { rewardId: B_ONLY.rewardId, idempotencyKey: "seed-redeem-1" } }), status: 200, check: (r) => expect(JSON.parse(r.text)).toMatchObject({ redemption: { status: "issued" } }) },
    ],
  },
  // Webhooks: the shop is the signed X-Shopify-Shop-Domain header, so a delivery for A can only name A. Each is still
  // delivered for A with ids B also has, and B is compared after each. Uninstall and shop/redact come last.
  "webhooks.orders.create": { calls: [{ label: "orders/create 1001 (newer) for A", handler: "action", request: webhook("orders/create", restOrder({ id: 1001, created_at: at(1), updated_at: at(2), total_price: "61.00" })), status: 200 }] },
  "webhooks.orders.updated": { calls: [{ label: "orders/updated 1002 for A", handler: "action", request: webhook("orders/updated", restOrder({ id: 1002, created_at: at(1), updated_at: at(3), total_price: "151.00" })), status: 200 }] },
  "webhooks.orders.paid": { calls: [{ label: "orders/paid 1004 for A", handler: "action", request: webhook("orders/paid", restOrder({ id: 1004, created_at: at(1), updated_at: at(4), customer: { id: 502, first_name: null, last_name: null, email: null } })), status: 200 }] },
  "webhooks.orders.cancelled": { calls: [{ label: "orders/cancelled 1002 for A", handler: "action", request: webhook("orders/cancelled", restOrder({ id: 1002, created_at: at(1), updated_at: at(5), cancelled_at: at(5), total_price: "151.00" })), status: 200 }] },
  "webhooks.refunds.create": { calls: [{ label: "refunds/create 7001 (same id as B's) for A", handler: "action", request: webhook("refunds/create", restRefund({ id: 7001, order_id: 1001 })), status: 200 }] },
  "webhooks.products.create": { calls: [{ label: "products/create 77 (same id as B's) for A", handler: "action", request: webhook("products/create", restProduct({ id: 77, title: "A tee", tags: "a-only", updated_at: "2026-12-01T10:00:00Z" })), status: 200 }] },
  "webhooks.products.update": { calls: [{ label: "products/update 77 for A", handler: "action", request: webhook("products/update", restProduct({ id: 77, title: "A tee v2", tags: "a-only, sale", updated_at: "2026-12-02T10:00:00Z" })), status: 200 }] },
  "webhooks.products.delete": { calls: [{ label: "products/delete 77 for A", handler: "action", request: webhook("products/delete", { id: 77 }), status: 200 }] },
  "webhooks.customers.data_request": {
    calls: [{ label: "customers/data_request for A's 501, B's data request id", handler: "action", request: webhook("customers/data_request", { shop_id: 1, shop_domain: "tenant-a.myshopify.com", customer: { id: 501 }, orders_requested: [1001, 2002], data_request: { id: Number(SEED_IDS.dataRequest) + 1 } }), status: 200 }],
  },
  "webhooks.customers.redact": {
    calls: [{ label: "customers/redact of 501 for A", handler: "action", request: webhook("customers/redact", { shop_id: 1, shop_domain: "tenant-a.myshopify.com", customer: { id: 501 }, orders_to_redact: [1001, 1002, 1003, 2002] }), status: 200 }],
  },
  "webhooks.app.scopes_update": {
    calls: [{ label: "app/scopes_update for A", handler: "action", request: webhook("app/scopes_update", { id: 1, previous: ["read_orders"], current: ["read_orders", "write_customers"], updated_at: at(6) }), status: 200 }],
  },
  "flow.trigger-lifecycle": {
    calls: [{ label: "Flow lifecycle callback for A (signed body names A)", handler: "action", request: async () => flowLifecycleRequest({ flow_trigger_definition_id: "follow-up-status-changed", has_enabled_flow: false, shop_id: 1, shopify_domain: "tenant-a.myshopify.com", timestamp: at(7) }), status: 200 }],
  },
  "flow.actions.$handle": {
    calls: [
      {
        label: "Flow awards points to customer 501 of A (signed body names A)",
        handler: "action",
        request: async () => flowActionRequest("award-points", { shop_id: 1, shopify_domain: "tenant-a.myshopify.com", action_run_id: "tenant-award-1", handle: "award-points", properties: { customer_id: SEED_IDS.customer, points: 5, reason: "tenant check" } }),
        params: () => ({ handle: "award-points" }),
        status: 200,
      },
      {
        label: "Flow awards points to B's customer 503 in A",
        handler: "action",
        request: async () => flowActionRequest("award-points", { shop_id: 1, shopify_domain: "tenant-a.myshopify.com", action_run_id: "tenant-award-2", handle: "award-points", properties: { customer_id: B_ONLY.customer, points: 5, reason: "tenant check" } }),
        params: () => ({ handle: "award-points" }),
        status: 404,
      },
      {
        label: "Flow sets the follow-up of order 1001 of A",
        handler: "action",
        request: async () => flowActionRequest("set-follow-up-status", { shop_id: 1, shopify_domain: "tenant-a.myshopify.com", action_run_id: "tenant-status-1", handle: "set-follow-up-status", properties: { order_id: "1001", status: "resolved" } }),
        params: () => ({ handle: "set-follow-up-status" }),
        status: 200,
      },
    ],
  },
  "webhooks.app.uninstalled": { calls: [{ label: "app/uninstalled for A", handler: "action", request: webhook("app/uninstalled", { id: 1 }), status: 200 }] },
  "webhooks.shop.update": { calls: [{ label: "shop/update for A", handler: "action", request: webhook("shop/update", { id: 1, name: "Tenant A", currency: "USD", iana_timezone: "UTC", myshopify_domain: "tenant-a.myshopify.com", updated_at: at(6) }), status: 200 }] },
  "webhooks.shop.redact": { calls: [{ label: "shop/redact for A (deletes all of A)", handler: "action", request: webhook("shop/redact", { shop_id: 1, shop_domain: "tenant-a.myshopify.com" }), status: 200 }] },
};

let aDataRequestIdCache = 0;
async function aDataRequestId() {
  aDataRequestIdCache = (await prisma.privacyRequest.findFirstOrThrow({ where: { shop: A.shop, kind: "data-request" } })).id;
  return aDataRequestIdCache;
}

/** Route modules on disk: `<id>.ts(x)` files and `<id>/route.tsx` folders (the flat-routes conventions the app uses). */
function routeModulesOnDisk(): Map<string, string> {
  const dir = path.join(ROOT, "app", "routes");
  const modules = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const file = ["route.tsx", "route.ts", "route.jsx", "route.js"].find((f) => fs.existsSync(path.join(dir, entry.name, f)));
      if (file) modules.set(`${entry.name}/route`, path.join(dir, entry.name, file));
    } else if (/\.(tsx?|jsx?)$/.test(entry.name) && !/\.test\.(tsx?|jsx?)$/.test(entry.name)) {
      modules.set(entry.name.replace(/\.(tsx?|jsx?)$/, ""), path.join(dir, entry.name));
    }
  }
  return modules;
}

const MODULES = routeModulesOnDisk();
const loadRoute = async (id: string) => (await import(/* @vite-ignore */ MODULES.get(id)!)) as RouteModule;

/** Every string seeded into B only: the marker covers names, emails, comments, notes, owner, tier names, wording. */
function leaksOfB(text: string): string[] {
  const lower = text.toLowerCase();
  return [B_MARKER.toLowerCase(), B.shop, B.texts.phone].filter((needle) => lower.includes(needle.toLowerCase()));
}

beforeAll(async () => {
  A = await seedShop("tenant-a", "ALPHAQ");
  B = await seedShop("tenant-b", B_MARKER);
  // Ids only B has: a customer and an order with an answer and a follow-up.
  const extra = restOrder({ id: Number(B_ONLY.order), customer: { id: Number(B_ONLY.customer), first_name: `${B_MARKER}Kai`, last_name: `${B_MARKER}Only`, email: "xyzzyb.kai@example.com" } });
  expect((await callHandler((await loadRoute("webhooks.orders.create")).action as Handler, signedWebhook({ topic: "orders/create", shop: B.shop, body: extra }))).status).toBe(200);
  await resetSurveyRateLimits();
  const answer = await callHandler(
    (await loadRoute("api.checkout.survey")).action as Handler,
    await checkoutRequest(B.store, "/api/checkout/survey", { body: { orderId: `gid://shopify/OrderIdentity/${B_ONLY.order}`, locale: "en", answers: { nps: 1, comment: `${B_MARKER} only-B comment` } } }),
  );
  expect(answer.status).toBe(201);
  B_ONLY.responseId = (await prisma.surveyResponse.findUniqueOrThrow({ where: { shop_orderId: { shop: B.shop, orderId: B_ONLY.order } } })).id;
  B_ONLY.followUpId = (await prisma.followUp.findFirstOrThrow({ where: { shop: B.shop, orderId: B_ONLY.order } })).id;
  B_ONLY.privacyRequestId = (await prisma.privacyRequest.findFirstOrThrow({ where: { shop: B.shop, kind: "data-request" } })).id;
  B_ONLY.rewardId = (await prisma.reward.findFirstOrThrow({ where: { shop: B.shop } })).id;
  expect(await prisma.reward.count({ where: { shop: A.shop, id: B_ONLY.rewardId } })).toBe(0);
  // Shopify refuses the tier mirror calls: both shops' outbox messages end up failed (B's is retried by A below).
  for (const [operation, field] of [["AfterglowTagsAdd", "tagsAdd"], ["AfterglowTagsRemove", "tagsRemove"], ["AfterglowMetafieldsSet", "metafieldsSet"]]) {
    stubAdminOperation(operation!, () => ({ [field!]: { userErrors: [{ field: ["id"], message: "Customer does not exist" }] } }));
  }
  // The outbox logs each permanent failure as an error, on purpose.
  const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
  await deliverDueOutbox().finally(() => quiet.mockRestore());
  B_ONLY.outboxId = (await prisma.outboxMessage.findFirstOrThrow({ where: { shop: B.shop, status: "failed" } })).id;
  // Every id above exists in B, and A really has none of B's only ids.
  expect(await prisma.followUp.count({ where: { shop: A.shop, id: B_ONLY.followUpId } })).toBe(0);
  expect(await prisma.customer.count({ where: { shop: A.shop, id: B_ONLY.customer } })).toBe(0);
  snapshotB = await databaseState(B.shop);
  // 501, 502 and 504 (whose points wait out a return window) from the seed, and B's own customer.
  expect(JSON.parse(snapshotB.Customer!).length).toBe(4);
});

beforeEach(async () => {
  await resetSurveyRateLimits();
  stubAdminOperation("AfterglowShopProfile", () => ({ shop: { name: "Tenant A", currencyCode: "USD", ianaTimezone: "UTC", primaryDomain: { host: "a.example" } } }));
  stubAdminOperation("AfterglowBulkOrders", () => ({ bulkOperationRunQuery: { bulkOperation: { id: "gid://shopify/BulkOperation/1", status: "CREATED" }, userErrors: [] } }));
  stubAdminOperation("AfterglowBulkOperationStatus", () => ({ node: { id: "gid://shopify/BulkOperation/1", status: "COMPLETED", errorCode: null, objectCount: "0", url: null } }));
  stubAdminOperation("AfterglowProducts", () => ({ products: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }));
  stubReturnPolicyPublish();
});

describe("the coverage table", () => {
  it("lists every route module under app/routes, and nothing else", () => {
    expect(MODULES.size).toBeGreaterThanOrEqual(25);
    const missing = [...MODULES.keys()].filter((id) => !(id in COVERAGE));
    const stale = Object.keys(COVERAGE).filter((id) => !MODULES.has(id));
    expect(missing, "route modules with no entry in COVERAGE: add them to this suite").toEqual([]);
    expect(stale, "COVERAGE entries with no route module").toEqual([]);
  });

  it.each([...MODULES.keys()])("%s: each exported loader and action is called, or the entry states why not", async (id) => {
    const coverage = COVERAGE[id];
    if (!coverage) throw new Error(`${id} is not in COVERAGE`);
    if ("reason" in coverage) {
      expect(coverage.reason.length).toBeGreaterThan(20);
      return;
    }
    const module = await loadRoute(id);
    const exported = (["loader", "action"] as const).filter((kind) => typeof module[kind] === "function");
    expect(exported.length, `${id} exports neither a loader nor an action`).toBeGreaterThan(0);
    expect([...new Set(coverage.calls.map((c) => c.handler))].sort()).toEqual([...exported].sort());
  });
});

const CALLS = Object.entries(COVERAGE).flatMap(([id, coverage]) => ("calls" in coverage ? coverage.calls.map((call) => [id, call.label, call] as const) : []));

describe("every route called as shop A", () => {
  it.each(CALLS)("%s: %s — nothing of shop B returned or changed", async (id, _label, call) => {
    const handler = (await loadRoute(id))[call.handler] as Handler | undefined;
    if (!handler) throw new Error(`${id} has no ${call.handler}`);
    const result: HandlerResult = await callHandler(handler, await call.request(), call.params?.() ?? {});
    if (call.settle) await settleBackgroundJobs(A.shop);

    expect(result.status, result.text.slice(0, 300)).toBe(call.status);
    expect(leaksOfB(result.text), "shop B's data in shop A's response").toEqual([]);
    for (const [name, value] of result.headers) expect(leaksOfB(`${name}: ${value}`)).toEqual([]);
    if (call.servesA) expect(result.text).toContain(A.marker);
    call.check?.(result);
    expect(adminCalls.filter((c) => c.shop !== A.shop)).toEqual([]);
    expect(await databaseState(B.shop)).toEqual(snapshotB);
  });

  it("left shop A's own answer to B's order id with A, and B's answer and follow-up as they were", async () => {
    const answers = await prisma.surveyResponse.findMany({ where: { orderId: B_ONLY.order }, orderBy: { shop: "asc" } });
    expect(answers.map((a) => [a.shop, a.comment])).toEqual([[B.shop, `${B_MARKER} only-B comment`]]);
    // (A's own answer to 2002 went with shop/redact, the last call.)
    expect(await prisma.surveyResponse.count({ where: { shop: A.shop } })).toBe(0);
    expect(await databaseState(B.shop)).toEqual(snapshotB);
  });
});
