import { describe, expect, it } from "vitest";
import { PointsAdjustmentSchema, cancellationReversal, pointsForOrder, refundReversal } from "./points";

describe("pointsForOrder", () => {
  it.each([
    [1999, "USD", 1, 19],
    [2000, "USD", 1, 20],
    [99, "USD", 1, 0],
    [1999, "USD", 3, 59],
    [1500, "JPY", 1, 1500],
    [1500, "JPY", 2, 3000],
    [1234, "KWD", 1, 1],
    [12345, "KWD", 10, 123],
    [999, "KWD", 1, 0],
    [0, "USD", 1, 0],
    [-500, "USD", 1, 0],
    [1999, "USD", 0, 0],
    [29, "USD", 100, 29], // 0.29 × 100 is 28.999… in floats
    [900_719_925_474_099, "USD", 1000, 9_007_199_254_740_990], // product far beyond 2^53, exact result
    // beyond 2^53 - 1 points: capped there, so the order is still stored and counted instead of failing every retry
    [Number.MAX_SAFE_INTEGER, "JPY", 1000, Number.MAX_SAFE_INTEGER],
    [Number.MAX_SAFE_INTEGER, "KWD", 1000, 9_007_199_254_740_991],
  ])("%i %s × %i → %i", (total, currency, rate, expected) => {
    expect(pointsForOrder(total, currency, rate)).toBe(expected);
  });

  it.each([
    ["a fractional amount", 19.99, 1],
    ["a fractional rate", 1999, 1.5],
    ["an amount beyond safe integers", Number.MAX_SAFE_INTEGER + 2, 1],
  ])("rejects %s", (_label, total, rate) => {
    expect(() => pointsForOrder(total, "JPY", rate)).toThrow(RangeError);
  });
});

describe("refundReversal", () => {
  it.each([
    ["half refund", { orderPoints: 100, orderTotalMinor: 10000, refundShopMinor: 5000, alreadyReversed: 0 }, 50],
    ["rounds .5 up", { orderPoints: 1, orderTotalMinor: 100, refundShopMinor: 50, alreadyReversed: 0 }, 1],
    ["rounds .49 down", { orderPoints: 1, orderTotalMinor: 100, refundShopMinor: 49, alreadyReversed: 0 }, 0],
    ["rounds 2.5 up", { orderPoints: 5, orderTotalMinor: 100, refundShopMinor: 50, alreadyReversed: 0 }, 3],
    ["full refund", { orderPoints: 37, orderTotalMinor: 3700, refundShopMinor: 3700, alreadyReversed: 0 }, 37],
    ["full refund after a partial", { orderPoints: 37, orderTotalMinor: 3700, refundShopMinor: 3700, alreadyReversed: 12 }, 25],
    ["over-refund (shipping, fx)", { orderPoints: 10, orderTotalMinor: 1000, refundShopMinor: 1200, alreadyReversed: 3 }, 7],
    ["capped by remaining", { orderPoints: 10, orderTotalMinor: 1000, refundShopMinor: 900, alreadyReversed: 5 }, 5],
    ["nothing left", { orderPoints: 10, orderTotalMinor: 1000, refundShopMinor: 500, alreadyReversed: 10 }, 0],
    ["over-reversed already", { orderPoints: 10, orderTotalMinor: 1000, refundShopMinor: 500, alreadyReversed: 12 }, 0],
    ["zero refund", { orderPoints: 10, orderTotalMinor: 1000, refundShopMinor: 0, alreadyReversed: 0 }, 0],
    ["negative refund", { orderPoints: 10, orderTotalMinor: 1000, refundShopMinor: -100, alreadyReversed: 0 }, 0],
    ["zero-total order", { orderPoints: 4, orderTotalMinor: 0, refundShopMinor: 100, alreadyReversed: 1 }, 3],
    ["order that earned nothing", { orderPoints: 0, orderTotalMinor: 50, refundShopMinor: 50, alreadyReversed: 0 }, 0],
  ])("%s → %i", (_label, input, expected) => {
    expect(refundReversal(input)).toBe(expected);
  });

  /** Applies refunds one by one, as the ingest service would, and returns each reversal. */
  const applyAll = (orderPoints: number, orderTotalMinor: number, refunds: number[], cumulative: boolean) => {
    let alreadyReversed = 0;
    let alreadyRefundedMinor = 0;
    return refunds.map((refundShopMinor) => {
      const take = refundReversal({
        orderPoints,
        orderTotalMinor,
        refundShopMinor,
        alreadyReversed,
        ...(cumulative ? { alreadyRefundedMinor } : {}),
      });
      alreadyReversed += take;
      alreadyRefundedMinor += refundShopMinor;
      return take;
    });
  };
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  it.each([
    ["three thirds", 10, 999, [333, 333, 333]],
    ["thirds rounding up each time", 2, 300, [100, 100, 100]],
    ["halves at .5", 1, 100, [50, 50]],
    ["many pennies", 7, 10, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    ["uneven parts", 1234, 98765, [12345, 54321, 32099]],
  ])("%s: never reverses more than earned", (_label, points, total, refunds) => {
    for (const cumulative of [false, true]) {
      const takes = applyAll(points, total, refunds, cumulative);
      expect(takes.every((t) => t >= 0)).toBe(true);
      expect(sum(takes)).toBeLessThanOrEqual(points);
    }
  });

  it.each([
    ["three thirds", 10, 999, [333, 333, 333], [3, 4, 3]],
    ["halves at .5", 1, 100, [50, 50], [1, 0]],
    ["many pennies", 7, 10, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 0, 1, 1, 1, 0, 1, 1, 0, 1]],
  ])("%s: with alreadyRefundedMinor, parts adding up to the total reverse exactly all", (_l, points, total, refunds, expected) => {
    const takes = applyAll(points, total, refunds, true);
    expect(takes).toEqual(expected);
    expect(sum(takes)).toBe(points);
  });

  it("without alreadyRefundedMinor, three thirds leave rounding residue (documented)", () => {
    expect(applyAll(10, 999, [333, 333, 333], false)).toEqual([3, 3, 3]);
  });

  it("a full refund after partials takes exactly what is left", () => {
    const takes = applyAll(10, 1000, [333, 1000], false);
    expect(takes).toEqual([3, 7]);
  });
});

describe("cancellationReversal", () => {
  it.each([
    [{ orderPoints: 10, alreadyReversed: 0 }, 10],
    [{ orderPoints: 10, alreadyReversed: 4 }, 6],
    [{ orderPoints: 10, alreadyReversed: 10 }, 0],
    [{ orderPoints: 10, alreadyReversed: 12 }, 0],
    [{ orderPoints: 0, alreadyReversed: 0 }, 0],
  ])("%j → %i", (input, expected) => {
    expect(cancellationReversal(input)).toBe(expected);
  });
});

describe("PointsAdjustmentSchema", () => {
  it.each([
    [{ points: "250", reason: "  Goodwill gesture " }, { points: 250, reason: "Goodwill gesture" }],
    [{ points: -100000, reason: "Fix" }, { points: -100000, reason: "Fix" }],
    [{ points: "100000", reason: "abc" }, { points: 100000, reason: "abc" }],
  ])("accepts %j", (input, expected) => {
    expect(PointsAdjustmentSchema.parse(input)).toEqual(expected);
  });

  it.each([
    ["zero", { points: "0", reason: "Because" }, "points"],
    ["empty string", { points: "", reason: "Because" }, "points"],
    ["not a number", { points: "ten", reason: "Because" }, "points"],
    ["fraction", { points: "1.5", reason: "Because" }, "points"],
    ["too large", { points: 100001, reason: "Because" }, "points"],
    ["too small", { points: -100001, reason: "Because" }, "points"],
    ["short reason", { points: 5, reason: " ab " }, "reason"],
    ["long reason", { points: 5, reason: "x".repeat(201) }, "reason"],
  ])("rejects %s", (_label, input, path) => {
    const result = PointsAdjustmentSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual([path]);
  });
});
