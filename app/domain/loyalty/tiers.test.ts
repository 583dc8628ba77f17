import { describe, expect, it } from "vitest";
import { DEFAULT_PROGRAM, type LoyaltyProgram } from "./program";
import { formatThreshold, nextTier, qualifyingValue, tierFor, type CustomerStanding } from "./tiers";

const standing = (over: Partial<CustomerStanding> = {}): CustomerStanding => ({
  lifetimeNetMinor: 0,
  rolling12NetMinor: 0,
  orderCount: 0,
  rolling12Orders: 0,
  ...over,
});
const tier = (name: string, threshold: number) => ({
  name,
  threshold,
  perks: { text: "", discountPercent: null, freeShipping: false },
  color: "#000000",
});
const ordersProgram: LoyaltyProgram = {
  basis: "orders",
  window: "lifetime",
  pointsPerUnit: 1,
  tiers: [tier("Regular", 2), tier("Très Chic", 5), tier("Legend", 20)],
};
const spend = DEFAULT_PROGRAM; // Bronze 0, Silver 25000, Gold 100000

describe("qualifyingValue", () => {
  const s = standing({ lifetimeNetMinor: 1, rolling12NetMinor: 2, orderCount: 3, rolling12Orders: 4 });
  it.each([
    ["spend", "lifetime", 1],
    ["spend", "rolling12", 2],
    ["orders", "lifetime", 3],
    ["orders", "rolling12", 4],
  ] as const)("%s × %s → %i", (basis, window, expected) => {
    expect(qualifyingValue({ ...spend, basis, window }, s)).toBe(expected);
  });
});

describe("tierFor", () => {
  it.each([
    ["spend, nothing yet", spend, standing(), "bronze"],
    ["spend, just below Silver", spend, standing({ lifetimeNetMinor: 24999 }), "bronze"],
    ["spend, exactly Silver", spend, standing({ lifetimeNetMinor: 25000 }), "silver"],
    ["spend, exactly Gold", spend, standing({ lifetimeNetMinor: 100000 }), "gold"],
    ["spend, far above the top", spend, standing({ lifetimeNetMinor: 10 ** 12 }), "gold"],
    ["spend, net negative after refunds", spend, standing({ lifetimeNetMinor: -500 }), null],
    [
      "rolling window uses rolling values",
      { ...spend, window: "rolling12" as const },
      standing({ lifetimeNetMinor: 500000, rolling12NetMinor: 30000 }),
      "silver",
    ],
    ["orders, below the lowest tier", ordersProgram, standing({ orderCount: 1 }), null],
    ["orders, exactly the lowest", ordersProgram, standing({ orderCount: 2 }), "regular"],
    ["orders, just below the middle", ordersProgram, standing({ orderCount: 4 }), "regular"],
    ["orders, exactly the middle", ordersProgram, standing({ orderCount: 5 }), "tres-chic"],
    ["orders, above the top", ordersProgram, standing({ orderCount: 99 }), "legend"],
    [
      "orders, rolling window",
      { ...ordersProgram, window: "rolling12" as const },
      standing({ orderCount: 50, rolling12Orders: 1 }),
      null,
    ],
    ["one-tier program, reached", { ...spend, tiers: [tier("Club", 0)] }, standing(), "club"],
    ["one-tier program, not reached", { ...spend, tiers: [tier("Club", 100)] }, standing(), null],
    ["empty program", { ...spend, tiers: [] }, standing({ lifetimeNetMinor: 10 ** 9 }), null],
  ])("%s", (_label, program, s, slug) => {
    expect(tierFor(program, s)?.slug ?? null).toBe(slug);
  });

  it("returns the whole tier with its slug", () => {
    expect(tierFor(spend, standing({ lifetimeNetMinor: 100000 }))).toEqual({ ...spend.tiers[2], slug: "gold" });
  });
});

describe("nextTier", () => {
  it.each([
    ["spend, at Bronze", spend, standing({ lifetimeNetMinor: 10000 }), "silver", 15000],
    ["spend, one below Silver", spend, standing({ lifetimeNetMinor: 24999 }), "silver", 1],
    ["spend, exactly Silver", spend, standing({ lifetimeNetMinor: 25000 }), "gold", 75000],
    ["spend, at the top", spend, standing({ lifetimeNetMinor: 100000 }), null, null],
    ["orders, below the lowest", ordersProgram, standing({ orderCount: 0 }), "regular", 2],
    ["orders, exactly the middle", ordersProgram, standing({ orderCount: 5 }), "legend", 15],
    ["empty program", { ...spend, tiers: [] }, standing(), null, null],
  ])("%s", (_label, program, s, slug, remaining) => {
    const next = nextTier(program, s);
    expect(next?.tier.slug ?? null).toBe(slug);
    expect(next?.remaining ?? null).toBe(remaining);
  });
});

describe("formatThreshold", () => {
  it.each([
    [spend, 25000, "USD", "$250.00"],
    [spend, 0, "USD", "$0.00"],
    [spend, 1500, "JPY", "¥1,500"],
    [ordersProgram, 1, "USD", "1 order"],
    [ordersProgram, 5, "USD", "5 orders"],
    [ordersProgram, 0, "USD", "0 orders"],
    [ordersProgram, 1000, "USD", "1,000 orders"],
  ])("%#: %i %s → %s", (program, threshold, currency, expected) => {
    expect(formatThreshold(program, threshold, currency)).toBe(expected);
  });
});

describe("tierFor / nextTier do not rely on the tiers being in order", () => {
  // Stored programs are validated (ascending thresholds), but these functions pick by threshold, not by position.
  const shuffled: LoyaltyProgram = { ...spend, tiers: [tier("Gold", 100), tier("Bronze", 0), tier("Silver", 50)] };
  it.each([
    [0, "bronze", "silver", 50],
    [49, "bronze", "silver", 1],
    [50, "silver", "gold", 50],
    [99, "silver", "gold", 1],
    [150, "gold", null, null],
  ])("at %i: tier %s, next %s (%s to go)", (value, current, next, remaining) => {
    const s = standing({ lifetimeNetMinor: value });
    expect(tierFor(shuffled, s)?.slug ?? null).toBe(current);
    expect(nextTier(shuffled, s)?.tier.slug ?? null).toBe(next);
    expect(nextTier(shuffled, s)?.remaining ?? null).toBe(remaining);
  });

  it("of tiers with equal thresholds (never in a validated program), the first listed wins", () => {
    const tied: LoyaltyProgram = { ...spend, tiers: [tier("First", 0), tier("Second", 0), tier("Up A", 10), tier("Up B", 10)] };
    expect(tierFor(tied, standing())?.slug).toBe("first");
    expect(nextTier(tied, standing())).toEqual({ tier: { ...tier("Up A", 10), slug: "up-a" }, remaining: 10 });
  });

  it("returns the whole next tier with its slug", () => {
    expect(nextTier(spend, standing({ lifetimeNetMinor: 30000 }))).toEqual({ tier: { ...spend.tiers[2], slug: "gold" }, remaining: 70000 });
  });

  it("counts what is left from a negative standing (refunds beyond purchases)", () => {
    expect(nextTier(spend, standing({ lifetimeNetMinor: -500 }))).toEqual({ tier: { ...spend.tiers[0], slug: "bronze" }, remaining: 500 });
  });
});

describe("formatThreshold in each currency's decimals", () => {
  it.each([
    [1234, "KWD", "KWD\u00a01.234"],
    [150, "IDR", "IDR\u00a01.50"],
    [-2500, "USD", "-$25.00"],
  ])("spend threshold %i %s → %s", (threshold, currency, expected) => {
    expect(formatThreshold(spend, threshold, currency)).toBe(expected);
  });

  it.each([
    [2, "2 orders"],
    [-1, "-1 orders"],
    [1234567, "1,234,567 orders"],
  ])("orders threshold %i → %s, whatever the currency", (threshold, expected) => {
    expect(formatThreshold(ordersProgram, threshold, "JPY")).toBe(expected);
  });
});
