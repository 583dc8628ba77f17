import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import type { RestOrder } from "~/domain/orders/order-payload";
import { validateSubmission, type SurveyAnswers } from "~/domain/survey/answer";
import { loader as exportLoader } from "~/routes/app.export.answers[.]csv";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { recordSurveyAnswer, type SurveySurface } from "~/services/survey-answers.server";
import { parseCsv } from "../support/csv";
import { restOrder, restRefund } from "../support/orders";
import { adminRequest, installShop } from "../support/sessions";
import { callAction, signedWebhook, TEST_API_KEY, TEST_SECRET } from "../support/webhooks";

const STORE_A = "export-alpha";
const STORE_B = "export-beta";
const STORE_BULK = "export-bulk";
const STORE_LAZY = "export-lazy";
const SHOP_A = `${STORE_A}.myshopify.com`;
const SHOP_B = `${STORE_B}.myshopify.com`;
const SHOP_BULK = `${STORE_BULK}.myshopify.com`;
const SHOP_LAZY = `${STORE_LAZY}.myshopify.com`;
const PATH = "/app/export/answers.csv";
const BOM = "\uFEFF";

const HEADER = [
  "Answered at (UTC)", "Order ID", "Order", "Order total", "Currency", "Order placed at (UTC)", "Customer ID",
  "Customer name", "Email", "Tier", "Lifetime net spend", "Order count", "NPS", "NPS category", "CSAT", "CES",
  "Attribution", "Attribution other", "Comment", "Locale", "Surface",
];
/** Columns that hold numbers (never formula-prefixed); every other column is text. */
const NUMBER_COLUMNS = new Set(["Order total", "Lifetime net spend", "Order count", "NPS", "CSAT", "CES"]);

const args = (request: Request) => ({ request, params: {}, context: {} });

// ------------------------------------------------------------------------------------------------------------
// Seeding through the real services: signed order/refund webhooks, and answers validated like the endpoint does.

async function deliver(shop: string, topic: string, body: unknown) {
  const action = topic === "refunds/create" ? refundsCreate : ordersCreate;
  const response = await callAction(action, signedWebhook({ topic, shop, body }));
  expect(response.status).toBe(200);
}

function order(id: number, at: string, overrides: Omit<Partial<RestOrder>, "id"> = {}): RestOrder {
  return restOrder({ id, created_at: at, processed_at: at, updated_at: at, ...overrides });
}

async function answer(shop: string, orderId: number, at: string, locale: string, answers: SurveyAnswers, surface: SurveySurface = "thank-you") {
  const checked = validateSubmission({ orderId: `gid://shopify/OrderIdentity/${orderId}`, locale, answers });
  if (!checked.ok) throw new Error(`invalid fixture: ${JSON.stringify(checked.errors)}`);
  const outcome = await recordSurveyAnswer(shop, checked.value, { surface, now: new Date(at) });
  expect(outcome.outcome).toBe("created");
}

// ------------------------------------------------------------------------------------------------------------
// Calling the real loader and reading its streamed body.

async function callExport(request: Request): Promise<Response> {
  try {
    return await exportLoader(args(request));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const exportFor = async (store: string, query = "") => callExport(await adminRequest(store, query ? `${PATH}?${query}` : PATH));

/** The body as the client receives it, chunk by chunk (each chunk decoded on its own: no chunk splits a character). */
async function readChunks(response: Response): Promise<string[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const chunks: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(decoder.decode(value));
  }
}

/** Checks the BOM and the header, then returns the data rows as objects keyed by header. */
async function readCsv(response: Response) {
  expect(response.status).toBe(200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  expect(text.startsWith(BOM)).toBe(true);
  expect(text.endsWith("\r\n")).toBe(true);
  const [header, ...records] = parseCsv(text.slice(1));
  expect(header).toEqual(HEADER);
  for (const record of records) expect(record).toHaveLength(HEADER.length);
  return { text, records, rows: records.map((r) => Object.fromEntries(HEADER.map((h, i) => [h, r[i]!]))) };
}

const orderIds = (rows: Record<string, string>[]) => rows.map((r) => r["Order ID"]);

// ------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  for (const shop of [SHOP_A, SHOP_B, SHOP_BULK, SHOP_LAZY]) await installShop(shop);

  // Shop A (USD): Ada has two orders and a partial refund (Gold by lifetime net spend), Grace one order with a
  // hostile name, one guest order, and one answer whose order webhook has not arrived.
  const ada = { id: 501, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" };
  const grace = { id: 502, first_name: '=HYPERLINK("http://evil.example","x")', last_name: "O'Brien, Jr.", email: "grace@example.com" };
  await deliver(SHOP_A, "orders/create", order(1001, "2026-10-01T10:00:00Z", { customer: ada, total_price: "60.00" }));
  await deliver(SHOP_A, "orders/create", order(1002, "2026-10-04T08:30:00Z", { customer: ada, total_price: "1234.56" }));
  await deliver(
    SHOP_A,
    "refunds/create",
    restRefund({ id: 77, order_id: 1002, created_at: "2026-10-06T10:00:00Z", transactions: [{ id: 770, kind: "refund", status: "success", amount: "34.56", currency: "USD" }] }),
  );
  await deliver(SHOP_A, "orders/create", order(1003, "2026-10-08T15:00:00Z", { customer: grace, total_price: "19.99" }));
  await deliver(SHOP_A, "orders/create", order(1004, "2026-10-09T20:00:00Z", { customer: undefined, total_price: "5.00" }));

  await answer(SHOP_A, 1001, "2026-10-02T09:00:00.000Z", "en", {
    nps: 10, csat: 5, ces: 7, attribution: { optionId: "instagram" }, comment: 'Love it, will "definitely" buy again,\nthanks!',
  });
  await answer(SHOP_A, 1002, "2026-10-05T12:00:00.000Z", "fr", {
    nps: 3, csat: 2, attribution: { optionId: "other", other: "-2+3 podcast" }, comment: "=cmd|' /C calc'!A0",
  }, "order-status");
  await answer(SHOP_A, 1003, "2026-10-09T23:59:59.999Z", "de", { nps: 8, ces: 2, comment: "@SUM(1)" });
  await answer(SHOP_A, 1004, "2026-10-10T00:00:00.000Z", "zh-CN", { csat: 4, comment: "שלום 🎉 很好" });
  // An answer whose order never arrived, stored before answers to unknown orders were held apart (decision 022):
  // through recordSurveyAnswer it would wait in PendingSurveyAnswer, in no export.
  const at9999 = new Date("2026-10-11T08:00:00.000Z");
  await prisma.surveyResponse.create({ data: { shop: SHOP_A, orderId: "9999", nps: 9, locale: "es", surface: "thank-you", createdAt: at9999, updatedAt: at9999 } });

  // Shop B (JPY, no minor unit): one order, one answer.
  const bjork = { id: 601, first_name: "Björk", last_name: "Guðmundsdóttir", email: "bjork@example.is" };
  await deliver(SHOP_B, "orders/create", order(2001, "2026-10-01T10:00:00Z", { customer: bjork, currency: "JPY", total_price: "4500", line_items: [] }));
  await answer(SHOP_B, 2001, "2026-10-03T10:00:00.000Z", "is", { nps: 0, comment: "shop B secret" });
  // B also has an order 9999 (id clash with A's answer whose order has not arrived): A must never join it.
  await deliver(SHOP_B, "orders/create", order(9999, "2026-10-02T10:00:00Z", { customer: { ...bjork, id: 602 }, currency: "JPY", total_price: "100", line_items: [] }));
});

describe("GET /app/export/answers.csv", () => {
  it("streams every answer of the shop, newest first, joined with its order and customer facts", async () => {
    // WHEN shop A exports without filters
    const dayBefore = new Date().toISOString().slice(0, 10);
    const response = await exportFor(STORE_A);
    const dayAfter = new Date().toISOString().slice(0, 10);

    // THEN it is a CSV download that is not cached
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    // (named for the UTC day of the export: the day the request started, or the next one if it ran across midnight)
    expect([dayBefore, dayAfter].map((day) => `attachment; filename="afterglow-answers-all-${day}.csv"`)).toContain(
      response.headers.get("Content-Disposition"),
    );

    // AND each row is exactly what was seeded (money from integer minor units, tier by name, UTC times)
    const { records } = await readCsv(response);
    expect(records).toEqual([
      ["2026-10-11 08:00:00", "9999", "", "", "", "", "", "", "", "", "", "", "9", "promoter", "", "", "", "", "", "es", "thank-you"],
      ["2026-10-10 00:00:00", "1004", "#1004", "5.00", "USD", "2026-10-09 20:00:00", "", "", "", "", "", "", "", "", "4", "", "", "", "שלום 🎉 很好", "zh-CN", "thank-you"],
      [
        "2026-10-09 23:59:59", "1003", "#1003", "19.99", "USD", "2026-10-08 15:00:00", "502",
        `'=HYPERLINK("http://evil.example","x") O'Brien, Jr.`, "grace@example.com", "Bronze", "19.99", "1",
        "8", "passive", "", "2", "", "", "'@SUM(1)", "de", "thank-you",
      ],
      [
        "2026-10-05 12:00:00", "1002", "#1002", "1234.56", "USD", "2026-10-04 08:30:00", "501", "Ada Lovelace",
        "ada@example.com", "Gold", "1260.00", "2", "3", "detractor", "2", "", "other", "'-2+3 podcast",
        "'=cmd|' /C calc'!A0", "fr", "order-status",
      ],
      [
        "2026-10-02 09:00:00", "1001", "#1001", "60.00", "USD", "2026-10-01 10:00:00", "501", "Ada Lovelace",
        "ada@example.com", "Gold", "1260.00", "2", "10", "promoter", "5", "7", "instagram", "",
        'Love it, will "definitely" buy again,\nthanks!', "en", "thank-you",
      ],
    ]);
  });

  it("hostile text cannot become a formula, and quotes and newlines survive", async () => {
    const { text, rows } = await readCsv(await exportFor(STORE_A));
    // no text cell starts with a formula trigger; numbers are not prefixed
    for (const row of rows) {
      for (const [column, cell] of Object.entries(row)) {
        if (NUMBER_COLUMNS.has(column)) expect(cell).toMatch(/^(-?\d+(\.\d+)?)?$/);
        else expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
    // on the wire: RFC 4180 quoting of the quotes, comma and newline, and the guard quote inside the field
    expect(text).toContain(`"Love it, will ""definitely"" buy again,\nthanks!"`);
    expect(text).toContain(`,'=cmd|' /C calc'!A0,`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"") O'Brien, Jr."`);
    // every record ends with CRLF: 1 header + 5 rows, and the only bare LF is inside the quoted comment
    expect(text.split("\r\n")).toHaveLength(7);
    expect(text.replace(/\r\n/g, "").split("\n")).toHaveLength(2);
  });

  it("applies the answers list's question, band and date filters (UTC days, `to` inclusive)", async () => {
    expect(orderIds((await readCsv(await exportFor(STORE_A, "question=nps&band=detractor"))).rows)).toEqual(["1002"]);
    expect(orderIds((await readCsv(await exportFor(STORE_A, "question=nps&band=promoter"))).rows)).toEqual(["9999", "1001"]);
    expect(orderIds((await readCsv(await exportFor(STORE_A, "question=nps"))).rows)).toEqual(["9999", "1003", "1002", "1001"]);
    expect(orderIds((await readCsv(await exportFor(STORE_A, "question=csat&band=high"))).rows)).toEqual(["1004", "1001"]);
    expect(orderIds((await readCsv(await exportFor(STORE_A, "question=ces&band=low"))).rows)).toEqual(["1003"]);
    // the list's GET form sends empty values for "All questions" / "Any score" / no date
    expect(orderIds((await readCsv(await exportFor(STORE_A, "question=&band=&from=&to="))).rows)).toHaveLength(5);

    // 2026-10-09 23:59:59.999 is in a range ending on the 9th; 2026-10-10 00:00:00.000 is not
    const ranged = await exportFor(STORE_A, "from=2026-10-05&to=2026-10-09");
    expect(ranged.headers.get("Content-Disposition")).toBe('attachment; filename="afterglow-answers-2026-10-05-2026-10-09.csv"');
    expect(orderIds((await readCsv(ranged)).rows)).toEqual(["1003", "1002"]);
    expect(orderIds((await readCsv(await exportFor(STORE_A, "from=2026-10-10"))).rows)).toEqual(["9999", "1004"]);
    expect(orderIds((await readCsv(await exportFor(STORE_A, "to=2026-10-02"))).rows)).toEqual(["1001"]);
    expect(orderIds((await readCsv(await exportFor(STORE_A, "question=nps&from=2026-10-02&to=2026-10-05"))).rows)).toEqual(["1002", "1001"]);
    // a range with no answers is a header-only file
    const empty = await readCsv(await exportFor(STORE_A, "from=2027-01-01&to=2027-01-31"));
    expect(empty.records).toEqual([]);
    expect(empty.text).toBe(`${BOM}${HEADER.join(",")}\r\n`);
  });

  it("never contains another shop's answers", async () => {
    const a = await readCsv(await exportFor(STORE_A));
    const b = await readCsv(await exportFor(STORE_B));
    expect(orderIds(a.rows)).not.toContain("2001");
    expect(a.text).not.toContain("shop B secret");
    expect(a.text).not.toContain("Björk");
    // B sees only its own row, in its own currency (JPY has no minor unit)
    expect(b.records).toEqual([
      [
        "2026-10-03 10:00:00", "2001", "#2001", "4500", "JPY", "2026-10-01 10:00:00", "601", "Björk Guðmundsdóttir",
        "bjork@example.is", "Bronze", "4500", "1", "0", "detractor", "", "", "", "", "shop B secret", "is", "thank-you",
      ],
    ]);
    // the same filters a B merchant could try on A's data return nothing of A's
    expect(orderIds((await readCsv(await exportFor(STORE_B, "question=nps&band=detractor"))).rows)).toEqual(["2001"]);
  });

  it.each([
    ["question=stars", "question"],
    ["question=nps&band=low", "band"],
    ["band=detractor", "band"],
    ["from=2026-13-01", "from"],
    ["from=2026-02-30", "from"],
    ["to=yesterday", "to"],
    ["from=2026-10-09&to=2026-10-01", "to"],
    ["question=nps&question=csat", "question"],
  ])("refuses %s with 400 and the reason under %s", async (query, param) => {
    const response = await exportFor(STORE_A, query);
    expect(response.status).toBe(400);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    const body = (await response.json()) as { errors: Record<string, string> };
    expect(Object.keys(body.errors)).toEqual([param]);
    expect(body.errors[param]).toMatch(/\w/);
  });

  it("ignores the parameters that belong to auth and the list (shop, host, cursor…)", async () => {
    const response = await exportFor(STORE_A, "question=nps&band=detractor&cursor=abc&locale=en");
    expect(orderIds((await readCsv(response)).rows)).toEqual(["1002"]);
  });
});

describe("authentication", () => {
  it("a document request with id_token, shop, host and embedded=1 in the URL (the Export button's) gets the file", async () => {
    // GIVEN the URL the embedded Export button opens: App Bridge's ID token in the query, no Authorization header
    const request = await setUpValidRequest(
      { type: RequestType.Admin, store: STORE_A, apiKey: TEST_API_KEY, apiSecretKey: TEST_SECRET },
      new Request(`https://afterglow.test${PATH}?question=nps&band=detractor`),
    );
    const url = new URL(request.url);
    expect(url.searchParams.get("id_token")).toBeTruthy();
    expect(request.headers.get("Authorization")).toBeNull();
    // THEN the shop comes from the token, and the filters still apply
    expect(orderIds((await readCsv(await callExport(request))).rows)).toEqual(["1002"]);
  });

  it("an id_token for shop B never exports shop A's answers, whatever `shop` the URL names", async () => {
    const request = await setUpValidRequest(
      { type: RequestType.Admin, store: STORE_B, apiKey: TEST_API_KEY, apiSecretKey: TEST_SECRET },
      new Request(`https://afterglow.test${PATH}`),
    );
    const url = new URL(request.url);
    url.searchParams.set("shop", SHOP_A);
    // the shop is the token's (its signed `dest`), never the URL's
    expect(orderIds((await readCsv(await callExport(new Request(url)))).rows)).toEqual(["2001"]);
  });

  it("no session token at all: sent to the login page, no file", async () => {
    const response = await callExport(new Request(`https://afterglow.test${PATH}`));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/auth/login");
  });

  it("a forged bearer token: 401, no file", async () => {
    const response = await callExport(new Request(`https://afterglow.test${PATH}`, { headers: { Authorization: "Bearer forged" } }));
    expect(response.status).toBe(401);
    expect(response.headers.get("Content-Type") ?? "").not.toContain("text/csv");
  });

  it.each([
    ["without id_token", async () => new Request(`https://afterglow.test${PATH}?embedded=1&shop=${SHOP_A}&host=${btoa(`admin.shopify.com/store/${STORE_A}`)}`)],
    [
      "with an id_token signed by another secret",
      async () =>
        setUpValidRequest(
          { type: RequestType.Admin, store: STORE_A, apiKey: TEST_API_KEY, apiSecretKey: "not-the-app-secret" },
          new Request(`https://afterglow.test${PATH}`),
        ),
    ],
  ])("an embedded document request %s goes to the bounce page for a fresh token, no file", async (_name, build) => {
    const response = await callExport(await build());
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("Location")!, "https://afterglow.test");
    expect(location.pathname).toBe("/auth/session-token");
    // the bounce page reloads the export URL (without the bad token) once App Bridge has a valid one
    const reload = new URL(location.searchParams.get("shopify-reload")!);
    expect(reload.pathname).toBe(PATH);
    expect(reload.searchParams.get("id_token")).toBeNull();
  });
});

describe("streaming", () => {
  const BULK = 2500;

  beforeAll(async () => {
    // 2,500 answers, inserted in a shuffled order (so ids do not follow time) with 7 answers per timestamp (so
    // page boundaries fall inside groups of equal times and the id tie-break matters). Written with createMany:
    // through recordSurveyAnswer they would take about a minute; the rows are the same shape (shop A's tests
    // cover the service path and the joins).
    const order = Array.from({ length: BULK }, (_, i) => i);
    let seed = 42;
    for (let i = order.length - 1; i > 0; i -= 1) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rows = order.map((i) => {
      const at = new Date(Date.UTC(2026, 8, 1) + Math.floor(i / 7) * 60_000);
      return { shop: SHOP_BULK, orderId: String(100_000 + i), nps: i % 11, comment: `answer ${i}`, locale: "en", surface: "thank-you", createdAt: at, updatedAt: at };
    });
    for (let k = 0; k < rows.length; k += 500) await prisma.surveyResponse.createMany({ data: rows.slice(k, k + 500) });
  });

  it("exports more rows than one page exactly once each, newest first, one page per chunk", async () => {
    // The order the export must follow, computed here from the stored rows: (createdAt desc, id desc).
    const stored = await prisma.surveyResponse.findMany({ where: { shop: SHOP_BULK }, select: { id: true, orderId: true, createdAt: true } });
    expect(stored).toHaveLength(BULK);
    const expected = stored
      .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || y.id - x.id)
      .map((r) => r.orderId);

    const response = await exportFor(STORE_BULK);
    const chunks = await readChunks(response);
    // the BOM + header first, then one chunk per page of 1,000
    expect(chunks[0]).toBe(`${BOM}${HEADER.join(",")}\r\n`);
    expect(chunks.slice(1).map((c) => c.split("\r\n").length - 1)).toEqual([1000, 1000, 500]);

    const [, ...records] = parseCsv(chunks.join("").slice(1));
    const ids = records.map((r) => r[1]!);
    expect(ids).toHaveLength(BULK);
    expect(new Set(ids).size).toBe(BULK);
    expect(ids).toEqual(expected);
    // and each row carries its own answer
    for (const record of records) {
      const i = Number(record[1]) - 100_000;
      expect([record[12], record[18]]).toEqual([String(i % 11), `answer ${i}`]);
    }
  });

  it("reads answers while the body is consumed, not when the response is made", async () => {
    // GIVEN the loader has answered (status and headers are out)
    for (const id of [1, 2]) await deliver(SHOP_LAZY, "orders/create", order(id, "2026-10-01T09:00:00Z"));
    await answer(SHOP_LAZY, 1, "2026-10-01T10:00:00.000Z", "en", { nps: 7 });
    const response = await exportFor(STORE_LAZY);
    expect(response.status).toBe(200);
    // WHEN an answer arrives before the body is read
    await answer(SHOP_LAZY, 2, "2026-10-02T10:00:00.000Z", "en", { nps: 8 });
    // THEN the file has it: no row was loaded up front
    expect(orderIds((await readCsv(response)).rows)).toEqual(["2", "1"]);
  });

  it("stops reading when the client goes away", async () => {
    const controller = new AbortController();
    const request = await adminRequest(STORE_BULK, PATH, { signal: controller.signal });
    const response = await callExport(request);
    expect(response.status).toBe(200);
    // WHEN the client disconnects before any row was read
    controller.abort();
    // THEN the stream ends after the header, without reading a page
    const chunks = await readChunks(response);
    expect(chunks).toEqual([`${BOM}${HEADER.join(",")}\r\n`]);
  });

  it("a consumer may cancel mid-way without errors", async () => {
    const response = await exportFor(STORE_BULK);
    const reader = response.body!.getReader();
    // GIVEN the header and the first page were read
    const header = await reader.read();
    const firstPage = await reader.read();
    expect(header.done).toBe(false);
    expect(firstPage.done).toBe(false);
    expect(new TextDecoder().decode(firstPage.value).split("\r\n")).toHaveLength(1001);
    // WHEN the consumer cancels, THEN the stream settles without an error (an unexpected console.error fails the test)
    await expect(reader.cancel()).resolves.toBeUndefined();
    // AND it is closed: nothing more is read
    await expect(reader.closed).resolves.toBeUndefined();
  });
});
