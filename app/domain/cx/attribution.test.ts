import { describe, expect, it } from "vitest";
import { attributionRows, attributionRowView, divideRounded, type AttributionCounts } from "./attribution";

const group = (channel: string, tier: string, counts: Partial<AttributionCounts> = {}): AttributionCounts => ({
  channel,
  tier,
  answers: 0,
  orders: 0,
  netMinor: 0n,
  refundedOrders: 0,
  newCustomers: 0,
  returningCustomers: 0,
  customerAnswers: 0,
  followNetMinor: 0n,
  promoters: 0,
  passives: 0,
  detractors: 0,
  ...counts,
});

describe("divideRounded", () => {
  it.each([
    [7n, 2n, 4n],
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [4n, 3n, 1n],
    [5n, 3n, 2n],
    [-4n, 3n, -1n],
    [0n, 9n, 0n],
    [2n ** 70n + 1n, 2n, 2n ** 69n + 1n],
  ])("%s ÷ %s = %s, halves away from zero, exact beyond 2^53", (a, b, expected) => {
    expect(divideRounded(a, b)).toBe(expected);
  });

  it("refuses a divisor that is not positive", () => {
    expect(() => divideRounded(1n, 0n)).toThrow("divisor must be positive");
    expect(() => divideRounded(1n, -1n)).toThrow("divisor must be positive");
  });
});

describe("attributionRows", () => {
  it("sums a channel's tiers and turns the sums into the report's figures", () => {
    const rows = attributionRows([
      group("search", "bronze", { answers: 2, orders: 2, netMinor: 15_000n, refundedOrders: 1, newCustomers: 1, returningCustomers: 1, customerAnswers: 2, followNetMinor: 6_001n, promoters: 1, detractors: 1 }),
      group("search", "guest", { answers: 1, orders: 1, netMinor: 8_000n, passives: 1 }),
    ]);
    expect(rows).toHaveLength(1);
    const [search] = rows;
    expect(search).toMatchObject({ channel: "search", answers: 3, orders: 3, netMinor: 23_000n, revenue90PerCustomerMinor: 3_001n });
    expect(search!.newCustomerShare).toMatchObject({ value: 50, count: 2, tooSmall: true });
    expect(search!.returnRate).toMatchObject({ value: 33.3, count: 3 });
    expect(search!.nps).toMatchObject({ value: 0, count: 3, counts: { promoters: 1, passives: 1, detractors: 1 } });
    expect(search!.tiers).toEqual([
      { tier: "bronze", answers: 2 },
      { tier: "guest", answers: 1 },
    ]);
  });

  it("leaves a figure empty without its sample: no customers, no counted orders, no scores", () => {
    const [row] = attributionRows([group("ad", "guest", { answers: 1 })]);
    expect(row!.revenue90PerCustomerMinor).toBeNull();
    expect(row!.newCustomerShare.value).toBeNull();
    expect(row!.returnRate.value).toBeNull();
    expect(row!.nps.value).toBeNull();
    expect(row!.netMinor).toBe(0n);
  });

  it("orders channels by answers, then net revenue, then id, with the unanswered channel last, whatever the input order", () => {
    const groups = [
      group("", "", { answers: 9 }),
      group("social", "", { answers: 2, netMinor: 100n }),
      group("ad", "", { answers: 2, netMinor: 100n }),
      group("friend", "", { answers: 2, netMinor: 900n }),
      group("search", "", { answers: 5 }),
      group("tv", "", { answers: 2, netMinor: -50n }),
    ];
    const permutations = (items: AttributionCounts[]): AttributionCounts[][] =>
      items.length <= 1 ? [items] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
    const orders = new Set(permutations(groups).map((input) => attributionRows(input).map((r) => r.channel).join(",")));
    expect([...orders]).toEqual(["search,friend,ad,social,tv,"]);
  });

  it("sorts a channel's tier mix by answers, ties by slug, and leaves out tiers without answers", () => {
    const [row] = attributionRows([
      group("friend", "silver", { answers: 1 }),
      group("friend", "gold", { answers: 1 }),
      group("friend", "bronze", { answers: 3 }),
      group("friend", "platinum", { answers: 0 }),
    ]);
    expect(row!.tiers).toEqual([
      { tier: "bronze", answers: 3 },
      { tier: "gold", answers: 1 },
      { tier: "silver", answers: 1 },
    ]);
  });

  it("keeps sums beyond 2^53 exact", () => {
    const big = 2n ** 60n + 7n;
    const [row] = attributionRows([group("ad", "", { answers: 1, netMinor: big, customerAnswers: 1, followNetMinor: big }), group("ad", "gold", { answers: 1, netMinor: big })]);
    expect(row!.netMinor).toBe(2n * big);
    expect(row!.revenue90PerCustomerMinor).toBe(big);
  });

  it("has no answers without a group, and leaves a channel with answers only in tiers it has", () => {
    expect(attributionRows([])).toEqual([]);
  });
});

describe("attributionRowView", () => {
  it("writes money as exact digits and names the tiers", () => {
    const [row] = attributionRows([group("ad", "gold", { answers: 2, netMinor: 2n ** 60n, customerAnswers: 2, followNetMinor: 5n }), group("ad", "", { answers: 1 })]);
    const view = attributionRowView(row!, "An ad", (key) => (key === "" ? "No tier" : key.toUpperCase()));
    expect(view).toMatchObject({ channel: "ad", label: "An ad", answers: 3, netMinor: "1152921504606846976", revenue90PerCustomerMinor: "3" });
    expect(view.tiers).toEqual([
      { tier: "gold", label: "GOLD", answers: 2 },
      { tier: "", label: "No tier", answers: 1 },
    ]);
    const [empty] = attributionRows([group("tv", "", { answers: 1 })]);
    expect(attributionRowView(empty!, "TV", String).revenue90PerCustomerMinor).toBeNull();
  });
});
