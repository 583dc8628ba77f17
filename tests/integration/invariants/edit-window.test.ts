import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { SURVEY_EDIT_WINDOW_MS } from "~/domain/survey/edit-window";
import { action, loader } from "~/routes/api.checkout.survey";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { recordSurveyAnswer, surveyAnswerStatus } from "~/services/survey-answers.server";
import { resetSurveyRateLimits } from "../../support/rate-limits";
import { checkoutRequest } from "../../support/checkout";
import { restOrder } from "../../support/orders";
import { callAction, signedWebhook } from "../../support/webhooks";

/**
 * Invariant: the save and the order status page's check agree on the 24-hour edit window, to the millisecond.
 * One rule (isEditable, app/domain/survey/edit-window.ts): answers may be replaced while LESS than 24 hours have
 * passed since the first answer; at exactly 24 hours they are final ("within 24 hours": 24 h is no longer within).
 * Checked through the route (GET status, POST replace by the order's signed-in customer) at fixed times, for answers
 * to a stored order (SurveyResponse) and to an order the app has not received yet (PendingSurveyAnswer).
 */

const STORE = "edit-window";
const SHOP = `${STORE}.myshopify.com`;
const PATH = "/api/checkout/survey";
const HOUR = 3600_000;
const OWNER = "gid://shopify/Customer/501";
/** The first answer: a whole second of the real time (the session tokens' clock is faked from it). */
const FIRST = new Date(Math.floor(Date.now() / 1000) * 1000);

const gid = (order: number) => `gid://shopify/OrderIdentity/${order}`;

beforeEach(() => resetSurveyRateLimits());
afterEach(() => vi.useRealTimers());

let nextOrder = 6100;

describe("invariant: at 24 h - 1 ms, exactly 24 h and 24 h + 1 ms, the status and the save give the same answer", () => {
  it.each([
    { elapsed: SURVEY_EDIT_WINDOW_MS - 1, stored: true, editable: true, status: 200 },
    { elapsed: SURVEY_EDIT_WINDOW_MS, stored: true, editable: false, status: 409 },
    { elapsed: SURVEY_EDIT_WINDOW_MS + 1, stored: true, editable: false, status: 409 },
    { elapsed: SURVEY_EDIT_WINDOW_MS - 1, stored: false, editable: true, status: 200 },
    { elapsed: SURVEY_EDIT_WINDOW_MS, stored: false, editable: false, status: 409 },
    { elapsed: SURVEY_EDIT_WINDOW_MS + 1, stored: false, editable: false, status: 409 },
  ])("first answer + $elapsed ms, order stored: $stored → editable $editable, replace answers $status", async ({ elapsed, stored, editable, status }) => {
    // GIVEN an order of customer 501 (stored, or not received yet) answered (NPS 3) at FIRST by its customer
    const order = nextOrder++;
    if (stored) {
      const placed = new Date(FIRST.getTime() - HOUR).toISOString();
      const body = restOrder({ id: order, created_at: placed, processed_at: placed, updated_at: placed });
      expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP, body }))).status).toBe(200);
    }
    const first = await recordSurveyAnswer(SHOP, { orderId: gid(order), orderNumericId: String(order), locale: "en", answers: { nps: 3 } }, { surface: "thank-you", now: FIRST, writer: { customerId: "501" } });
    expect(first).toEqual({ outcome: stored ? "created" : "pending-created" });
    const row = () =>
      stored
        ? prisma.surveyResponse.findUniqueOrThrow({ where: { shop_orderId: { shop: SHOP, orderId: String(order) } } })
        : prisma.pendingSurveyAnswer.findUniqueOrThrow({ where: { shop_orderId: { shop: SHOP, orderId: String(order) } } });

    // WHEN the clock reads FIRST + elapsed, the order status page asks whether it may still change the answers
    const now = new Date(FIRST.getTime() + elapsed);
    vi.useFakeTimers({ toFake: ["Date"], now });
    const asked = await loader({ request: await checkoutRequest(STORE, PATH, { method: "GET", search: `?orderId=gid://shopify/Order/${order}`, sub: OWNER }), params: {}, context: {} });

    // THEN the status says so…
    expect(asked.status).toBe(200);
    expect(await asked.json()).toEqual({ answered: true, editable });
    expect(await surveyAnswerStatus(SHOP, String(order), now)).toEqual({ answered: true, editable });

    // …AND the save agrees: a replacement is taken (200, NPS 9) exactly when the status said editable, else 409
    const replaced = await callAction(action, await checkoutRequest(STORE, PATH, { body: { orderId: gid(order), locale: "en", answers: { nps: 9 } }, sub: OWNER, search: "?surface=order-status" }));
    expect(replaced.status).toBe(status);
    expect(await replaced.json()).toEqual(editable ? { ok: true } : { errors: { order: "This order's answers can no longer be changed" } });
    expect(await row()).toMatchObject({ nps: editable ? 9 : 3, createdAt: FIRST, updatedAt: editable ? now : FIRST });
  });
});

describe("recordSurveyAnswer's outcome on each side of the boundary (fixed times)", () => {
  it.each([
    { state: "stored order", elapsed: SURVEY_EDIT_WINDOW_MS - 1, first: "created", second: "updated", nps: 9 },
    { state: "stored order", elapsed: SURVEY_EDIT_WINDOW_MS, first: "created", second: "locked", nps: 3 },
    { state: "order not received yet", elapsed: SURVEY_EDIT_WINDOW_MS - 1, first: "pending-created", second: "pending-updated", nps: 9 },
    { state: "order not received yet", elapsed: SURVEY_EDIT_WINDOW_MS, first: "pending-created", second: "locked", nps: 3 },
    // Answers counted before the order was stored (rows from before decision 022): they stay where they are.
    { state: "confirmed answers, order not stored", elapsed: SURVEY_EDIT_WINDOW_MS - 1, first: null, second: "updated", nps: 9 },
    { state: "confirmed answers, order not stored", elapsed: SURVEY_EDIT_WINDOW_MS, first: null, second: "locked", nps: 3 },
  ])("$state, second answer at first + $elapsed ms: $second", async ({ state, elapsed, first, second, nps }) => {
    // GIVEN the first answer (NPS 3) at FIRST
    const order = nextOrder++;
    const where = { shop: SHOP, orderId: String(order) };
    const submission = (score: number) => ({ orderId: gid(order), orderNumericId: String(order), locale: "en", answers: { nps: score } });
    if (state === "stored order") {
      const placed = new Date(FIRST.getTime() - HOUR).toISOString();
      const body = restOrder({ id: order, created_at: placed, processed_at: placed, updated_at: placed });
      expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP, body }))).status).toBe(200);
    }
    if (first) {
      expect(await recordSurveyAnswer(SHOP, submission(3), { surface: "thank-you", now: FIRST, writer: { customerId: "501" } })).toEqual({ outcome: first });
    } else {
      await prisma.surveyResponse.create({ data: { ...where, tokenCustomerId: "501", nps: 3, locale: "en", surface: "thank-you", createdAt: FIRST, updatedAt: FIRST } });
    }

    // WHEN the customer answers again at FIRST + elapsed
    const outcome = await recordSurveyAnswer(SHOP, submission(9), { surface: "order-status", now: new Date(FIRST.getTime() + elapsed), writer: { customerId: "501" } });

    // THEN the outcome says what happened, and the one answer set of the order holds it
    expect(outcome).toEqual({ outcome: second });
    const confirmed = await prisma.surveyResponse.findMany({ where });
    const pending = await prisma.pendingSurveyAnswer.findMany({ where });
    expect([...confirmed, ...pending].map((r) => r.nps)).toEqual([nps]);
    expect(pending.length).toBe(state === "order not received yet" ? 1 : 0);
  });
});
