import { describe, expect, it } from "vitest";
import { returnEligibility, windowEnd, type EligibilityLineItem, type EligibilityOrder, type ItemEligibility } from "./eligibility";
import { DEFAULT_RETURN_POLICY, type ReturnPolicy } from "./policy";

const at = (iso: string) => new Date(iso);
const plusMs = (date: Date, ms: number) => new Date(date.getTime() + ms);

const item = (overrides: Partial<EligibilityLineItem> = {}): EligibilityLineItem => ({
  id: "1",
  title: "Linen shirt",
  quantity: 1,
  priceMinor: 5000,
  refundedQuantity: 0,
  productTags: [],
  ...overrides,
});
const order = (overrides: Partial<EligibilityOrder> = {}): EligibilityOrder => ({
  placedAt: at("2026-03-01T15:00:00Z"),
  fulfilledAt: at("2026-03-02T10:00:00Z"),
  deliveredAt: at("2026-03-04T18:00:00Z"),
  cancelled: false,
  currency: "USD",
  lineItems: [item()],
  ...overrides,
});
const policy = (overrides: Partial<ReturnPolicy> = {}): ReturnPolicy => ({ ...DEFAULT_RETURN_POLICY, ...overrides });
const only = (o: EligibilityOrder, p: ReturnPolicy, now: Date, timeZone?: string): ItemEligibility => {
  const [first, ...rest] = returnEligibility(o, p, now, timeZone ? { timeZone } : {});
  expect(rest).toEqual([]);
  return first!;
};

const NOT_RETURNABLE = { returnable: false, returnableQuantity: 0, restockingFeeMinor: 0, returnShippingFeeMinor: 0, storeCreditBonusMinor: 0 };

describe("the window: until the end of the Nth calendar day after the start day, shop time", () => {
  it.each<[string, Partial<ReturnPolicy>, Partial<EligibilityOrder>, string | undefined, string]>([
    ["30 days from delivery, UTC", { windowDays: 30 }, {}, undefined, "2026-04-03T23:59:59.999Z"],
    ["14 days from the order", { windowDays: 14, windowStart: "order" }, {}, undefined, "2026-03-15T23:59:59.999Z"],
    ["1 day from fulfillment", { windowDays: 1, windowStart: "fulfillment" }, {}, undefined, "2026-03-03T23:59:59.999Z"],
    ["365 days from delivery", { windowDays: 365 }, {}, undefined, "2027-03-04T23:59:59.999Z"],
    ["Tokyo: delivered on 5 March local time (18:00 UTC on the 4th)", { windowDays: 30 }, {}, "Asia/Tokyo", "2026-04-04T14:59:59.999Z"],
    ["Los Angeles: delivered 23:30 local on 4 March (07:30 UTC on the 5th)", { windowDays: 1 }, { deliveredAt: at("2026-03-05T07:30:00Z") }, "America/Los_Angeles", "2026-03-06T07:59:59.999Z"],
    ["Kolkata (+05:30)", { windowDays: 1, windowStart: "order" }, { placedAt: at("2026-03-01T20:00:00Z") }, "Asia/Kolkata", "2026-03-03T18:29:59.999Z"],
    ["New York across the March DST change (EST in, EDT out)", { windowDays: 14 }, { deliveredAt: at("2026-03-01T17:00:00Z") }, "America/New_York", "2026-03-16T03:59:59.999Z"],
    ["Berlin across the October DST change (CEST in, CET out)", { windowDays: 7 }, { deliveredAt: at("2026-10-20T10:00:00Z") }, "Europe/Berlin", "2026-10-27T22:59:59.999Z"],
    ["Santiago: the last day ends where clocks skip midnight", { windowDays: 1 }, { deliveredAt: at("2026-09-04T15:00:00Z") }, "America/Santiago", "2026-09-06T03:59:59.999Z"],
  ])("%s", (_label, p, o, timeZone, returnBy) => {
    const result = only(order(o), policy(p), at("2026-03-01T00:00:00Z"), timeZone);
    expect(result.returnBy?.toISOString()).toBe(returnBy);
  });

  it("windowEnd: the same rule on its own (UTC by default)", () => {
    expect(windowEnd(at("2026-03-03T10:00:00Z"), 1).toISOString()).toBe("2026-03-04T23:59:59.999Z");
    expect(windowEnd(at("2026-03-03T23:59:59.999Z"), 1).toISOString()).toBe("2026-03-04T23:59:59.999Z");
    expect(windowEnd(at("2026-03-03T23:59:59.999Z"), 1, "Asia/Tokyo").toISOString()).toBe("2026-03-05T14:59:59.999Z");
  });

  it.each<[string, string | undefined, string]>([
    ["UTC", undefined, "2026-04-03T23:59:59.999Z"],
    ["New York", "America/New_York", "2026-04-04T03:59:59.999Z"],
    ["Berlin", "Europe/Berlin", "2026-04-03T21:59:59.999Z"],
  ])("%s: returnable at the last millisecond of the last day, closed one millisecond later", (_label, timeZone, lastInstant) => {
    const p = policy({ windowDays: 30, shipping: { kind: "flat", feeMinor: 500 } });
    const last = at(lastInstant);
    expect(only(order(), p, last, timeZone)).toMatchObject({ returnable: true, reason: null, returnBy: last, returnableQuantity: 1, returnShippingFeeMinor: 500 });
    expect(only(order(), p, plusMs(last, 1), timeZone)).toEqual({
      ...NOT_RETURNABLE,
      lineItemId: "1",
      reason: "window_closed",
      returnBy: last,
      windowStartsOn: "delivery",
    });
  });

  it("a DST change inside the window does not move the end by an hour", () => {
    // Delivered at noon EST; 14 calendar days later it is EDT: the window ends at 23:59:59.999 EDT, not EST.
    const o = order({ deliveredAt: at("2026-03-01T17:00:00Z") });
    const p = policy({ windowDays: 14 });
    expect(only(o, p, at("2026-03-16T03:59:59.999Z"), "America/New_York").returnable).toBe(true);
    expect(only(o, p, at("2026-03-16T04:00:00.000Z"), "America/New_York").reason).toBe("window_closed");
  });

  it("refuses an unknown time zone with Intl's RangeError", () => {
    expect(() => returnEligibility(order(), policy(), at("2026-03-05T00:00:00Z"), { timeZone: "Nowhere/Else" })).toThrow(RangeError);
  });
});

describe("reasons", () => {
  const now = at("2026-03-10T12:00:00Z");

  const later = at("2031-01-01T00:00:00Z");

  it.each<[string, Partial<ReturnPolicy>, Partial<EligibilityOrder>, Date, Partial<ItemEligibility>]>([
    ["no time limit: returnable years later", { windowDays: null }, {}, later, { returnable: true, reason: null, returnBy: null }],
    ["no time limit, not delivered: no reason to report", { windowDays: null }, { deliveredAt: null }, later, { returnable: true, reason: null, returnBy: null }],
    ["final sale by policy (0 days)", { windowDays: 0 }, {}, now, { ...NOT_RETURNABLE, reason: "final_sale_policy", returnBy: null }],
    ["final sale by policy, on the delivery day itself", { windowDays: 0 }, {}, at("2026-03-04T18:00:00Z"), { reason: "final_sale_policy" }],
    ["cancelled order", {}, { cancelled: true }, now, { ...NOT_RETURNABLE, reason: "cancelled", returnBy: null }],
    ["cancelled beats final sale", { windowDays: 0 }, { cancelled: true }, now, { reason: "cancelled" }],
    [
      "window from delivery, not fulfilled yet: not started",
      {},
      { fulfilledAt: null, deliveredAt: null },
      later,
      { returnable: true, reason: "not_fulfilled", returnBy: null, returnableQuantity: 1 },
    ],
    [
      "window from delivery, shipped but no delivery date yet: not started",
      {},
      { deliveredAt: null },
      later,
      { returnable: true, reason: "not_delivered", returnBy: null, returnableQuantity: 1 },
    ],
    [
      "window from fulfillment, not fulfilled yet: not started",
      { windowStart: "fulfillment" },
      { fulfilledAt: null, deliveredAt: null },
      later,
      { returnable: true, reason: "not_fulfilled", returnBy: null, windowStartsOn: "fulfillment" },
    ],
    [
      "window from the order, not fulfilled: the window runs anyway",
      { windowStart: "order", windowDays: 14 },
      { fulfilledAt: null, deliveredAt: null },
      now,
      { returnable: true, reason: null, returnBy: at("2026-03-15T23:59:59.999Z"), windowStartsOn: "order" },
    ],
    [
      "window from the order, not fulfilled, closed",
      { windowStart: "order", windowDays: 14 },
      { fulfilledAt: null, deliveredAt: null },
      later,
      { ...NOT_RETURNABLE, reason: "window_closed", returnBy: at("2026-03-15T23:59:59.999Z") },
    ],
  ])("%s", (_label, p, o, when, expected) => {
    expect(only(order(o), policy(p), when)).toMatchObject(expected);
  });

  it("final sale by product tag: trimmed and case-insensitive; other items stay returnable", () => {
    const o = order({
      lineItems: [item({ id: "a", productTags: ["summer", " FINAL Sale "] }), item({ id: "b", productTags: ["summer"] }), item({ id: "c", productTags: ["final-sale-ish"] })],
    });
    const result = returnEligibility(o, policy({ finalSaleTags: ["Final sale"] }), now);
    expect(result.map((r) => [r.lineItemId, r.returnable, r.reason, r.returnBy?.toISOString() ?? null])).toEqual([
      ["a", false, "final_sale_item", null],
      ["b", true, null, "2026-04-03T23:59:59.999Z"],
      ["c", true, null, "2026-04-03T23:59:59.999Z"],
    ]);
    expect(result[0]).toMatchObject(NOT_RETURNABLE);
  });

  it("final sale by tag even with no time limit", () => {
    const o = order({ lineItems: [item({ productTags: ["clearance"] })] });
    expect(only(o, policy({ windowDays: null, finalSaleTags: ["Clearance"] }), now)).toMatchObject({ reason: "final_sale_item", returnable: false });
  });

  it.each<[string, number, number, Partial<ItemEligibility>]>([
    ["partially refunded: the rest is returnable", 3, 1, { returnable: true, reason: null, returnableQuantity: 2 }],
    ["fully refunded", 2, 2, { ...NOT_RETURNABLE, reason: "already_refunded", returnBy: at("2026-04-03T23:59:59.999Z") }],
    ["refunded more than ordered (data from two sources)", 1, 2, { ...NOT_RETURNABLE, reason: "already_refunded" }],
    ["nothing ordered", 0, 0, { ...NOT_RETURNABLE, reason: "already_refunded" }],
  ])("%s", (_label, quantity, refundedQuantity, expected) => {
    expect(only(order({ lineItems: [item({ quantity, refundedQuantity })] }), policy(), now)).toMatchObject(expected);
  });

  it("already refunded beats a closed window", () => {
    const o = order({ lineItems: [item({ quantity: 1, refundedQuantity: 1 })] });
    expect(only(o, policy(), at("2027-01-01T00:00:00Z")).reason).toBe("already_refunded");
  });

  it("one result per line item, in order, with the window start of the policy", () => {
    const o = order({ lineItems: [item({ id: "x" }), item({ id: "y" }), item({ id: "z" })] });
    const result = returnEligibility(o, policy({ windowStart: "fulfillment" }), now);
    expect(result.map((r) => [r.lineItemId, r.windowStartsOn])).toEqual([
      ["x", "fulfillment"],
      ["y", "fulfillment"],
      ["z", "fulfillment"],
    ]);
    expect(returnEligibility(order({ lineItems: [] }), policy(), now)).toEqual([]);
  });
});

describe("fees and credit", () => {
  const now = at("2026-03-10T12:00:00Z");
  const feesOf = (line: Partial<EligibilityLineItem>, p: Partial<ReturnPolicy>) => {
    const { returnableQuantity, restockingFeeMinor, returnShippingFeeMinor, storeCreditBonusMinor } = only(order({ lineItems: [item(line)] }), policy(p), now);
    return { returnableQuantity, restockingFeeMinor, returnShippingFeeMinor, storeCreditBonusMinor };
  };

  it.each<[string, Partial<EligibilityLineItem>, Partial<ReturnPolicy>, [number, number, number, number]]>([
    ["no fees", { quantity: 2, priceMinor: 1999 }, {}, [2, 0, 0, 0]],
    ["15 % of 2 × 19.99 = 5.997 → 6.00", { quantity: 2, priceMinor: 1999 }, { restockingFeePercent: 15 }, [2, 600, 0, 0]],
    ["15 % of 3.33 = 0.4995 → 0.50 (half up)", { priceMinor: 333 }, { restockingFeePercent: 15 }, [1, 50, 0, 0]],
    ["50 % of 0.05 = 0.025 → 0.03 (half up)", { priceMinor: 5 }, { restockingFeePercent: 50 }, [1, 3, 0, 0]],
    ["1 % of 0.49 = 0.0049 → 0.00", { priceMinor: 49 }, { restockingFeePercent: 1 }, [1, 0, 0, 0]],
    ["100 %", { quantity: 3, priceMinor: 1000 }, { restockingFeePercent: 100 }, [3, 3000, 0, 0]],
    ["on the returnable quantity only", { quantity: 3, refundedQuantity: 2, priceMinor: 1000 }, { restockingFeePercent: 10 }, [1, 100, 0, 0]],
    ["JPY: whole yen", { priceMinor: 1505 }, { restockingFeePercent: 10 }, [1, 151, 0, 0]],
    ["flat return shipping", { quantity: 2 }, { shipping: { kind: "flat", feeMinor: 750 } }, [2, 0, 750, 0]],
    ["free return shipping", {}, { shipping: { kind: "free" } }, [1, 0, 0, 0]],
    ["customer pays the carrier", {}, { shipping: { kind: "customer" } }, [1, 0, 0, 0]],
    ["store credit bonus 10 % of 2 × 19.99 = 3.998 → 4.00", { quantity: 2, priceMinor: 1999 }, { storeCredit: { offered: true, bonusPercent: 10 } }, [2, 0, 0, 400]],
    ["bonus is on the items' value, before the restocking fee", { priceMinor: 10000 }, { restockingFeePercent: 20, storeCredit: { offered: true, bonusPercent: 5 } }, [1, 2000, 0, 500]],
    ["a bonus without store credit is nothing", { priceMinor: 10000 }, { storeCredit: { offered: false, bonusPercent: 5 } }, [1, 0, 0, 0]],
  ])("%s", (_label, line, p, [quantity, restocking, shipping, bonus]) => {
    expect(feesOf(line, p)).toEqual({ returnableQuantity: quantity, restockingFeeMinor: restocking, returnShippingFeeMinor: shipping, storeCreditBonusMinor: bonus });
  });

  it("is exact beyond 2^53 / 100 (no float on the way)", () => {
    const priceMinor = Number.MAX_SAFE_INTEGER;
    const expected = Number((BigInt(priceMinor) * 15n + 50n) / 100n);
    expect(feesOf({ priceMinor }, { restockingFeePercent: 15 }).restockingFeeMinor).toBe(expected);
  });

  it("the flat shipping fee is the fee of a return holding the item: the same on each returnable item, never on others", () => {
    const o = order({ lineItems: [item({ id: "a" }), item({ id: "b", productTags: ["final"] }), item({ id: "c" })] });
    const result = returnEligibility(o, policy({ finalSaleTags: ["final"], shipping: { kind: "flat", feeMinor: 750 } }), now);
    expect(result.map((r) => r.returnShippingFeeMinor)).toEqual([750, 0, 750]);
  });

  it.each([
    ["a fractional quantity", { quantity: 1.5 }],
    ["a negative refunded quantity", { refundedQuantity: -1 }],
    ["a fractional price", { priceMinor: 19.99 }],
    ["NaN", { priceMinor: Number.NaN }],
  ])("refuses %s with a RangeError naming the line item", (_label, line) => {
    expect(() => returnEligibility(order({ lineItems: [item({ id: "42", ...line })] }), policy(), now)).toThrow(/Line item 42/);
  });
});

describe("impossible line items are refused, naming the item and the field", () => {
  it.each([
    ["quantity", { quantity: -1 }],
    ["quantity", { quantity: 1.5 }],
    ["refundedQuantity", { refundedQuantity: -1 }],
    ["refundedQuantity", { refundedQuantity: Number.NaN }],
    ["priceMinor", { priceMinor: 2 ** 53 }],
    ["priceMinor", { priceMinor: -100 }],
  ] as const)("%s: %j", (field, overrides) => {
    const o = order({ lineItems: [item({ id: "gid-7", ...overrides })] });
    expect(() => returnEligibility(o, policy(), at("2026-03-05T00:00:00Z"))).toThrow(new RangeError(`Line item gid-7: ${field} must be a whole number ≥ 0`));
  });
});
