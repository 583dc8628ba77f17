import fc from "fast-check";
import { parseJsonLossless } from "~/domain/lossless-json";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { guardFormula } from "~/domain/csv";
import { currencyExponent, decimalToMinorBig } from "~/domain/money";
import { parseOrderPayload } from "~/domain/orders/order-payload";
import { parseProductPayload } from "~/domain/products/product-payload";
import { validateSubmission } from "~/domain/survey/answer";
import { isStorableText } from "~/domain/text";
import { validateSurveyConfig } from "~/domain/survey/config";
import { DEFAULT_SURVEY_CONFIG } from "~/domain/survey/questions";
import { action as checkoutSurvey } from "~/routes/api.checkout.survey";
import { action as customerAction } from "~/routes/app.customers.$id/route";
import { loader as exportAnswers } from "~/routes/app.export.answers[.]csv";
import { action as followUpsAction } from "~/routes/app.followups/route";
import { action as loyaltyAction } from "~/routes/app.loyalty/route";
import { action as returnsAction } from "~/routes/app.returns/route";
import { validatePolicyForm, type PolicyForm } from "~/routes/app.returns/policy-form";
import { action as surveyAction } from "~/routes/app.survey/route";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as productsUpdate } from "~/routes/webhooks.products.update";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { latestRecomputeJob } from "~/services/loyalty.server";
import { resetSurveyRateLimits } from "../../support/rate-limits";
import { checkoutRequest } from "../../support/checkout";
import { parseCsv } from "../../support/csv";
import { databaseState } from "../../support/db-state";
import { callHandler } from "../../support/handlers";
import { hostileJson, hostileText, hostileWellFormedText, toWellFormed } from "../../support/hostile";
import { parseRefundPayload, restOrder, restRefund } from "../../support/orders";
import { adminRequest, installShop } from "../../support/sessions";
import { callAction, signedWebhook } from "../../support/webhooks";
import { numbers } from "../../support/numbers";

/**
 * The same hostile input through the real route handlers (signed webhooks, session tokens, real PostgreSQL): a clear
 * 4xx or success, never a 500 (which would also log an error and fail the test), and nothing stored wrongly:
 * refused input changes nothing, accepted input is stored as the parser read it.
 */
vi.setConfig({ testTimeout: 120_000 });
const RUNS = { numRuns: 40 };

const STORE = "hostile-routes";
const SHOP = `${STORE}.myshopify.com`;
const GUARD_CUSTOMER = "999000111";

let sequence = 0;
const next = () => (sequence += 1);

beforeAll(async () => {
  await installShop(SHOP);
  // A customer no hostile request names: it must come out of every run untouched.
  const guard = restOrder({ id: 900_000, customer: { id: Number(GUARD_CUSTOMER), first_name: "Guard", last_name: "Customer", email: "guard@example.com" } });
  expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP, body: guard }))).status).toBe(200);
});
beforeEach(() => resetSurveyRateLimits());

const guardRow = () => prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: GUARD_CUSTOMER } } });

function withField(base: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return base;
  const current = base[head];
  const next = rest.length && current && typeof current === "object" ? withField(current as Record<string, unknown>, rest, value) : value;
  return Array.isArray(base) ? (Object.assign([...base], { [head]: next }) as unknown as Record<string, unknown>) : { ...base, [head]: next };
}

/**
 * A body as the route receives it: sent as JSON.stringify writes it (NaN and ±Infinity become null, -0 becomes 0)
 * and read as the route reads it (losslessly: an integer beyond 2^53 arrives as its digits). The oracle parses this,
 * never the JavaScript value that was sent.
 */
const asReceived = (body: unknown): unknown => parseJsonLossless(JSON.stringify(body));

describe("webhooks", () => {
  const orderPaths = fc.constantFrom(["name"], ["total_price"], ["currency"], ["updated_at"], ["customer"], ["customer", "first_name"], ["customer", "email"], ["line_items"], ["line_items", "0", "quantity"], ["line_items", "0", "title"], ["test"]);

  it("orders/create: 200 with the order stored as parsed, or 400 with nothing written", async () => {
    await fc.assert(
      fc.asyncProperty(orderPaths, fc.oneof(hostileJson, hostileText(), fc.constantFrom("\udc00", "a\ud800", "\ud800\udc00")), async (path, value) => {
        const id = 100_000 + next();
        const payload = withField({ ...restOrder({ id }), customer: { id: 700_000 + id, first_name: "A", last_name: "B", email: "a@example.com" } }, [...path], value);
        const before = await databaseState(SHOP);
        const response = await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP, body: payload }));
        expect([200, 400]).toContain(response.status);
        if (response.status === 400) {
          expect(await databaseState(SHOP)).toEqual(before);
          return;
        }
        const facts = parseOrderPayload(asReceived(payload));
        const stored = await prisma.order.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: String(id) } } });
        expect(numbers(stored)).toMatchObject({ name: facts.name, totalMinor: facts.totalMinor, currency: facts.currency, test: facts.test });
        // Text is stored as sent, except that a lone surrogate (no UTF-8 form) and NUL (not in PostgreSQL text) become U+FFFD.
        expect(stored.name).toBe(toWellFormed(String((payload as { name: unknown }).name)).replaceAll("\u0000", "\ufffd"));
        if (facts.customer) {
          const customer = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: facts.customer.id } } });
          expect(customer).toMatchObject({ firstName: facts.customer.firstName, email: facts.customer.email });
        }
      }),
      RUNS,
    );
    expect(await guardRow()).toMatchObject({ firstName: "Guard", orderCount: 1 });
  });

  it("refunds/create: 200 with the refund stored as parsed, or 400 with nothing written", async () => {
    const refundPaths = fc.constantFrom(["order_id"], ["created_at"], ["transactions"], ["transactions", "0", "amount"], ["transactions", "0", "kind"], ["transactions", "0", "currency"]);
    await fc.assert(
      fc.asyncProperty(refundPaths, hostileJson, async (path, value) => {
        const id = 200_000 + next();
        const payload = withField(restRefund({ id, order_id: 900_000 }) as Record<string, unknown>, [...path], value);
        const before = await databaseState(SHOP);
        const response = await callAction(refundsCreate, signedWebhook({ topic: "refunds/create", shop: SHOP, body: payload }));
        expect([200, 400]).toContain(response.status);
        if (response.status === 400) {
          expect(await databaseState(SHOP)).toEqual(before);
          return;
        }
        const facts = parseRefundPayload(asReceived(payload));
        const order = await prisma.order.findUnique({ where: { shop_id: { shop: SHOP, id: facts.orderId } }, select: { presentmentCurrency: true } });
        expect(numbers(await prisma.refund.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: String(id) } } }))).toMatchObject({
          orderId: facts.orderId,
          amountDecimal: facts.amountDecimal,
          // a refund naming no currency takes its order's (when another case stored order 900000), else waits for it
          ...(facts.currency === null
            ? { currency: order?.presentmentCurrency ?? null, amountMinor: order ? Number(decimalToMinorBig(facts.amountDecimal, currencyExponent(order.presentmentCurrency), "half-up")) : 0 }
            : { currency: facts.currency, amountMinor: facts.amountMinor }),
        });
      }),
      RUNS,
    );
  });

  it("products/update: 200 with the product stored as parsed, or 400 with nothing written", async () => {
    const productPaths = fc.constantFrom(["id"], ["title"], ["tags"], ["updated_at"]);
    await fc.assert(
      fc.asyncProperty(productPaths, fc.oneof(hostileJson, hostileText()), async (path, value) => {
        const id = 300_000 + next();
        const payload = withField({ id, title: "Tee", tags: "Final Sale", updated_at: "2026-09-01T10:00:00Z", vendor: "V" }, [...path], value);
        const before = await databaseState(SHOP);
        const response = await callAction(productsUpdate, signedWebhook({ topic: "products/update", shop: SHOP, body: payload }));
        expect([200, 400]).toContain(response.status);
        if (response.status === 400) {
          expect(await databaseState(SHOP)).toEqual(before);
          return;
        }
        const facts = parseProductPayload(asReceived(payload));
        const stored = await prisma.product.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: facts.id } } });
        // (A replaced id may name a product of an earlier run: that one had the same title, tags and date.)
        expect(stored).toMatchObject({ title: facts.title, tags: JSON.stringify(facts.tags), shopifyUpdatedAt: facts.updatedAt });
      }),
      RUNS,
    );
  });

  it("compliance topics: any JSON payload is acknowledged or refused with a 4xx, and touches no one it does not name", async () => {
    const shopRedactTarget = "hostile-redact-target.myshopify.com";
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("customers/redact", "customers/data_request", "shop/redact"), hostileJson, async (topic, payload) => {
        const action = topic === "customers/redact" ? customersRedact : topic === "shop/redact" ? shopRedact : dataRequest;
        // shop/redact erases the whole shop it is sent for: send it for a shop of its own.
        const shop = topic === "shop/redact" ? shopRedactTarget : SHOP;
        const response = await callAction(action, signedWebhook({ topic, shop, body: payload }));
        expect([200, 400]).toContain(response.status);
      }),
      RUNS,
    );
    expect(await guardRow()).toMatchObject({ firstName: "Guard", lastName: "Customer", email: "guard@example.com" });
  });
});

describe("checkout endpoint", () => {
  const answers = fc.record(
    { nps: fc.oneof(fc.integer({ min: 0, max: 10 }), hostileJson), comment: fc.oneof(hostileText(), hostileJson), attribution: fc.oneof(fc.record({ optionId: fc.constant("other"), other: hostileText(3) }), hostileJson) },
    { requiredKeys: [] },
  );

  it("any body is stored exactly as validated (201) or refused with 400/413, never 500", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(answers.map((a) => ({ answers: a })), hostileJson.map((junk) => ({ junk })), hostileText().map((raw) => ({ raw }))), async (input) => {
        await resetSurveyRateLimits();
        const order = 300_000 + next();
        const options =
          "raw" in input
            ? { rawBody: input.raw }
            : { body: "answers" in input ? { orderId: `gid://shopify/OrderIdentity/${order}`, locale: "en", answers: input.answers } : input.junk };
        const response = await callAction(checkoutSurvey, await checkoutRequest(STORE, "/api/checkout/survey", options));
        expect([201, 400, 413]).toContain(response.status);
        // The order has not arrived: an accepted answer waits in PendingSurveyAnswer (decision 022).
        const stored = await prisma.pendingSurveyAnswer.findUnique({ where: { shop_orderId: { shop: SHOP, orderId: String(order) } } });
        if (response.status !== 201) {
          expect(stored).toBeNull();
          expect(await prisma.surveyResponse.findUnique({ where: { shop_orderId: { shop: SHOP, orderId: String(order) } } })).toBeNull();
          return;
        }
        // The oracle reads what went over the wire: JSON.stringify sends NaN and ±Infinity as null and -0 as 0.
        const wire: unknown = "raw" in input ? JSON.parse(input.raw) : JSON.parse(JSON.stringify(options.body));
        const expected = validateSubmission(wire);
        expect(expected.ok).toBe(true);
        const sent = expected.ok ? expected.value.answers : {};
        expect(stored).toMatchObject({
          nps: sent.nps ?? null,
          csat: sent.csat ?? null,
          ces: sent.ces ?? null,
          attributionOption: sent.attribution?.optionId ?? null,
          attributionOther: sent.attribution?.other ?? null,
          comment: sent.comment ?? null,
        });
      }),
      RUNS,
    );
  });
});

describe("admin settings forms", () => {
  const postJson = async (path: string, body: unknown) =>
    adminRequest(STORE, path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  it("survey settings: saved exactly as validated (200) or refused with 400 and nothing saved", async () => {
    const config = fc.record({ ...Object.fromEntries(Object.keys(DEFAULT_SURVEY_CONFIG).map((k) => [k, hostileJson])), questions: fc.dictionary(fc.constantFrom("nps", "csat", "comment"), fc.record({ enabled: fc.boolean(), text: fc.dictionary(fc.constantFrom("en", "fr"), hostileText()) })) }, { requiredKeys: ["questions"] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(config, hostileJson), async (input) => {
        const before = await prisma.surveySettings.findUnique({ where: { shop: SHOP } });
        const result = await callHandler(surveyAction, await postJson("/app/survey", { intent: "save", config: input }));
        expect([200, 400]).toContain(result.status);
        const after = await prisma.surveySettings.findUnique({ where: { shop: SHOP } });
        if (result.status === 400) {
          expect(after).toEqual(before);
          return;
        }
        const checked = validateSurveyConfig(input);
        expect(checked.ok && JSON.parse(after!.draft)).toEqual(checked.ok && checked.config);
      }),
      RUNS,
    );
  });

  it("return policy: a new version saved exactly as validated (200), or 400 and no version", async () => {
    const digits = fc.oneof(fc.nat({ max: 400 }).map(String), hostileText(1));
    const form = fc.record({
      windowDays: digits,
      unlimited: fc.boolean(),
      windowStart: fc.oneof(fc.constantFrom("order", "fulfillment", "delivery"), hostileText(1)),
      shippingKind: fc.oneof(fc.constantFrom("free", "flat", "customer"), hostileText(1)),
      shippingFee: fc.oneof(fc.constantFrom("5.00", "0", "-1"), hostileText(1)),
      restockingFeePercent: digits,
      exchanges: fc.boolean(),
      storeCreditOffered: fc.boolean(),
      storeCreditBonusPercent: digits,
      finalSaleTags: hostileText(4),
      conditionUnused: fc.boolean(),
      conditionOriginalPackaging: fc.boolean(),
      conditionTagsAttached: fc.boolean(),
      note: hostileText(),
      publishLocale: fc.oneof(fc.constantFrom("en", "fr", "zh-CN"), hostileText(1)),
    });
    const latest = () => prisma.returnPolicyVersion.findFirst({ where: { shop: SHOP }, orderBy: { version: "desc" } });
    await fc.assert(
      fc.asyncProperty(fc.oneof(form, hostileJson), async (input) => {
        const before = await latest();
        const result = await callHandler(returnsAction, await postJson("/app/returns", { intent: "save", form: input }));
        expect([200, 400]).toContain(result.status);
        const after = await latest();
        if (result.status === 400) {
          expect(after).toEqual(before);
          return;
        }
        // What the server read: the form as the JSON body carried it.
        const checked = validatePolicyForm(JSON.parse(JSON.stringify(input)) as PolicyForm, "USD");
        expect(checked.ok && JSON.parse(after!.settings)).toEqual(checked.ok && checked.policy);
      }),
      RUNS,
    );
  });

  it("loyalty tiers: saved (200) or refused with 400 and the program unchanged", async () => {
    const tier = fc.record({ key: fc.string(), name: hostileText(3), threshold: fc.oneof(fc.nat().map(String), hostileText(1)), perkText: hostileText(3), discountPercent: fc.oneof(fc.constant(""), hostileText(1)), freeShipping: fc.boolean(), color: fc.constantFrom("#C9A227", "red") });
    const form = fc.record({ basis: fc.constantFrom("spend", "orders"), window: fc.constantFrom("lifetime", "rolling12"), pointsPerUnit: fc.oneof(fc.constant("1"), hostileText(1)), tiers: fc.array(tier, { minLength: 1, maxLength: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.oneof(form, hostileJson), async (input) => {
        const before = await prisma.loyaltyProgram.findUnique({ where: { shop: SHOP } });
        const result = await callHandler(loyaltyAction, await postJson("/app/loyalty", { intent: "save", form: input }));
        expect([200, 400]).toContain(result.status);
        if (result.status === 400) {
          expect(await prisma.loyaltyProgram.findUnique({ where: { shop: SHOP } })).toEqual(before);
          return;
        }
        // A save recomputes every customer in the background; let it finish before the next run.
        await vi.waitFor(async () => expect((await latestRecomputeJob(SHOP))?.status).not.toBe("running"), { timeout: 30_000 });
        const stored = JSON.parse((await prisma.loyaltyProgram.findUniqueOrThrow({ where: { shop: SHOP } })).tiers) as { name: string }[];
        expect(stored.map((t) => t.name)).toEqual((input as { tiers: { name: string }[] }).tiers.map((t) => t.name.trim()));
      }),
      { numRuns: 25 },
    );
  });

  it("follow-up updates and points adjustments: applied (200), or 400/404 with nothing changed", async () => {
    // An answer that opened a recovery follow-up, and a customer with points.
    const order = 400_000;
    // Placed a day ago: inside the shop's answer window whenever the suite runs.
    const placed = new Date(Date.now() - 24 * 3600_000).toISOString();
    const body = restOrder({ id: order, created_at: placed, processed_at: placed, updated_at: placed, customer: { id: 555, first_name: "F", last_name: "U", email: "fu@example.com" } });
    await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP, body }));
    expect((await callAction(checkoutSurvey, await checkoutRequest(STORE, "/api/checkout/survey", { body: { orderId: `gid://shopify/OrderIdentity/${order}`, locale: "en", answers: { nps: 1 } } }))).status).toBe(201);
    const followUp = await prisma.followUp.findFirstOrThrow({ where: { shop: SHOP, orderId: String(order) } });

    const form = (fields: Record<string, string>) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      return body;
    };
    const fields = fc.record(
      {
        intent: fc.constantFrom("update", "mark", "unmark", "other"),
        id: fc.oneof(fc.constant(String(followUp.id)), hostileWellFormedText(1)),
        status: fc.oneof(fc.constantFrom("open", "contacted", "resolved"), hostileWellFormedText(1)),
        owner: hostileWellFormedText(),
        notes: hostileWellFormedText(),
        points: fc.oneof(fc.integer({ min: -50, max: 50 }).map(String), hostileWellFormedText(1)),
        reason: hostileWellFormedText(),
      },
      { requiredKeys: ["intent"] },
    );
    await fc.assert(
      fc.asyncProperty(fields, async (input) => {
        const beforeFollowUps = await databaseState(SHOP);
        const followUpResult = await callHandler(followUpsAction, await adminRequest(STORE, "/app/followups", { method: "POST", body: form(input) }));
        expect([200, 400, 404]).toContain(followUpResult.status);
        if (followUpResult.status !== 200) expect(await databaseState(SHOP)).toEqual(beforeFollowUps);

        const beforePoints = await databaseState(SHOP);
        const pointsResult = await callHandler(customerAction, await adminRequest(STORE, "/app/customers/555", { method: "POST", body: form(input) }), { id: "555" });
        expect([200, 400]).toContain(pointsResult.status);
        if (pointsResult.status === 400) expect(await databaseState(SHOP)).toEqual(beforePoints);
        else expect(await prisma.pointsLedger.findFirst({ where: { shop: SHOP, customerId: "555", kind: "adjustment" }, orderBy: { id: "desc" } })).toMatchObject({
            // multipart/form-data sends every line break as CRLF (as browsers do); the rest arrives as typed.
            note: input.reason?.replace(/\r\n|\r|\n/g, "\r\n").trim(),
          });
      }),
      RUNS,
    );
  });
});

describe("CSV export of hostile comments", () => {
  it("every comment comes back exactly, formula-guarded, one record per answer", async () => {
    const store = "hostile-export";
    const shop = `${store}.myshopify.com`;
    await installShop(shop);
    // Comments the survey takes: NUL is refused with 400 (PostgreSQL text cannot hold it; app/domain/text.ts).
    const comments = fc.sample(hostileWellFormedText(10).filter((c) => c.trim().length > 0 && c.length <= 1000 && isStorableText(c)), { numRuns: 60 });
    const placed = new Date(Date.now() - 24 * 3600_000).toISOString();
    for (const [i, comment] of comments.entries()) {
      // Answers count (and export) once their order is stored (decision 022).
      const orderCreated = signedWebhook({ topic: "orders/create", shop, body: restOrder({ id: i + 1, created_at: placed, processed_at: placed, updated_at: placed }) });
      expect((await callAction(ordersCreate, orderCreated)).status).toBe(200);
      await resetSurveyRateLimits();
      const response = await callAction(checkoutSurvey, await checkoutRequest(store, "/api/checkout/survey", { body: { orderId: `gid://shopify/OrderIdentity/${i + 1}`, locale: "en", answers: { nps: i % 11, comment } } }));
      expect(response.status).toBe(201);
    }
    const response = (await exportAnswers({ request: await adminRequest(store, "/app/export/answers.csv"), params: {}, context: {} })) as Response;
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(new TextDecoder("utf-8", { fatal: true }).decode(bytes.slice(3)));
    const column = header!.indexOf("Comment");
    const byOrder = new Map(rows.map((r) => [r[header!.indexOf("Order ID")], r[column]]));
    expect(rows).toHaveLength(comments.length);
    comments.forEach((comment, i) => expect(byOrder.get(String(i + 1))).toBe(guardFormula(comment.trim())));
    for (const row of rows) for (const field of row) expect(field).not.toMatch(/^[=+@\t\r]/);
  });
});
