import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import type { RestOrder } from "~/domain/orders/order-payload";
import { action as customerAction, loader as customerLoader } from "~/routes/app.customers.$id/route";
import { loader as listLoader } from "~/routes/app.customers._index/route";
import { action as loyaltyAction, loader as loyaltyLoader } from "~/routes/app.loyalty/route";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { validateSubmission } from "~/domain/survey/answer";
import { latestRecomputeJob } from "~/services/loyalty.server";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { restOrder, restRefund } from "../support/orders";
import { pointsAvailableAtOnce } from "../support/rewards";
import { adminRequest, installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

const STORE_A = "cp-alpha";
const SHOP_A = `${STORE_A}.myshopify.com`;
const STORE_B = "cp-beta";
const SHOP_B = `${STORE_B}.myshopify.com`;

type Args = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
const args = (request: Request, params: Record<string, string> = {}): Args => ({ request, params, context: {} });

async function deliver(shop: string, action: typeof ordersCreate, topic: string, body: unknown) {
  const response = await callAction(action, signedWebhook({ topic, shop, body }));
  expect(response.status).toBe(200);
}

const person = (id: number, first: string | null, last: string | null, email: string | null) => ({
  id,
  first_name: first,
  last_name: last,
  email,
});

function order(id: number, customer: ReturnType<typeof person>, total: string, day: string, extra: Omit<Partial<RestOrder>, "id"> = {}) {
  const at = `2026-10-${day}T10:00:00Z`;
  return restOrder({ id, customer, total_price: total, created_at: at, processed_at: at, updated_at: at, ...extra });
}

/** A list call: the loader with a real session token for `store`. */
async function list(store: string, query: string) {
  return listLoader(args(await adminRequest(store, `/app/customers${query ? `?${query}` : ""}`)));
}

async function detail(store: string, id: string) {
  return customerLoader(args(await adminRequest(store, `/app/customers/${id}`), { id }));
}

async function adjust(store: string, id: string, fields: Record<string, string>) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return customerAction(args(await adminRequest(store, `/app/customers/${id}`, { method: "POST", body }), { id }));
}

async function thrownBy(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the handler to throw");
    },
    (thrown: unknown) => thrown,
  );
}

/** What `data(body, { status })` returns from an action under single fetch. */
interface DataWithInit<T> {
  data: T;
  init: { status?: number } | null;
}

beforeAll(async () => {
  await installShop(SHOP_A);
  await installShop(SHOP_B);
  // Balances here are points available as soon as an order is booked (pending points are tested on their own).
  await pointsAvailableAtOnce(SHOP_A);
  await pointsAvailableAtOnce(SHOP_B);

  // Shop A: ties on spend, points and last order date; wildcard characters in a name; a customer with only a
  // test order (no facts, no last order); a partial refund.
  const ada = person(601, "Ada", "Lovelace", "ada@example.com");
  await deliver(SHOP_A, ordersCreate, "orders/create", order(1, ada, "300.00", "01"));
  await deliver(SHOP_A, ordersCreate, "orders/create", order(2, ada, "50.00", "05"));
  await deliver(SHOP_A, ordersCreate, "orders/create", order(3, person(602, "Grace", "Hopper", "grace@example.com"), "60.00", "01"));
  await deliver(SHOP_A, ordersCreate, "orders/create", order(4, person(603, "Alan", "Turing", "alan@example.com"), "60.00", "01"));
  await deliver(SHOP_A, ordersCreate, "orders/create", order(5, person(604, "Katherine", "Johnson", "kj@example.com"), "1200.00", "02"));
  await deliver(SHOP_A, ordersCreate, "orders/create", order(6, person(605, "Percy", "100%_Club", "percy@example.com"), "60.00", "01"));
  await deliver(SHOP_A, ordersCreate, "orders/create", order(7, person(606, "Edsger", "Dijkstra", "edsger@example.com"), "80.00", "01", { test: true }));
  await deliver(SHOP_A, ordersCreate, "orders/create", order(8, person(607, "Barbara", "Liskov", "BARBARA@EXAMPLE.COM"), "20.00", "03"));
  await deliver(SHOP_A, refundsCreate, "refunds/create", restRefund({
    id: 80,
    order_id: 8,
    transactions: [{ kind: "refund", status: "success", amount: "5.00", currency: "USD" }],
  }));
  await deliver(SHOP_A, ordersCreate, "orders/create", order(9, person(608, "Ada", "Byron", "ada.byron@example.com"), "10.00", "04"));

  // Shop B: a customer with the same id as one of shop A's, and one only shop B has.
  await deliver(SHOP_B, ordersCreate, "orders/create", order(1, person(601, "Ada", "Other", "ada@other.example"), "99.00", "01"));
  await deliver(SHOP_B, ordersCreate, "orders/create", order(2, person(901, "Zed", "Beta", "zed@beta.example"), "500.00", "01"));
});

describe("customers list", () => {
  it("lists only the shop's customers, with tier, points, net spend and the shop currency", async () => {
    const page = await list(STORE_A, "limit=100");
    expect(page.customers.map((c) => c.id).sort()).toEqual(["601", "602", "603", "604", "605", "606", "607", "608"]);
    expect(page.customers.some((c) => c.name.includes("Other") || c.name.includes("Zed"))).toBe(false);
    expect(page.currency).toBe("USD");
    const ada = page.customers.find((c) => c.id === "601");
    expect(ada).toMatchObject({ name: "Ada Lovelace", tier: { slug: "silver", name: "Silver" }, points: 350, netSpendMinor: 35000, orders: 2, latestNps: null });
    expect(ada?.lastOrderAt).toBe("2026-10-05T10:00:00.000Z");
    expect(page.customers.find((c) => c.id === "607")).toMatchObject({ netSpendMinor: 1500, orders: 1 });
    expect(page.customers.find((c) => c.id === "606")).toMatchObject({ netSpendMinor: 0, orders: 0, lastOrderAt: null, tier: null });
    // Default order: net spend, highest first.
    expect(page.customers[0]?.id).toBe("604");
    expect(page.pageInfo).toMatchObject({ hasNext: false, hasPrevious: false });
  });

  it("searches name and email case-insensitively, with LIKE wildcards taken literally", async () => {
    const ids = async (q: string) => (await list(STORE_A, `q=${encodeURIComponent(q)}&limit=100`)).customers.map((c) => c.id).sort();
    expect(await ids("ada")).toEqual(["601", "608"]);
    expect(await ids("LOVELACE")).toEqual(["601"]);
    expect(await ids("ada lovelace")).toEqual(["601"]);
    expect(await ids("barbara@example")).toEqual(["607"]);
    expect(await ids("%")).toEqual(["605"]);
    expect(await ids("_")).toEqual(["605"]);
    expect(await ids("100%_c")).toEqual(["605"]);
    expect(await ids("Other")).toEqual([]);
    expect(await ids("zed")).toEqual([]);
  });

  const SORTS = [
    { sort: "spend", column: "lifetimeNetMinor" },
    { sort: "orders", column: "orderCount" },
    { sort: "last-order", column: "lastOrderAt" },
    { sort: "points", column: "pointsBalance" },
  ] as const;

  it.each(SORTS.flatMap((s) => (["asc", "desc"] as const).map((dir) => ({ ...s, dir }))))(
    "sort $sort $dir: keyset pages give every customer exactly once, in order, forwards and back",
    async ({ sort, column, dir }) => {
      // GIVEN the list's order: (value, id), NULLs first ascending and last descending (as it was on SQLite)
      const rows = await prisma.customer.findMany({ where: { shop: SHOP_A } });
      const value = (r: (typeof rows)[number]) => {
        const v = r[column];
        return v instanceof Date ? v.getTime() : typeof v === "bigint" ? Number(v) : v;
      };
      const expected = [...rows]
        .sort((a, b) => {
          const va = value(a);
          const vb = value(b);
          if (va !== vb) {
            if (va === null) return -1;
            if (vb === null) return 1;
            return va - vb;
          }
          return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
        })
        .map((r) => r.id);
      if (dir === "desc") expected.reverse();

      // WHEN paging forwards two at a time
      const pages: string[][] = [];
      let query = `sort=${sort}&dir=${dir}&limit=2`;
      let page = await list(STORE_A, query);
      expect(page.pageInfo.hasPrevious).toBe(false);
      pages.push(page.customers.map((c) => c.id));
      while (page.pageInfo.hasNext) {
        expect(page.pageInfo.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
        query = `sort=${sort}&dir=${dir}&limit=2&after=${page.pageInfo.nextCursor}`;
        page = await list(STORE_A, query);
        pages.push(page.customers.map((c) => c.id));
        expect(pages.length).toBeLessThan(10);
      }
      // THEN every customer once, in order
      expect(pages.flat()).toEqual(expected);

      // AND paging back from the last page retraces the same pages
      const back: string[][] = [pages[pages.length - 1]!];
      while (page.pageInfo.hasPrevious) {
        page = await list(STORE_A, `sort=${sort}&dir=${dir}&limit=2&before=${page.pageInfo.previousCursor}`);
        back.unshift(page.customers.map((c) => c.id));
        expect(back.length).toBeLessThan(10);
      }
      expect(back).toEqual(pages);
      expect(page.pageInfo.hasNext).toBe(true);
    },
  );

  it("ignores a cursor from another sort order or a garbled one (first page)", async () => {
    const first = await list(STORE_A, "sort=spend&dir=desc&limit=2");
    const mismatched = await list(STORE_A, `sort=orders&dir=desc&limit=2&after=${first.pageInfo.nextCursor}`);
    expect(mismatched.pageInfo.hasPrevious).toBe(false);
    const garbled = await list(STORE_A, "sort=spend&dir=desc&limit=2&after=not-a-cursor");
    expect(garbled.customers.map((c) => c.id)).toEqual(first.customers.map((c) => c.id));
  });

  it("answers any well-formed cursor without a database error: a count beyond 32 bits pages on, a date beyond the database's range reads as the first page", async () => {
    const cursor = (s: string, d: string, v: number, i: string) => Buffer.from(JSON.stringify({ s, d, v, i }), "utf8").toString("base64url");
    // GIVEN a cursor past every order count (which is a 32-bit column), then one past the last date a Date holds
    const beyond = await list(STORE_A, `sort=orders&dir=asc&limit=2&after=${cursor("orders", "asc", 2 ** 40, "0")}`);
    expect(beyond.customers).toEqual([]);
    const first = await list(STORE_A, "sort=last-order&dir=desc&limit=2");
    for (const v of [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
      const page = await list(STORE_A, `sort=last-order&dir=desc&limit=2&after=${cursor("last-order", "desc", v, "0")}`);
      expect(page.customers.map((c) => c.id)).toEqual(first.customers.map((c) => c.id));
    }
  });

  it("shows each customer's latest NPS answer from this shop's survey only", async () => {
    // GIVEN Ada answered twice in shop A (7, then 10 on a later order), Grace never scored NPS, and shop B's
    // customer with Ada's id answered 0
    const answer = async (shop: string, orderId: number, answers: Record<string, number>, at: string) => {
      const checked = validateSubmission({ orderId: `gid://shopify/Order/${orderId}`, locale: "en", answers });
      if (!checked.ok) throw new Error("fixture should be valid");
      await recordSurveyAnswer(shop, checked.value, { surface: "thank-you", now: new Date(at) });
    };
    await answer(SHOP_A, 1, { nps: 7 }, "2026-10-01T12:00:00Z");
    await answer(SHOP_A, 2, { nps: 10 }, "2026-10-05T12:00:00Z");
    await answer(SHOP_A, 3, { csat: 4 }, "2026-10-01T12:00:00Z");
    await answer(SHOP_B, 1, { nps: 0 }, "2026-10-09T12:00:00Z");

    // WHEN shop A lists its customers
    const page = await list(STORE_A, "limit=100");
    const nps = Object.fromEntries(page.customers.map((c) => [c.id, c.latestNps]));

    // THEN Ada shows her latest answer, others show none
    expect(nps).toEqual({ "601": 10, "602": null, "603": null, "604": null, "605": null, "606": null, "607": null, "608": null });
    expect((await list(STORE_B, "limit=100")).customers.find((c) => c.id === "601")?.latestNps).toBe(0);
  });
});

describe("customer detail", () => {
  it("shows facts, tier progress, ledger, tier history and orders", async () => {
    const profile = await detail(STORE_A, "601");
    expect(profile.customer).toMatchObject({
      name: "Ada Lovelace",
      lifetimeNetMinor: 35000,
      orderCount: 2,
      averageOrderMinor: 17500,
      status: "returning",
      firstOrderAt: "2026-10-01T10:00:00.000Z",
      lastOrderAt: "2026-10-05T10:00:00.000Z",
      points: 350,
    });
    expect(profile.loyalty.tier).toMatchObject({ slug: "silver", name: "Silver" });
    expect(profile.loyalty.next).toMatchObject({ name: "Gold", remaining: 65000, remainingLabel: "$650.00", progressPercent: 13 });
    expect(profile.ledger.map((l) => [l.kind, l.points, l.orderName])).toEqual([
      ["order", 50, "#2"],
      ["order", 300, "#1"],
    ]);
    expect(profile.tierHistory.map((t) => [t.from?.name ?? null, t.to?.name ?? null])).toEqual([[null, "Silver"]]);
    expect(profile.orders.map((o) => [o.name, o.totalMinor, o.refundedMinor])).toEqual([
      ["#2", 5000, 0],
      ["#1", 30000, 0],
    ]);
    const barbara = await detail(STORE_A, "607");
    expect(barbara.orders).toMatchObject([{ name: "#8", totalMinor: 2000, refundedMinor: 500 }]);
    expect(barbara.customer.status).toBe("new");
  });

  it("answers 404 for another shop's customer and for an unknown id", async () => {
    for (const id of ["901", "nope"]) {
      const thrown = await thrownBy(detail(STORE_A, id));
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(404);
    }
    // The same id in the other shop is that shop's own customer.
    expect((await detail(STORE_B, "601")).customer.name).toBe("Ada Other");
  });

  it("rejects an invalid points adjustment with 400 and field errors, changing nothing", async () => {
    const bad = (await adjust(STORE_A, "602", { points: "abc", reason: "" })) as unknown as DataWithInit<{ errors: Record<string, string> }>;
    expect(bad.init?.status).toBe(400);
    expect(Object.keys(bad.data.errors).sort()).toEqual(["points", "reason"]);

    const belowZero = (await adjust(STORE_A, "602", { points: "-1000", reason: "Too much" })) as unknown as DataWithInit<{ errors: Record<string, string> }>;
    expect(belowZero.init?.status).toBe(400);
    expect(belowZero.data.errors.points).toMatch(/below zero/);

    expect((await detail(STORE_A, "602")).customer.points).toBe(60);
    expect(await prisma.pointsLedger.count({ where: { shop: SHOP_A, customerId: "602", kind: "adjustment" } })).toBe(0);
  });

  it("applies a valid adjustment: new balance, newest ledger row with the reason", async () => {
    const result = await adjust(STORE_A, "602", { points: "25", reason: "Goodwill for a late parcel" });
    expect(result).toEqual({ ok: true, balance: 85 });
    const profile = await detail(STORE_A, "602");
    expect(profile.customer.points).toBe(85);
    expect(profile.ledger[0]).toMatchObject({ kind: "adjustment", points: 25, note: "Goodwill for a late parcel" });
    // Offline sessions carry no user: the session token's user id says who adjusted.
    expect(await prisma.pointsLedger.findFirst({ where: { shop: SHOP_A, customerId: "602", kind: "adjustment" }, select: { staff: true } })).toEqual({
      staff: "Staff user 12345",
    });

    const removal = await adjust(STORE_A, "602", { points: "-5", reason: "Correction" });
    expect(removal).toEqual({ ok: true, balance: 80 });
  });

  it("answers 404 to an adjustment of another shop's customer", async () => {
    const thrown = await thrownBy(adjust(STORE_A, "901", { points: "10", reason: "Not mine" }));
    expect((thrown as Response).status).toBe(404);
    expect(await prisma.pointsLedger.count({ where: { shop: SHOP_B, kind: "adjustment" } })).toBe(0);
  });
});

describe("loyalty page", () => {
  const formOf = async () => {
    const page = await loyaltyLoader(args(await adminRequest(STORE_A, "/app/loyalty")));
    const { formFromProgram } = await import("~/routes/app.loyalty/program-form");
    return { page, form: formFromProgram(page.program, page.currency) };
  };
  const save = async (form: unknown) =>
    loyaltyAction(
      args(
        await adminRequest(STORE_A, "/app/loyalty", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ intent: "save", form }),
        }),
      ),
    );

  it("counts customers per tier in SQL, with a No tier bucket", async () => {
    const { page } = await formOf();
    expect(page.distribution.map((b) => [b.name, b.customers])).toEqual([
      ["Bronze", 5],
      ["Silver", 1],
      ["Gold", 1],
      ["No tier", 1],
    ]);
  });

  it("validates on the server: an unparseable, too precise or out-of-order threshold is a 400 with field errors, nothing saved", async () => {
    const { form } = await formOf();
    // The programme stored in beforeAll (pending points off): not one field of it may change.
    const stored = await prisma.loyaltyProgram.findUniqueOrThrow({ where: { shop: SHOP_A } });
    const withThreshold = (index: number, threshold: string) => ({
      ...form,
      tiers: form.tiers.map((t, i) => (i === index ? { ...t, threshold } : t)),
    });
    const unparseable = (await save(withThreshold(2, "12,5"))) as unknown as DataWithInit<{ errors: Record<string, string> }>;
    expect(unparseable.init?.status).toBe(400);
    expect(unparseable.data.errors).toEqual({ "tiers.2.threshold": "Enter an amount, e.g. 250 or 250.00" });

    const tooPrecise = (await save(withThreshold(2, "1000.001"))) as unknown as DataWithInit<{ errors: Record<string, string> }>;
    expect(tooPrecise.data.errors).toEqual({ "tiers.2.threshold": "Use at most 2 decimals" });

    const outOfOrder = (await save(withThreshold(1, "0"))) as unknown as DataWithInit<{ errors: Record<string, string> }>;
    expect(outOfOrder.init?.status).toBe(400);
    expect(Object.keys(outOfOrder.data.errors)).toEqual(["tiers.1.threshold"]);
    expect(outOfOrder.data.errors["tiers.1.threshold"]).toMatch(/higher than the threshold of the previous tier "Bronze"/);
    expect(await prisma.loyaltyProgram.findMany({ where: { shop: SHOP_A } })).toEqual([stored]);
  });

  it("saves thresholds typed in currency units as minor units and recomputes the distribution", async () => {
    const { form } = await formOf();
    const lowered = { ...form, tiers: form.tiers.map((t) => (t.name === "Gold" ? { ...t, threshold: "349.99" } : t)) };
    const result = await save(lowered);
    expect(result).toMatchObject({ ok: true, jobId: expect.any(Number) });
    let job = await latestRecomputeJob(SHOP_A);
    for (let i = 0; i < 100 && job?.status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 20));
      job = await latestRecomputeJob(SHOP_A);
    }
    const { page } = await formOf();
    expect(page.program.tiers.find((t) => t.name === "Gold")?.threshold).toBe(34999);
    expect(page.job).toMatchObject({ status: "done", total: 8, done: 8 });
    expect(page.distribution.find((b) => b.name === "Gold")?.customers).toBe(2);
  });
});
