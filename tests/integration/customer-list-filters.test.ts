import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import type { RestOrder } from "~/domain/orders/order-payload";
import { BAND_RANGES } from "~/domain/survey/score-bands";
import { validateSubmission } from "~/domain/survey/answer";
import { action as customerAction, loader as customerLoader } from "~/routes/app.customers.$id/route";
import { loader as listLoader } from "~/routes/app.customers._index/route";
import { action as followUpsAction } from "~/routes/app.followups/route";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { restOrder } from "../support/orders";
import { adminRequest, installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * The Customers list's tier and NPS group filters and its total, the customer page's back action, survey answers
 * with their follow-ups and paged points ledger: through the real loaders and actions, on two shops that share
 * customer and order ids.
 */
vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

const STORE_A = "clf-alpha";
const SHOP_A = `${STORE_A}.myshopify.com`;
const STORE_B = "clf-beta";
const SHOP_B = `${STORE_B}.myshopify.com`;

type Args = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
const args = (request: Request, params: Record<string, string> = {}): Args => ({ request, params, context: {} });

async function deliver(shop: string, body: unknown) {
  expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }))).status).toBe(200);
}

const person = (id: number, first: string, last: string) => ({ id, first_name: first, last_name: last, email: `${first.toLowerCase()}@example.com` });

function order(id: number, customer: ReturnType<typeof person>, total: string, day: string, extra: Omit<Partial<RestOrder>, "id"> = {}) {
  const at = `2026-10-${day}T10:00:00Z`;
  return restOrder({ id, name: `#${id}`, customer, total_price: total, created_at: at, processed_at: at, updated_at: at, ...extra });
}

async function answer(shop: string, orderId: number, answers: Record<string, unknown>, at: string) {
  const checked = validateSubmission({ orderId: `gid://shopify/Order/${orderId}`, locale: "en", answers });
  if (!checked.ok) throw new Error("fixture should be valid");
  await recordSurveyAnswer(shop, checked.value, { surface: "thank-you", now: new Date(at) });
}

async function list(store: string, query: string) {
  return listLoader(args(await adminRequest(store, `/app/customers${query ? `?${query}` : ""}`)));
}

async function detail(store: string, id: string, query = "") {
  return customerLoader(args(await adminRequest(store, `/app/customers/${id}${query ? `?${query}` : ""}`), { id }));
}

/** Every customer id of a filtered list, read one page at a time (keyset), with the total each page reported. */
async function allPages(store: string, query: string, limit = 2) {
  const ids: string[] = [];
  const totals = new Set<number>();
  let page = await list(store, `${query}&limit=${limit}`);
  for (let i = 0; ; i++) {
    ids.push(...page.customers.map((c) => c.id));
    totals.add(page.total);
    if (!page.pageInfo.hasNext || i > 20) break;
    page = await list(store, `${query}&limit=${limit}&after=${page.pageInfo.nextCursor}`);
  }
  return { ids, totals: [...totals] };
}

// Shop A's customers: tiers by net spend (Bronze from 0, Silver from $250, Gold from $1,000), and NPS answers whose
// latest one decides the group.
const ADA = person(601, "Ada", "Lovelace"); //   Silver, answered 3 then 10 (later): promoter
const GRACE = person(602, "Grace", "Hopper"); // Bronze, answered 8: passive; later a CSAT-only answer (no NPS)
const ALAN = person(603, "Alan", "Turing"); //   Bronze, answered 9 then 2 (later): detractor
const KATE = person(604, "Katherine", "Johnson"); // Gold, never answered: no NPS answer
const EDSGER = person(605, "Edsger", "Dijkstra"); // only a test order: no tier, no answer
const BARBARA = person(606, "Barbara", "Liskov"); // Bronze, answered 10: promoter

beforeAll(async () => {
  await installShop(SHOP_A);
  await installShop(SHOP_B);
  await deliver(SHOP_A, order(1, ADA, "300.00", "01"));
  await deliver(SHOP_A, order(2, ADA, "20.00", "05"));
  await deliver(SHOP_A, order(3, GRACE, "60.00", "01"));
  await deliver(SHOP_A, order(4, GRACE, "40.00", "06"));
  await deliver(SHOP_A, order(5, ALAN, "70.00", "01"));
  await deliver(SHOP_A, order(6, ALAN, "10.00", "07"));
  await deliver(SHOP_A, order(7, KATE, "1500.00", "02"));
  await deliver(SHOP_A, order(8, EDSGER, "80.00", "01", { test: true }));
  await deliver(SHOP_A, order(9, BARBARA, "90.00", "03"));
  await answer(SHOP_A, 1, { nps: 3, comment: "Late parcel" }, "2026-10-01T12:00:00Z");
  await answer(SHOP_A, 2, { nps: 10, csat: 5, comment: "Much better" }, "2026-10-05T12:00:00Z");
  await answer(SHOP_A, 3, { nps: 8 }, "2026-10-01T12:00:00Z");
  await answer(SHOP_A, 4, { csat: 2 }, "2026-10-06T12:00:00Z");
  await answer(SHOP_A, 5, { nps: 9 }, "2026-10-01T12:00:00Z");
  await answer(SHOP_A, 6, { nps: 2 }, "2026-10-07T12:00:00Z");
  await answer(SHOP_A, 9, { nps: 10 }, "2026-10-03T12:00:00Z");

  // Shop B: the same customer and order ids, other answers (Ada a detractor there, Katherine a promoter).
  await deliver(SHOP_B, order(1, person(601, "Ada", "Other"), "99.00", "01"));
  await deliver(SHOP_B, order(7, person(604, "Kate", "Other"), "5000.00", "01"));
  await deliver(SHOP_B, order(10, person(901, "Zed", "Beta"), "10.00", "01"));
  await answer(SHOP_B, 1, { nps: 0, comment: "Shop B only" }, "2026-10-09T12:00:00Z");
  await answer(SHOP_B, 7, { nps: 10 }, "2026-10-09T12:00:00Z");
});

describe("customers list filters", () => {
  it("filters by tier, and by no tier", async () => {
    const ids = async (query: string) => (await list(STORE_A, `${query}&limit=100`)).customers.map((c) => c.id).sort();
    expect(await ids("tier=gold")).toEqual(["604"]);
    expect(await ids("tier=silver")).toEqual(["601"]);
    expect(await ids("tier=bronze")).toEqual(["602", "603", "606"]);
    expect(await ids("tier=_none")).toEqual(["605"]);
    const page = await list(STORE_A, "tier=bronze");
    expect(page.total).toBe(3);
    expect(page.tier).toBe("bronze");
    expect(page.tierChoices.map((c) => c.value)).toEqual(["bronze", "silver", "gold", "_none"]);
  });

  it("groups customers by their latest NPS score: a later NPS answer moves them, an answer without NPS does not", async () => {
    const ids = async (nps: string) => (await list(STORE_A, `nps=${nps}&limit=100`)).customers.map((c) => c.id).sort();
    expect(await ids("promoter")).toEqual(["601", "606"]);
    expect(await ids("passive")).toEqual(["602"]);
    expect(await ids("detractor")).toEqual(["603"]);
    expect(await ids("none")).toEqual(["604", "605"]);
  });

  it("agrees with the Latest NPS column: every row of a group shows a score in the group's band", async () => {
    for (const group of ["promoter", "passive", "detractor"] as const) {
      const page = await list(STORE_A, `nps=${group}&limit=100`);
      const [from, to] = BAND_RANGES.nps[group];
      expect(page.customers.length).toBeGreaterThan(0);
      for (const c of page.customers) expect(c.latestNps !== null && c.latestNps >= from && c.latestNps <= to).toBe(true);
    }
    expect((await list(STORE_A, "nps=none&limit=100")).customers.every((c) => c.latestNps === null)).toBe(true);
  });

  it("combines search, tier and NPS group; the total counts every page's rows, in every sort", async () => {
    expect((await list(STORE_A, "tier=bronze&nps=promoter")).customers.map((c) => c.id)).toEqual(["606"]);
    expect((await list(STORE_A, "tier=bronze&nps=promoter&q=ada")).customers).toEqual([]);
    expect((await list(STORE_A, "tier=bronze&nps=promoter&q=ada")).total).toBe(0);
    for (const query of ["tier=bronze", "nps=promoter", "nps=none", "tier=bronze&nps=detractor", "q=a", ""]) {
      for (const sort of ["spend", "orders", "last-order", "points"]) {
        const { ids, totals } = await allPages(STORE_A, `${query}&sort=${sort}`);
        expect(new Set(ids).size).toBe(ids.length);
        expect(totals).toEqual([ids.length]);
      }
    }
    expect((await list(STORE_A, "")).total).toBe(6);
  });

  it("counts and filters within the shop only: the other shop's answers and customers change nothing", async () => {
    // B's customer 601 is a detractor and 604 a promoter there; in A, 601 is a promoter and 604 never answered.
    expect((await list(STORE_A, "nps=detractor&limit=100")).customers.map((c) => c.id)).toEqual(["603"]);
    expect((await list(STORE_B, "nps=detractor&limit=100")).customers.map((c) => c.id)).toEqual(["601"]);
    expect((await list(STORE_B, "nps=promoter&limit=100")).customers.map((c) => c.id)).toEqual(["604"]);
    expect((await list(STORE_B, "")).total).toBe(3);
    expect((await list(STORE_B, "nps=none")).total).toBe(1);
  });

  it("reads nonsense parameters as no filter", async () => {
    const all = await list(STORE_A, "limit=100");
    for (const query of ["tier=Gold!", "tier=-gold", `tier=${"a".repeat(101)}`, "nps=promoters", "nps=", "tier="]) {
      const page = await list(STORE_A, `${query}&limit=100`);
      expect(page.customers.map((c) => c.id)).toEqual(all.customers.map((c) => c.id));
      expect([page.tier, page.npsGroup]).toEqual([null, null]);
    }
    // A slug no tier has any more is a filter that matches nobody (and stays choosable).
    const gone = await list(STORE_A, "tier=platinum");
    expect([gone.customers, gone.total]).toEqual([[], 0]);
    expect(gone.tierChoices[0]).toEqual({ value: "platinum", label: "platinum" });
  });
});

describe("the customer page's way back to the list", () => {
  it("the list hands its own query to the customer page, which leads back to the same filters, sort and page", async () => {
    const first = await list(STORE_A, "tier=bronze&nps=none&sort=orders&dir=asc&limit=1&utm=ignored");
    expect(first.listQuery).toBe("tier=bronze&nps=none&sort=orders&dir=asc&limit=1");
    const second = await list(STORE_A, "tier=bronze&sort=orders&dir=asc&limit=1&utm=ignored");
    const next = await list(STORE_A, `${second.listQuery}&after=${second.pageInfo.nextCursor ?? ""}`);
    expect(next.listQuery).toBe(`tier=bronze&sort=orders&dir=asc&limit=1&after=${second.pageInfo.nextCursor}`);

    const profile = await detail(STORE_A, "606", `list=${encodeURIComponent(next.listQuery)}`);
    expect(profile.backUrl).toBe(`/app/customers?${next.listQuery}`);
    expect(profile.listQuery).toBe(next.listQuery);
    // The way back is the same page of the same list.
    const back = await list(STORE_A, profile.backUrl.split("?")[1] ?? "");
    expect(back.customers.map((c) => c.id)).toEqual(next.customers.map((c) => c.id));
  });

  it("leads back to the plain list without a list query, and never anywhere but the list", async () => {
    expect((await detail(STORE_A, "606")).backUrl).toBe("/app/customers");
    for (const hostile of ["https://evil.example/", "//evil.example", "q=x&redirect=https://evil.example", "tier=<script>", "a".repeat(5000)]) {
      const profile = await detail(STORE_A, "606", `list=${encodeURIComponent(hostile)}`);
      expect(profile.backUrl).toMatch(/^\/app\/customers(\?[^/]*)?$/);
      expect(profile.backUrl).not.toMatch(/evil|script|redirect/);
    }
    expect((await detail(STORE_A, "606", `list=${encodeURIComponent("q=x&redirect=https://evil.example")}`)).backUrl).toBe("/app/customers?q=x");
  });
});

describe("the customer page's survey answers and follow-ups", () => {
  it("lists the customer's answers, newest first, with scores, comment, order name and the follow-ups they opened", async () => {
    // GIVEN staff worked Ada's recovery follow-up (her NPS 3 answer)
    const recovery = await prisma.followUp.findFirstOrThrow({ where: { shop: SHOP_A, orderId: "1", kind: "recovery" } });
    const form = new FormData();
    for (const [k, v] of Object.entries({ intent: "update", id: String(recovery.id), status: "contacted", owner: "Sam", notes: "Called her; sent a code." })) form.set(k, v);
    await followUpsAction(args(await adminRequest(STORE_A, "/app/followups", { method: "POST", body: form })));

    // WHEN her page loads
    const profile = await detail(STORE_A, "601");

    // THEN both answers, newest first, each with its order, and the follow-up under the answer that opened it
    expect(profile.answers.map((a) => [a.orderId, a.orderName, a.nps, a.csat, a.comment])).toEqual([
      ["2", "#2", 10, 5, "Much better"],
      ["1", "#1", 3, null, "Late parcel"],
    ]);
    expect(profile.answers[0]?.followUps).toEqual([]);
    expect(profile.answers[1]?.followUps).toEqual([
      expect.objectContaining({ kind: "recovery", status: "contacted", owner: "Sam", notes: "Called her; sent a code.", trigger: ["NPS 3"], resolvedAt: null }),
    ]);
    expect(profile.answersTruncated).toBe(false);
  });

  it("shows only this shop's answers and follow-ups for a customer id both shops have", async () => {
    const a = await detail(STORE_A, "601");
    const b = await detail(STORE_B, "601");
    expect(a.answers.map((x) => x.comment)).not.toContain("Shop B only");
    expect(b.answers.map((x) => [x.orderId, x.nps, x.comment])).toEqual([["1", 0, "Shop B only"]]);
    expect(b.answers[0]?.followUps.map((f) => [f.kind, f.status, f.owner])).toEqual([["recovery", "open", null]]);
    expect((await detail(STORE_A, "604")).answers).toEqual([]);
  });

  it("names an answer's order from the Order table: null when the app has no such order (the page shows a fallback)", async () => {
    await prisma.order.update({ where: { shop_id: { shop: SHOP_A, id: "9" } }, data: { name: "#9-renamed" } });
    const at = new Date("2026-10-20T12:00:00Z");
    await prisma.surveyResponse.create({
      data: { shop: SHOP_A, orderId: "777000777", customerId: "606", nps: 9, locale: "en", surface: "thank-you", createdAt: at, updatedAt: at },
    });
    expect((await detail(STORE_A, "606")).answers.map((x) => [x.orderId, x.orderName])).toEqual([
      ["777000777", null],
      ["9", "#9-renamed"],
    ]);
  });
});

describe("the customer page's points ledger, a page at a time", () => {
  async function adjust(id: string, points: number, reason: string) {
    const body = new FormData();
    body.set("points", String(points));
    body.set("reason", reason);
    const result = await customerAction(args(await adminRequest(STORE_A, `/app/customers/${id}`, { method: "POST", body }), { id }));
    expect(result).toMatchObject({ ok: true });
  }

  it("pages forwards and back through every entry exactly once, newest first, keeping the list query", async () => {
    // GIVEN Grace has two order entries and 43 adjustments (45 entries: three pages of 20)
    for (let i = 1; i <= 43; i++) await adjust("602", 1, `Adjustment number ${i}`);
    const expected = (await prisma.pointsLedger.findMany({ where: { shop: SHOP_A, customerId: "602" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] })).map(
      (r) => r.id,
    );
    expect(expected.length).toBe(45);

    // WHEN paging forwards
    const list = `list=${encodeURIComponent("tier=bronze")}`;
    let profile = await detail(STORE_A, "602", list);
    expect(profile.ledgerTotal).toBe(45);
    expect(profile.ledgerPageInfo.hasPrevious).toBe(false);
    const pages = [profile.ledger.map((r) => r.id)];
    while (profile.ledgerPageInfo.hasNext) {
      profile = await detail(STORE_A, "602", `${list}&ledgerAfter=${profile.ledgerPageInfo.nextCursor}`);
      pages.push(profile.ledger.map((r) => r.id));
      expect(pages.length).toBeLessThan(5);
    }
    // THEN every entry once, in order, 20 a page, and the way back to the list stays
    expect(pages.map((p) => p.length)).toEqual([20, 20, 5]);
    expect(pages.flat()).toEqual(expected);
    expect(profile.backUrl).toBe("/app/customers?tier=bronze");

    // AND paging back retraces the same pages
    const back = [pages[2]!];
    while (profile.ledgerPageInfo.hasPrevious) {
      profile = await detail(STORE_A, "602", `${list}&ledgerBefore=${profile.ledgerPageInfo.previousCursor}`);
      back.unshift(profile.ledger.map((r) => r.id));
      expect(back.length).toBeLessThan(5);
    }
    expect(back).toEqual(pages);
  });

  it("reads an unreadable ledger cursor as the first page, and never shows another customer's or shop's entries", async () => {
    const first = await detail(STORE_A, "602");
    for (const cursor of ["not-a-cursor", Buffer.from("1730000000000:99999999999").toString("base64url"), "a".repeat(500)]) {
      expect((await detail(STORE_A, "602", `ledgerAfter=${cursor}`)).ledger.map((r) => r.id)).toEqual(first.ledger.map((r) => r.id));
    }
    // Another customer's cursor only positions the page: the rows are still Grace's.
    const ada = await detail(STORE_A, "601");
    const cursor = first.ledgerPageInfo.nextCursor;
    const page = await detail(STORE_A, "601", `ledgerAfter=${cursor}`);
    const adaIds = new Set((await prisma.pointsLedger.findMany({ where: { shop: SHOP_A, customerId: "601" } })).map((r) => r.id));
    expect(page.ledger.every((r) => adaIds.has(r.id))).toBe(true);
    expect(ada.ledger.every((r) => adaIds.has(r.id))).toBe(true);
    const b = await detail(STORE_B, "601");
    const bIds = new Set((await prisma.pointsLedger.findMany({ where: { shop: SHOP_B, customerId: "601" } })).map((r) => r.id));
    expect(b.ledger.length).toBeGreaterThan(0);
    expect(b.ledger.every((r) => bIds.has(r.id))).toBe(true);
  });
});
