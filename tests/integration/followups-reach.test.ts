import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { validateSubmission } from "~/domain/survey/answer";
import { loader as layoutLoader } from "~/routes/app/route";
import { loader as dashboardLoader } from "~/routes/app._index/route";
import { loader as customerLoader } from "~/routes/app.customers.$id/route";
import { action as followUpsAction, loader as followUpsLoader } from "~/routes/app.followups/route";
import { action as lifecycleAction } from "~/routes/flow.trigger-lifecycle";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { applyFollowUpAction, followUpResponseTimes, navFollowUpCounts } from "~/services/followups.server";
import { deliverDueOutbox } from "~/services/outbox.server";
import { customerDataExport } from "~/services/privacy-export.server";
import { noteStaffVisit } from "~/services/staff.server";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { FLOW_TRIGGER_RECEIVE_MUTATION } from "~/shopify/flow-triggers.server";
import { PENDING_AFTER_MS, sweepRewardCodes } from "~/services/rewards-sweep.server";
import { adminCalls, failAdminOperation, stubAdminOperation } from "../support/admin-api";
import { flowLifecycleRequest } from "../support/flow";
import { callHandler } from "../support/handlers";
import { restOrder } from "../support/orders";
import { addReward } from "../support/rewards";
import { adminRequest, installNewShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * Follow-ups that reach the customer (issue 22, decision 044): contact details and earlier answers, the response-time
 * target (overdue, nav badge, median times), owners from the shop's staff, authored notes, goodwill points and codes,
 * the Flow triggers of marks and goodwill, and privacy. Real signed requests (session-token JWTs, webhooks), a real
 * PostgreSQL; only the Admin API is stubbed. The session token's user is Shopify's test user, 12345.
 */

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });
afterEach(() => vi.restoreAllMocks());

const HOUR = 3_600_000;
const TEST_USER = "12345";
const storeOf = (shop: string) => shop.replace(".myshopify.com", "");
type Args = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
const args = (request: Request): Args => ({ request, params: {}, context: {} });

let nextOrder = 7_100_000;

/** A signed orders/create for `customerId` (or a guest), placed an hour before `at`; returns the order id. */
async function orderOf(shop: string, customerId: string | null, at: Date, email = `c${customerId}@example.com`) {
  const id = ++nextOrder;
  const placed = new Date(at.getTime() - HOUR).toISOString();
  const body = restOrder({ id, created_at: placed, processed_at: placed, updated_at: placed });
  if (customerId) (body as { customer?: unknown }).customer = { id: Number(customerId), first_name: "Ada", last_name: "Lovelace", email };
  else delete (body as { customer?: unknown }).customer;
  expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }))).status).toBe(200);
  return String(id);
}

/** An answer for a new order of `customerId`, given at `at` in `locale` (through the survey service). */
async function answer(shop: string, customerId: string | null, answers: Record<string, unknown>, at: Date, locale = "en") {
  const orderId = await orderOf(shop, customerId, at);
  const checked = validateSubmission({ orderId: `gid://shopify/OrderIdentity/${orderId}`, locale, answers });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  await recordSurveyAnswer(shop, checked.value, { surface: "order-status", now: at });
  const response = await prisma.surveyResponse.findUniqueOrThrow({ where: { shop_orderId: { shop, orderId } } });
  const followUp = await prisma.followUp.findFirst({ where: { shop, responseId: response.id, kind: "recovery" } });
  return { orderId, responseId: response.id, followUpId: followUp?.id ?? null };
}

async function post(shop: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return callHandler(followUpsAction, await adminRequest(storeOf(shop), "/app/followups", { method: "POST", body: form }));
}

async function page(shop: string, query = "") {
  return followUpsLoader(args(await adminRequest(storeOf(shop), `/app/followups${query ? `?${query}` : ""}`)));
}

/** Staff member `userId` opens the app with an online session that names them (token exchange for an online token). */
async function staffVisit(shop: string, userId: number, first: string, last: string) {
  await noteStaffVisit({ shop, userId: String(userId), staff: { firstName: first, lastName: last } });
}

let callbackAt = Date.parse("2026-12-01T00:00:00.000Z");
async function useTrigger(shop: string, handle: string) {
  callbackAt += 60_000;
  const callback = { flow_trigger_definition_id: handle, has_enabled_flow: true, shopify_domain: shop, timestamp: new Date(callbackAt).toISOString() };
  expect((await callAction(lifecycleAction, flowLifecycleRequest(callback))).status).toBe(200);
}
/** Shopify answering the Flow trigger and the tier mirror's calls the customers' orders queued before it. */
function stubSends() {
  stubAdminOperation("AfterglowFlowTriggerReceive", () => ({ flowTriggerReceive: { userErrors: [] } }));
  stubAdminOperation("AfterglowTagsAdd", () => ({ tagsAdd: { userErrors: [] } }));
  stubAdminOperation("AfterglowTagsRemove", () => ({ tagsRemove: { userErrors: [] } }));
  stubAdminOperation("AfterglowMetafieldsSet", () => ({ metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/1" }], userErrors: [] } }));
}

const flowMessages = async (shop: string) =>
  (await prisma.outboxMessage.findMany({ where: { shop, operation: "flowTriggerReceive" }, orderBy: { id: "asc" } })).map((m) => JSON.parse(m.variables) as unknown);

describe("contact details and earlier answers", () => {
  it("shows the e-mail, a mailto: with the subject in the customer's language, the order in the admin, and earlier answers newest first", async () => {
    const shop = await installNewShop("fu-reach");
    const base = Date.now() - 40 * 24 * HOUR;
    // Seven earlier answers of the customer, one a day, then the unhappy one in French.
    for (let i = 0; i < 7; i++) await answer(shop, "4401", { nps: 8 + (i % 3), comment: `earlier ${i}` }, new Date(base + i * 24 * HOUR));
    const unhappy = await answer(shop, "4401", { nps: 2, comment: "Colis abîmé" }, new Date(base + 10 * 24 * HOUR), "fr-CA");
    const guest = await answer(shop, null, { nps: 1 }, new Date(base + 11 * 24 * HOUR));

    const loaded = await page(shop);
    const item = loaded.queue!.rows.find((r) => r.id === unhappy.followUpId)!;
    const subject = `À propos de votre commande #${unhappy.orderId}`;
    expect(item.contact).toEqual({
      email: "c4401@example.com",
      subject,
      mailto: `mailto:c4401@example.com?subject=${encodeURIComponent(subject)}`,
      orderUrl: `shopify://admin/orders/${unhappy.orderId}`,
    });
    // The five newest other answers of the customer, newest first (not the follow-up's own).
    expect(item.earlierAnswers.map((a) => a.comment)).toEqual(["earlier 6", "earlier 5", "earlier 4", "earlier 3", "earlier 2"]);
    expect(item.earlierAnswers[0]).toMatchObject({ nps: 8, orderName: expect.stringMatching(/^#\d+$/) });
    // A guest order: no e-mail, no earlier answers; the order link is still there.
    const guestItem = loaded.queue!.rows.find((r) => r.id === guest.followUpId)!;
    expect(guestItem.contact).toEqual({ email: null, mailto: null, subject: `About your order #${guest.orderId}`, orderUrl: `shopify://admin/orders/${guest.orderId}` });
    expect(guestItem.earlierAnswers).toEqual([]);
  });

  it("a language without strings falls back to English; an address with header characters gets no link", async () => {
    const shop = await installNewShop("fu-reach");
    const at = new Date(Date.now() - 2 * HOUR);
    const a = await answer(shop, "4402", { nps: 3 }, at, "ja");
    await prisma.customer.update({ where: { shop_id: { shop, id: "4402" } }, data: { email: "x@y.example?cc=evil@z.example" } });
    const item = (await page(shop)).queue!.rows.find((r) => r.id === a.followUpId)!;
    expect(item.contact).toMatchObject({ subject: `About your order #${a.orderId}`, mailto: null, email: "x@y.example?cc=evil@z.example" });
  });
});

describe("the response-time target: overdue, the nav badge, median times", () => {
  it("overdue is absolute time: two shops in time zones 21 hours apart have the same follow-ups overdue at the same instant", async () => {
    const east = await installNewShop("fu-tz");
    const west = await installNewShop("fu-tz");
    await prisma.shop.upsert({ where: { shop: east }, create: { shop: east, timezone: "Pacific/Kiritimati" }, update: { timezone: "Pacific/Kiritimati" } });
    await prisma.shop.upsert({ where: { shop: west }, create: { shop: west, timezone: "Pacific/Pago_Pago" }, update: { timezone: "Pacific/Pago_Pago" } });
    const t0 = new Date("2026-11-30T23:30:00.000Z");
    for (const shop of [east, west]) {
      await answer(shop, "5501", { nps: 1 }, t0);
      await answer(shop, "5502", { nps: 2 }, new Date(t0.getTime() + 5 * HOUR));
    }
    // Target 24 h (default) and 10 h (saved for the west shop).
    expect((await post(west, { intent: "settings", responseTargetHours: "10" })).status).toBe(200);
    const at = (ms: number) => new Date(t0.getTime() + ms);
    // Exactly at the deadline a follow-up is overdue; a millisecond before it is not.
    expect(await navFollowUpCounts(east, at(24 * HOUR - 1))).toEqual({ open: 2, overdue: 0 });
    expect(await navFollowUpCounts(east, at(24 * HOUR))).toEqual({ open: 2, overdue: 1 });
    expect(await navFollowUpCounts(east, at(29 * HOUR))).toEqual({ open: 2, overdue: 2 });
    expect(await navFollowUpCounts(west, at(10 * HOUR - 1))).toEqual({ open: 2, overdue: 0 });
    expect(await navFollowUpCounts(west, at(15 * HOUR))).toEqual({ open: 2, overdue: 2 });
    // Contacting one takes it out of the overdue count (contacted follow-ups are never overdue).
    const first = await prisma.followUp.findFirstOrThrow({ where: { shop: west, kind: "recovery" }, orderBy: { id: "asc" } });
    expect((await applyFollowUpAction(west, { intent: "update", id: String(first.id), status: "contacted" }, at(16 * HOUR))).ok).toBe(true);
    expect(await navFollowUpCounts(west, at(16 * HOUR))).toEqual({ open: 1, overdue: 1 });

    // The nav badge (the layout loader, real clock: these answers are days old) counts both shops apart.
    const layoutEast = await layoutLoader(args(await adminRequest(storeOf(east), "/app")));
    const layoutWest = await layoutLoader(args(await adminRequest(storeOf(west), "/app")));
    expect(layoutEast).toMatchObject({ openFollowUps: 2, overdueFollowUps: 2 });
    expect(layoutWest).toMatchObject({ openFollowUps: 1, overdueFollowUps: 1 });
    // The page marks them, with the deadline as an absolute instant (shown in each shop's own zone).
    const rows = (await page(east)).queue!.rows;
    expect(rows.map((r) => [r.overdue, r.overdueAt])).toEqual([
      [true, new Date(t0.getTime() + 29 * HOUR).toISOString()],
      [true, new Date(t0.getTime() + 24 * HOUR).toISOString()],
    ]);
  });

  it("the target: whole hours from 1 to 720; anything else is a 400 naming the field and changes nothing", async () => {
    const shop = await installNewShop("fu-tz");
    for (const bad of ["0", "721", "1.5", "-3", "abc", "<script>", "１２", "12\u0000", ""]) {
      const refused = await post(shop, { intent: "settings", responseTargetHours: bad });
      expect(refused.status, bad).toBe(400);
      expect(refused.value).toMatchObject({ ok: false, errors: { responseTargetHours: "Enter whole hours from 1 to 720" } });
    }
    expect(await prisma.followUpSettings.findUnique({ where: { shop } })).toBeNull();
    expect((await post(shop, { intent: "settings", responseTargetHours: " 48 " })).value).toMatchObject({ ok: true, message: "Response-time target saved: 48 hours" });
    expect((await page(shop)).targetHours).toBe(48);
  });

  it("median times to first contact and to resolution, computed in SQL (hand-computed figures)", async () => {
    const shop = await installNewShop("fu-median");
    const now = new Date();
    const t0 = new Date(now.getTime() - 20 * 24 * HOUR);
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await answer(shop, `66${i}`, { nps: 1 }, new Date(t0.getTime() + i * 24 * HOUR))).followUpId!);
    const work = async (i: number, fields: Record<string, string>, afterHours: number) => {
      const when = new Date(t0.getTime() + i * 24 * HOUR + afterHours * HOUR);
      expect((await applyFollowUpAction(shop, { id: String(ids[i]), intent: "update", ...fields }, when)).ok).toBe(true);
    };
    // First contact after 1 h, 3 h, 8 h (the fourth never contacted): median 3 h.
    await work(0, { status: "contacted" }, 1);
    await work(1, { status: "contacted" }, 3);
    await work(2, { status: "resolved" }, 8); // resolved straight from open: its first contact is the resolution
    // Resolved after 5 h and 8 h: median (5 + 8) / 2 = 6.5 h.
    await work(0, { status: "resolved" }, 5);
    // Reopening and resolving again keeps the first contact; the resolution time is the latest.
    await work(1, { status: "resolved" }, 4);
    await work(1, { status: "open" }, 6);
    expect(await followUpResponseTimes(shop, now)).toEqual({
      days: 90,
      contactSeconds: 3 * 3600,
      contacted: 3,
      resolveSeconds: 6.5 * 3600,
      resolved: 2,
      open: 2,
      overdue: 2,
      targetHours: 24,
    });
    // The dashboard's loader carries them.
    stubAdminOperation("AfterglowShopProfile", () => ({ shop: { name: "Median Shop", currencyCode: "EUR", ianaTimezone: "Europe/Berlin", primaryDomain: { host: "median.example" } } }));
    const dashboard = await callHandler(dashboardLoader, await adminRequest(storeOf(shop), "/app"));
    expect((dashboard.value as { followUpTimes: unknown }).followUpTimes).toMatchObject({ contactSeconds: 10_800, resolveSeconds: 23_400 });
  });
});

describe("owners from the shop's staff, and notes with their author", () => {
  it("records staff who open the app; an owner is one of them, by name; another shop's staff member is refused", async () => {
    const shop = await installNewShop("fu-staff");
    const other = await installNewShop("fu-staff");
    await staffVisit(shop, 12345, "Priya", "Natarajan");
    await staffVisit(other, 777, "Mallory", "Other");
    // A page load records the signed-in user too (here: the session token's user, whose online session has no names).
    await layoutLoader(args(await adminRequest(storeOf(other), "/app")));
    expect(await prisma.staffMember.findMany({ where: { shop }, select: { userId: true, firstName: true, lastName: true } })).toEqual([
      { userId: TEST_USER, firstName: "Priya", lastName: "Natarajan" },
    ]);
    expect((await prisma.staffMember.findMany({ where: { shop: other }, orderBy: { userId: "asc" } })).map((s) => [s.userId, s.firstName])).toEqual([
      [TEST_USER, null],
      ["777", "Mallory"],
    ]);
    const { followUpId } = await answer(shop, "7701", { nps: 2 }, new Date(Date.now() - HOUR));
    const id = String(followUpId);

    expect((await page(shop)).staff).toEqual([{ userId: TEST_USER, name: "Priya Natarajan" }]);
    const picked = await post(shop, { intent: "update", id, ownerUserId: TEST_USER });
    expect(picked.status).toBe(200);
    expect(await prisma.followUp.findUniqueOrThrow({ where: { id: followUpId! } })).toMatchObject({ owner: "Priya Natarajan", ownerUserId: TEST_USER });

    // Another shop's staff member, an unknown id, and a malformed one: 400, nothing changes.
    for (const ownerUserId of ["777", "999999", "gid://shopify/StaffMember/777", "12345 OR 1=1"]) {
      const refused = await post(shop, { intent: "update", id, ownerUserId });
      expect(refused.status, ownerUserId).toBe(400);
      expect(refused.value).toMatchObject({ ok: false, errors: { ownerUserId: "Choose a staff member from the list" } });
    }
    expect(await prisma.followUp.findUniqueOrThrow({ where: { id: followUpId! } })).toMatchObject({ owner: "Priya Natarajan", ownerUserId: TEST_USER });

    // Another shop cannot change this follow-up at all (404), even naming its own staff.
    expect((await post(other, { intent: "update", id, ownerUserId: "777" })).status).toBe(404);
    // Clearing, then an owner typed before staff were listed keeps showing as it is.
    expect((await post(shop, { intent: "update", id, ownerUserId: "" })).status).toBe(200);
    expect(await prisma.followUp.findUniqueOrThrow({ where: { id: followUpId! } })).toMatchObject({ owner: null, ownerUserId: null });
    await prisma.followUp.update({ where: { id: followUpId! }, data: { owner: "Sam (typed)" } });
    expect((await page(shop)).queue!.rows.find((r) => r.id === followUpId)).toMatchObject({ owner: "Sam (typed)", ownerUserId: null });
  });

  it("a note keeps its author and time; notes are per shop; hostile text is refused with a reason", async () => {
    const shop = await installNewShop("fu-notes");
    const other = await installNewShop("fu-notes");
    await staffVisit(shop, 12345, "Jonas", "Weber");
    const { followUpId } = await answer(shop, "7801", { nps: 2 }, new Date(Date.now() - HOUR));
    const id = String(followUpId);
    const before = Date.now();
    const added = await post(shop, { intent: "note", id, body: "  Called, no answer.\r\nWill try tomorrow.  " });
    expect(added.value).toMatchObject({ ok: true, message: "Note added" });
    const [note] = await prisma.followUpNote.findMany({ where: { shop } });
    expect(note).toMatchObject({ followUpId, customerId: "7801", authorUserId: TEST_USER, author: "Jonas Weber", body: "Called, no answer.\nWill try tomorrow." });
    expect(note!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const view = (await page(shop)).queue!.rows.find((r) => r.id === followUpId)!;
    expect(view.noteLog).toEqual([{ id: note!.id, author: "Jonas Weber", body: "Called, no answer.\nWill try tomorrow.", createdAt: note!.createdAt.toISOString() }]);

    expect((await post(other, { intent: "note", id, body: "not mine" })).status).toBe(404);
    for (const [body, field] of [
      ["", "body"],
      ["   ", "body"],
      ["n".repeat(2001), "body"],
      ["nul \u0000 byte", "body"],
    ] as const) {
      const refused = await post(shop, { intent: "note", id, body });
      expect(refused.status, JSON.stringify(body.slice(0, 20))).toBe(400);
      expect(Object.keys((refused.value as { errors: Record<string, string> }).errors)).toEqual([field]);
    }
    expect((await post(shop, { intent: "note", id: "abc", body: "x" })).status).toBe(400);
    expect(await prisma.followUpNote.count({ where: { shop } })).toBe(1);
    expect(await prisma.followUpNote.count({ where: { shop: other } })).toBe(0);
    // A follow-up with an authored note is worked on: the shopper editing the answer to happy keeps it.
    expect(await prisma.followUp.count({ where: { shop, id: followUpId! } })).toBe(1);
  });
});

describe("goodwill from a follow-up", () => {
  it("points: one ledger adjustment with its goodwill source, once per form key, and Flow's “Goodwill granted” with the exact document", async () => {
    stubSends();
    const shop = await installNewShop("fu-goodwill");
    await staffVisit(shop, 12345, "Mei", "Chen");
    await useTrigger(shop, "goodwill-granted");
    const { followUpId, orderId } = await answer(shop, "8801", { nps: 1 }, new Date(Date.now() - HOUR));
    const before = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: "8801" } } });
    const fields = { intent: "goodwill", kind: "points", id: String(followUpId), points: "150", reason: "Sorry about the parcel", key: "form-key-0001" };

    const granted = await post(shop, fields);
    expect(granted.value).toMatchObject({ ok: true, intent: "goodwill", message: `Granted 150 points; balance ${Number(before.pointsBalance) + 150}` });
    // A repeated post of the same form (double click, retry) grants nothing more.
    expect((await post(shop, fields)).value).toMatchObject({ ok: true, message: "Goodwill already recorded" });

    const [goodwill] = await prisma.followUpGoodwill.findMany({ where: { shop } });
    expect(goodwill).toMatchObject({ followUpId, customerId: "8801", orderId, kind: "points", points: 150, status: "granted", reason: "Sorry about the parcel", staff: "Mei Chen", staffUserId: TEST_USER });
    const ledger = await prisma.pointsLedger.findMany({ where: { shop, customerId: "8801", kind: "adjustment" } });
    expect(ledger.map((l) => ({ kind: l.kind, points: Number(l.points), sourceKey: l.sourceKey, note: l.note, staff: l.staff }))).toEqual([
      { kind: "adjustment", points: 150, sourceKey: `adjust:goodwill:${goodwill!.id}`, note: "Goodwill: Sorry about the parcel", staff: "Mei Chen" },
    ]);
    expect(Number((await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: "8801" } } })).pointsBalance)).toBe(Number(before.pointsBalance) + 150);

    const payload = { customer_id: 8801, order_id: Number(orderId), "follow up id": followUpId, goodwill: "points", points: 150, reward: "", "discount code": "" };
    expect(await flowMessages(shop)).toEqual([{ handle: "goodwill-granted", payload }]);
    await deliverDueOutbox();
    expect(adminCalls.filter((c) => c.shop === shop && c.operation === "AfterglowFlowTriggerReceive").map((c) => [c.query, c.variables])).toEqual([
      [FLOW_TRIGGER_RECEIVE_MUTATION, { handle: "goodwill-granted", payload }],
    ]);
    // The page shows it on the follow-up.
    const view = (await page(shop, "status=all")).queue!.rows.find((r) => r.id === followUpId)!;
    expect(view.goodwill).toEqual([
      { id: goodwill!.id, kind: "points", points: 150, reward: null, code: null, status: "granted", refusal: null, reason: "Sorry about the parcel", staff: "Mei Chen", createdAt: goodwill!.createdAt.toISOString() },
    ]);
  });

  it("refuses bad input, guests, marks and another shop's follow-up; nothing is booked", async () => {
    const shop = await installNewShop("fu-goodwill");
    const other = await installNewShop("fu-goodwill");
    const { followUpId } = await answer(shop, "8802", { nps: 1 }, new Date(Date.now() - HOUR));
    const guest = await answer(shop, null, { nps: 1 }, new Date(Date.now() - HOUR));
    const id = String(followUpId);
    const base = { intent: "goodwill", kind: "points", id, points: "10", reason: "goodwill", key: "form-key-0002" };
    const cases: [Record<string, string>, number, string][] = [
      [{ ...base, points: "0" }, 400, "points"],
      [{ ...base, points: "100001" }, 400, "points"],
      [{ ...base, points: "1e3" }, 400, "points"],
      [{ ...base, reason: "a" }, 400, "reason"],
      [{ ...base, reason: "r".repeat(201) }, 400, "reason"],
      [{ ...base, reason: "bad \u0000 text" }, 400, "reason"],
      [{ ...base, key: "short" }, 400, "key"],
      [{ ...base, key: "../../etc/passwd" }, 400, "key"],
      [{ ...base, kind: "cash" }, 400, "kind"],
      [{ ...base, kind: "code", rewardId: "x" }, 400, "rewardId"],
      [{ ...base, id: String(guest.followUpId) }, 400, "form"],
    ];
    for (const [fields, status, field] of cases) {
      const refused = await post(shop, fields);
      expect(refused.status, JSON.stringify(fields)).toBe(status);
      expect(Object.keys((refused.value as { errors: Record<string, string> }).errors), JSON.stringify(fields)).toContain(field);
    }
    expect((await post(other, base)).status).toBe(404);
    expect(await prisma.followUpGoodwill.count({ where: { shop: { in: [shop, other] } } })).toBe(0);
    expect(await prisma.pointsLedger.count({ where: { shop, kind: "adjustment" } })).toBe(0);
  });

  it("a code: the rewards service's staff path creates it with the exact Admin API document; recorded on the follow-up and sent to Flow", async () => {
    stubAdminOperation("AfterglowFlowTriggerReceive", () => ({ flowTriggerReceive: { userErrors: [] } }));
    stubAdminOperation("AfterglowRewardCodeBasicCreate", () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/4242" }, userErrors: [] } }));
    const shop = await installNewShop("fu-goodwill");
    await staffVisit(shop, 12345, "Sam", "Rivera");
    await useTrigger(shop, "goodwill-granted");
    const rewardId = await addReward(shop, { title: "$10 off", kind: "fixed_amount", pointsCost: "1000", amount: "10" });
    const { followUpId, orderId } = await answer(shop, "8803", { nps: 0 }, new Date(Date.now() - HOUR));
    const fields = { intent: "goodwill", kind: "code", id: String(followUpId), rewardId: String(rewardId), reason: "Late delivery", key: "form-key-0003" };

    const issued = await post(shop, fields);
    const redemption = await prisma.rewardRedemption.findFirstOrThrow({ where: { shop } });
    expect(issued.value).toMatchObject({ ok: true, message: `Issued $10 off: code ${redemption.code}` });
    expect(redemption).toMatchObject({ customerId: "8803", points: 0, status: "issued", staff: "Sam Rivera", note: "Goodwill: Late delivery" });
    expect((await post(shop, fields)).value).toMatchObject({ ok: true, message: "Goodwill already recorded" });

    const calls = adminCalls.filter((c) => c.shop === shop && c.operation === "AfterglowRewardCodeBasicCreate");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.query).toContain("mutation AfterglowRewardCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!)");
    expect(calls[0]!.query).toContain("discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount)");
    const sent = calls[0]!.variables!.basicCodeDiscount as Record<string, unknown>;
    expect(sent).toEqual({
      title: `$10 off (${redemption.code})`,
      code: redemption.code,
      startsAt: expect.any(String),
      endsAt: redemption.expiresAt.toISOString(),
      context: { customers: { add: ["gid://shopify/Customer/8803"] } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
      minimumRequirement: null,
      customerGets: { value: { discountAmount: { amount: "10.00", appliesOnEachItem: false } }, items: { all: true } },
      combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: true },
    });
    expect(Date.parse(redemption.expiresAt.toISOString()) - Date.parse(sent.startsAt as string)).toBe(30 * 24 * HOUR);

    const [goodwill] = await prisma.followUpGoodwill.findMany({ where: { shop } });
    expect(goodwill).toMatchObject({ kind: "code", points: null, reward: "$10 off", redemptionId: redemption.id, status: "granted", staff: "Sam Rivera" });
    expect(await flowMessages(shop)).toEqual([
      {
        handle: "goodwill-granted",
        payload: { customer_id: 8803, order_id: Number(orderId), "follow up id": followUpId, goodwill: "code", points: 0, reward: "$10 off", "discount code": redemption.code },
      },
    ]);
    // No points moved for a code.
    expect(await prisma.pointsLedger.count({ where: { shop, customerId: "8803", kind: { in: ["adjustment", "redemption"] } } })).toBe(0);
    const view = (await page(shop)).queue!.rows.find((r) => r.id === followUpId)!;
    expect(view.goodwill.map((g) => [g.kind, g.reward, g.code, g.status])).toEqual([["code", "$10 off", redemption.code, "granted"]]);
  });

  it("a code Shopify refuses is 422 with Shopify's reason, recorded as refused, and sends nothing to Flow", async () => {
    stubAdminOperation("AfterglowRewardCodeBasicCreate", () => ({ discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ field: ["code"], message: "Code must be unique", code: "TAKEN" }] } }));
    const shop = await installNewShop("fu-goodwill");
    await useTrigger(shop, "goodwill-granted");
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    const { followUpId } = await answer(shop, "8804", { nps: 0 }, new Date(Date.now() - HOUR));
    const refused = await post(shop, { intent: "goodwill", kind: "code", id: String(followUpId), rewardId: String(rewardId), reason: "Late delivery", key: "form-key-0004" });
    expect(refused.status).toBe(422);
    const reason = (refused.value as { errors: { reward: string } }).errors.reward;
    expect(await prisma.followUpGoodwill.findFirstOrThrow({ where: { shop } })).toMatchObject({ status: "refused", refusal: reason, redemptionId: null });
    expect(reason).toContain("Code must be unique");
    expect(await flowMessages(shop)).toEqual([]);
    // The follow-up says it was refused, and why.
    const view = (await page(shop)).queue!.rows.find((r) => r.id === followUpId)!;
    expect(view.goodwill.map((g) => [g.kind, g.code, g.status, g.refusal])).toEqual([["code", null, "refused", reason]]);
  });

  it("a code whose Shopify answer was lost shows pending, then the code once the rewards sweep finds it, or refused with why when Shopify never made it (decision 050)", async () => {
    // GIVEN two goodwill codes whose create call got no answer and whose lookup failed: both left pending
    stubSends();
    const shop = await installNewShop("fu-goodwill");
    await staffVisit(shop, 12345, "Sam", "Rivera");
    await useTrigger(shop, "goodwill-granted");
    const rewardId = await addReward(shop, { title: "$10 off", kind: "fixed_amount", pointsCost: "1000", amount: "10" });
    const found = await answer(shop, "8805", { nps: 0 }, new Date(Date.now() - HOUR));
    const absent = await answer(shop, "8806", { nps: 0 }, new Date(Date.now() - HOUR));
    for (const [f, key] of [[found, "form-key-0005"], [absent, "form-key-0006"]] as const) {
      failAdminOperation("AfterglowRewardCodeBasicCreate", { network: true });
      failAdminOperation("AfterglowRewardCodeByCode", { status: 503 });
      const posted = await post(shop, { intent: "goodwill", kind: "code", id: String(f.followUpId), rewardId: String(rewardId), reason: "Late delivery", key });
      expect(posted.value).toMatchObject({ ok: true, message: "$10 off: Shopify has not confirmed the code yet" });
    }
    const redemptionOf = (customerId: string) => prisma.rewardRedemption.findFirstOrThrow({ where: { shop, customerId } });
    const [foundCode, absentCode] = [await redemptionOf("8805"), await redemptionOf("8806")];
    const goodwillOf = async (followUpId: number | null) => (await page(shop, "status=all")).queue!.rows.find((r) => r.id === followUpId)!.goodwill;
    for (const f of [found, absent]) expect((await goodwillOf(f.followUpId)).map((g) => [g.code, g.status, g.refusal])).toEqual([[null, "pending", null]]);
    // nothing granted yet, so nothing told to Flow
    expect(await flowMessages(shop)).toEqual([]);

    // WHEN the rewards sweep looks the codes up: Shopify holds the first (its answer was lost), never got the second
    stubAdminOperation("AfterglowRewardCodeByCode", (call) => ({
      codeDiscountNodeByCode: call.variables?.code === foundCode.code ? { id: "gid://shopify/DiscountCodeNode/8805" } : null,
    }));
    const later = new Date(Math.max(foundCode.createdAt.getTime(), absentCode.createdAt.getTime()) + PENDING_AFTER_MS + 60_000);
    const sentBefore = adminCalls.length;
    expect(await sweepRewardCodes(shop, later)).toEqual({ expired: 0, issued: 1, refused: 1, stillPending: 0 });
    const lookups = adminCalls.slice(sentBefore).filter((c) => c.shop === shop);
    expect(lookups.map((c) => [c.operation, c.variables])).toEqual([
      ["AfterglowRewardCodeByCode", { code: foundCode.code }],
      ["AfterglowRewardCodeByCode", { code: absentCode.code }],
    ]);

    // THEN the first follow-up shows the active code, the second shows it was refused and why, on the follow-ups page,
    expect((await goodwillOf(found.followUpId)).map((g) => [g.code, g.status, g.refusal])).toEqual([[foundCode.code, "granted", null]]);
    // and the code found late is sent as "Goodwill granted" once, the refused one not at all
    expect(await flowMessages(shop)).toEqual([
      {
        handle: "goodwill-granted",
        payload: { customer_id: 8805, order_id: Number(found.orderId), "follow up id": found.followUpId, goodwill: "code", points: 0, reward: "$10 off", "discount code": foundCode.code },
      },
    ]);
    expect(await prisma.followUpGoodwill.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { customerId: true, status: true } })).toEqual([
      { customerId: "8805", status: "granted" },
      { customerId: "8806", status: "pending" },
    ]);
    expect(await sweepRewardCodes(shop, new Date(later.getTime() + 60_000))).toEqual({ expired: 0, issued: 0, refused: 0, stillPending: 0 });
    expect(await flowMessages(shop)).toHaveLength(1);
    const why = "The code could not be created; your points are back. Please try again.";
    expect((await goodwillOf(absent.followUpId)).map((g) => [g.code, g.status, g.refusal])).toEqual([[null, "refused", why]]);
    // on the customer page and in the data export
    const profile = await customerLoader({ request: await adminRequest(storeOf(shop), "/app/customers/8805"), params: { id: "8805" }, context: {} });
    expect(profile.answers.flatMap((a) => a.followUps.flatMap((f) => f.goodwill.map((g) => [g.code, g.status])))).toEqual([[foundCode.code, "granted"]]);
    const request = await prisma.privacyRequest.create({
      data: { shop, kind: "data-request", webhookId: "dr-fu-late", customerId: "8806", orderIds: "[]", dataRequestId: "2", receivedAt: new Date() },
    });
    expect((await customerDataExport(shop, request.id))!.data.goodwill.map((g) => [g.rewardRedemptionId, g.status, g.refusal])).toEqual([[absentCode.id, "refused", why]]);
  });
});

describe("“Review requested” and “Thank-you requested”", () => {
  it("a mark sends its trigger when a workflow uses it, and the page says queued, then sent; without a workflow nothing is sent and it says so", async () => {
    stubSends();
    const shop = await installNewShop("fu-marks");
    await useTrigger(shop, "review-requested");
    const promoter = await answer(shop, "9901", { nps: 10 }, new Date(Date.now() - 3 * HOUR));
    const guest = await answer(shop, null, { nps: 9 }, new Date(Date.now() - 2 * HOUR));

    const review = await post(shop, { intent: "mark", responseId: String(promoter.responseId), action: "review-request" });
    expect(review.value).toMatchObject({ ok: true, message: "Marked for a review request: queued for your Shopify Flow workflow" });
    const thanks = await post(shop, { intent: "mark", responseId: String(guest.responseId), action: "thank-you" });
    expect(thanks.value).toMatchObject({ ok: true, message: "Marked for a thank-you: recorded; no Shopify Flow workflow uses it, so nothing is sent" });
    // Marking again sends nothing more.
    expect((await post(shop, { intent: "mark", responseId: String(promoter.responseId), action: "review-request" })).value).toMatchObject({ ok: true, message: "Already marked for a review request" });

    const mark = await prisma.followUp.findFirstOrThrow({ where: { shop, kind: "review-request" } });
    const payload = { customer_id: 9901, order_id: Number(promoter.orderId), "follow up id": mark.id, "nps score": 10 };
    expect(await flowMessages(shop)).toEqual([{ handle: "review-requested", payload }]);
    const flowOf = async () => Object.fromEntries((await page(shop, "status=marked")).queue!.rows.map((r) => [r.kind, r.flow]));
    expect(await flowOf()).toEqual({ "review-request": "queued", "thank-you": "no-workflow" });

    await deliverDueOutbox();
    expect(adminCalls.filter((c) => c.shop === shop && c.operation === "AfterglowFlowTriggerReceive").map((c) => [c.query, c.variables])).toEqual([
      [FLOW_TRIGGER_RECEIVE_MUTATION, { handle: "review-requested", payload }],
    ]);
    expect(await flowOf()).toEqual({ "review-request": "sent", "thank-you": "no-workflow" });

    // A thank-you once a workflow uses it: a guest order is sent without customer_id.
    await useTrigger(shop, "thank-you-requested");
    await post(shop, { intent: "unmark", responseId: String(guest.responseId), action: "thank-you" });
    await post(shop, { intent: "mark", responseId: String(guest.responseId), action: "thank-you" });
    const thankMark = await prisma.followUp.findFirstOrThrow({ where: { shop, kind: "thank-you" } });
    expect((await flowMessages(shop)).at(-1)).toEqual({ handle: "thank-you-requested", payload: { order_id: Number(guest.orderId), "follow up id": thankMark.id, "nps score": 9 } });
  });
});

describe("the customer page lists the follow-up work (decision 050)", () => {
  const customerPage = async (shop: string, id: string) =>
    customerLoader({ request: await adminRequest(storeOf(shop), `/app/customers/${id}`), params: { id }, context: {} });

  it("shows each follow-up's notes (author, time, text) and goodwill (what, its state, why, by whom) under its answer; per shop", async () => {
    // GIVEN a follow-up of customer 8901 with two notes by Priya and goodwill points, and another shop whose customer
    // 8901 (the same id) has a follow-up with its own note
    stubSends();
    const shop = await installNewShop("fu-customer-page");
    const other = await installNewShop("fu-customer-page");
    await staffVisit(shop, 12345, "Priya", "Natarajan");
    const unhappy = await answer(shop, "8901", { nps: 1, comment: "Late" }, new Date(Date.now() - 2 * HOUR));
    const happy = await answer(shop, "8901", { nps: 10 }, new Date(Date.now() - HOUR));
    const id = String(unhappy.followUpId);
    for (const body of ["Called, no answer.", "Spoke to them: sending points."]) expect((await post(shop, { intent: "note", id, body })).status).toBe(200);
    expect((await post(shop, { intent: "goodwill", kind: "points", id, points: "75", reason: "Sorry about the delay", key: "customer-page-key-1" })).status).toBe(200);
    const theirs = await answer(other, "8901", { nps: 2 }, new Date(Date.now() - HOUR));
    expect((await post(other, { intent: "note", id: String(theirs.followUpId), body: "The other shop's note" })).status).toBe(200);

    // WHEN staff open the customer's page
    const profile = await customerPage(shop, "8901");

    // THEN the unhappy answer's follow-up lists both notes, oldest first, and the goodwill, exactly as stored
    const notes = await prisma.followUpNote.findMany({ where: { shop }, orderBy: { id: "asc" } });
    const goodwill = await prisma.followUpGoodwill.findFirstOrThrow({ where: { shop } });
    expect(profile.answers.map((a) => [a.id, a.followUps.map((f) => f.id)])).toEqual([
      [happy.responseId, []],
      [unhappy.responseId, [unhappy.followUpId]],
    ]);
    const followUp = profile.answers[1]!.followUps[0]!;
    expect(followUp.noteLog).toEqual(notes.map((n) => ({ id: n.id, author: "Priya Natarajan", body: n.body, createdAt: n.createdAt.toISOString() })));
    expect(notes.map((n) => n.body)).toEqual(["Called, no answer.", "Spoke to them: sending points."]);
    expect(followUp.goodwill).toEqual([
      { id: goodwill.id, kind: "points", points: 75, reward: null, code: null, status: "granted", refusal: null, reason: "Sorry about the delay", staff: "Priya Natarajan", createdAt: goodwill.createdAt.toISOString() },
    ]);
    // AND the other shop's page of its own 8901 shows only its own note; a shop without that customer answers 404
    const theirProfile = await customerPage(other, "8901");
    expect(theirProfile.answers.flatMap((a) => a.followUps.flatMap((f) => f.noteLog.map((n) => n.body)))).toEqual(["The other shop's note"]);
    expect(theirProfile.answers.flatMap((a) => a.followUps.flatMap((f) => f.goodwill))).toEqual([]);
    const stranger = await installNewShop("fu-customer-page");
    const refused = await customerPage(stranger, "8901").then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(404);
  });
});

describe("privacy of the new rows", () => {
  it("customers/redact deletes the customer's notes and goodwill (the ledger keeps the points without the reason); the export lists them; shop/redact deletes staff, settings, notes and goodwill", async () => {
    stubAdminOperation("AfterglowTagsAdd", () => ({ tagsAdd: { userErrors: [] } }));
    const shop = await installNewShop("fu-privacy");
    await staffVisit(shop, 12345, "Priya", "Natarajan");
    const mine = await answer(shop, "9501", { nps: 1 }, new Date(Date.now() - HOUR));
    const theirs = await answer(shop, "9502", { nps: 1 }, new Date(Date.now() - HOUR));
    for (const f of [mine, theirs]) {
      expect((await post(shop, { intent: "note", id: String(f.followUpId), body: `Spoke to customer of ${f.orderId}` })).status).toBe(200);
      expect((await post(shop, { intent: "goodwill", kind: "points", id: String(f.followUpId), points: "20", reason: "Sorry", key: `privacy-key-${f.orderId}` })).status).toBe(200);
    }
    expect((await post(shop, { intent: "settings", responseTargetHours: "12" })).status).toBe(200);

    // The data request's export lists the notes (with their author) and the goodwill.
    const request = await prisma.privacyRequest.create({
      data: { shop, kind: "data-request", webhookId: "dr-fu-1", customerId: "9501", orderIds: JSON.stringify([mine.orderId]), dataRequestId: "1", receivedAt: new Date() },
    });
    const exported = await customerDataExport(shop, request.id);
    expect(exported!.data.followUpNotes).toEqual([
      { id: expect.any(Number), followUpId: mine.followUpId, orderId: mine.orderId, author: "Priya Natarajan", note: `Spoke to customer of ${mine.orderId}`, at: expect.any(String) },
    ]);
    expect(exported!.data.goodwill).toEqual([
      {
        id: expect.any(Number),
        followUpId: mine.followUpId,
        orderId: mine.orderId,
        kind: "points",
        points: 20,
        reward: null,
        rewardRedemptionId: null,
        status: "granted",
        refusal: null,
        reason: "Sorry",
        givenBy: "Priya Natarajan",
        at: expect.any(String),
      },
    ]);

    const redact = signedWebhook({
      topic: "customers/redact",
      shop,
      body: { shop_id: 1, shop_domain: shop, customer: { id: 9501, email: "c9501@example.com", phone: null }, orders_to_redact: [Number(mine.orderId)] },
    });
    expect((await callAction(customersRedact, redact)).status).toBe(200);
    expect(await prisma.followUpNote.findMany({ where: { shop }, select: { customerId: true } })).toEqual([{ customerId: "9502" }]);
    expect(await prisma.followUpGoodwill.findMany({ where: { shop }, select: { customerId: true } })).toEqual([{ customerId: "9502" }]);
    const ledger = await prisma.pointsLedger.findMany({ where: { shop, customerId: "9501", kind: "adjustment" } });
    expect(ledger.map((l) => [Number(l.points), l.note])).toEqual([[20, null]]);

    expect((await callAction(shopRedact, signedWebhook({ topic: "shop/redact", shop, body: { shop_id: 1, shop_domain: shop } }))).status).toBe(200);
    for (const count of [
      prisma.staffMember.count({ where: { shop } }),
      prisma.followUpSettings.count({ where: { shop } }),
      prisma.followUpNote.count({ where: { shop } }),
      prisma.followUpGoodwill.count({ where: { shop } }),
    ]) {
      expect(await count).toBe(0);
    }
  });
});
