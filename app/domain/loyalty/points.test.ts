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
    ["over-refund — shipping, fx", { orderPoints: 10, orderTotalMinor: 1000, refundShopMinor: 1200, alreadyReversed: 3 }, 7],
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
    ["NUL in the reason", { points: 5, reason: "Because\u0000" }, "reason"],
    ["lone surrogate in the reason", { points: 5, reason: "Because \ud800" }, "reason"],
    ["long reason", { points: 5, reason: "x".repeat(201) }, "reason"],
  ])("rejects %s", (_label, input, path) => {
    const result = PointsAdjustmentSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual([path]);
  });
});

describe("points: safe integers only, and the refusal names the input", () => {
  it.each([
    ["totalMinor", 19.99, 1, "totalMinor must be a safe integer, got 19.99"],
    ["totalMinor", Number.MAX_SAFE_INTEGER + 2, 1, "totalMinor must be a safe integer, got 9007199254740992"],
    ["totalMinor", Number.NaN, 1, "totalMinor must be a safe integer, got NaN"],
    ["pointsPerUnit", 1999, 1.5, "pointsPerUnit must be a safe integer, got 1.5"],
    ["pointsPerUnit", 1999, Number.POSITIVE_INFINITY, "pointsPerUnit must be a safe integer, got Infinity"],
  ])("pointsForOrder refuses a bad %s", (_name, total, rate, message) => {
    expect(() => pointsForOrder(total, "USD", rate)).toThrow(new RangeError(message));
  });

  const valid = { orderPoints: 10, orderTotalMinor: 1000, refundShopMinor: 500, alreadyReversed: 0, alreadyRefundedMinor: 0 };
  it.each([
    ["orderPoints", 1.5],
    ["orderTotalMinor", Number.MAX_SAFE_INTEGER + 2],
    ["refundShopMinor", 0.5],
    ["alreadyReversed", Number.NaN],
    ["alreadyRefundedMinor", 2 ** 60],
  ] as const)("refundReversal refuses a bad %s (%d)", (name, value) => {
    expect(() => refundReversal({ ...valid, [name]: value })).toThrow(new RangeError(`${name} must be a safe integer, got ${value}`));
  });

  it("accepts the largest safe integers exactly", () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(refundReversal({ orderPoints: max, orderTotalMinor: max, refundShopMinor: max, alreadyReversed: 0 })).toBe(max);
    expect(refundReversal({ orderPoints: max, orderTotalMinor: 2, refundShopMinor: 1, alreadyReversed: 0 })).toBe(4_503_599_627_370_496);
    expect(refundReversal({ orderPoints: max, orderTotalMinor: max, refundShopMinor: 1, alreadyReversed: 0, alreadyRefundedMinor: max - 1 })).toBe(max);
  });
});

describe("pointsForOrder: zero and negative inputs earn nothing", () => {
  it.each([
    [1999, -1],
    [-1999, -1],
    [-1, 1000],
    [0, 0],
    [1, 0],
  ])("%i minor units at %i points per unit → 0", (total, rate) => {
    expect(pointsForOrder(total, "USD", rate)).toBe(0);
  });

  it.each([
    [100, "USD", 1, 1],
    [1, "JPY", 1, 1],
    [1000, "BHD", 1, 1],
    [1000, "bhd", 7, 7],
    [100, "XYZ", 1, 1],
  ])("one whole unit: %i %s at %i → %i", (total, currency, rate, expected) => {
    expect(pointsForOrder(total, currency, rate)).toBe(expected);
  });
});

describe("refundReversal: the cap at what is left", () => {
  it.each([
    // GIVEN points earned and taken back so far WHEN a refund comes THEN never more than what is left, never negative
    ["refund of exactly the total after nothing", { orderPoints: 7, orderTotalMinor: 700, refundShopMinor: 700, alreadyReversed: 0 }, 7],
    ["refund of exactly the total after some", { orderPoints: 7, orderTotalMinor: 700, refundShopMinor: 700, alreadyReversed: 6 }, 1],
    ["double the total", { orderPoints: 7, orderTotalMinor: 700, refundShopMinor: 1400, alreadyReversed: 0 }, 7],
    ["due equals what is left", { orderPoints: 10, orderTotalMinor: 1000, refundShopMinor: 500, alreadyReversed: 5 }, 5],
    ["due one past what is left", { orderPoints: 10, orderTotalMinor: 1000, refundShopMinor: 600, alreadyReversed: 5 }, 5],
    ["due one short of what is left", { orderPoints: 10, orderTotalMinor: 1000, refundShopMinor: 400, alreadyReversed: 5 }, 4],
    ["reversed exactly everything", { orderPoints: 10, orderTotalMinor: 1000, refundShopMinor: 1000, alreadyReversed: 10 }, 0],
    ["over-reversed, zero-total order", { orderPoints: 4, orderTotalMinor: 0, refundShopMinor: 100, alreadyReversed: 9 }, 0],
    ["zero-total order, nothing taken yet", { orderPoints: 4, orderTotalMinor: 0, refundShopMinor: 1, alreadyReversed: 0 }, 4],
    ["negative-total order, bad data, gives back the rest", { orderPoints: 4, orderTotalMinor: -100, refundShopMinor: 50, alreadyReversed: 1 }, 3],
    ["zero refund on a zero-total order", { orderPoints: 4, orderTotalMinor: 0, refundShopMinor: 0, alreadyReversed: 0 }, 0],
  ])("%s → %i", (_label, input, expected) => {
    expect(refundReversal(input)).toBe(expected);
  });
});

describe("refundReversal with alreadyRefundedMinor (cumulative)", () => {
  const base = { orderPoints: 10, orderTotalMinor: 1000 };
  it.each([
    // GIVEN earlier refunds (already refunded, already reversed) WHEN this refund comes THEN due on the cumulative share
    ["first refund, nothing earlier", { refundShopMinor: 250, alreadyReversed: 0, alreadyRefundedMinor: 0 }, 3],
    ["second refund rounds up what the first rounded down", { refundShopMinor: 240, alreadyReversed: 2, alreadyRefundedMinor: 240 }, 3],
    ["earlier refund not yet reversed is caught up", { refundShopMinor: 100, alreadyReversed: 0, alreadyRefundedMinor: 400 }, 5],
    ["earlier reversal took more than the share now due", { refundShopMinor: 100, alreadyReversed: 5, alreadyRefundedMinor: 0 }, 0],
    ["due exactly what was already taken", { refundShopMinor: 100, alreadyReversed: 2, alreadyRefundedMinor: 100 }, 0],
    ["cumulative reaches the total", { refundShopMinor: 300, alreadyReversed: 7, alreadyRefundedMinor: 700 }, 3],
    ["cumulative passes the total", { refundShopMinor: 900, alreadyReversed: 7, alreadyRefundedMinor: 700 }, 3],
    ["cumulative passes the total, partly reversed out of step", { refundShopMinor: 900, alreadyReversed: 1, alreadyRefundedMinor: 700 }, 9],
    ["a zero refund takes nothing, even with earlier refunds unreversed", { refundShopMinor: 0, alreadyReversed: 0, alreadyRefundedMinor: 500 }, 0],
    ["a negative refund takes nothing", { refundShopMinor: -100, alreadyReversed: 0, alreadyRefundedMinor: 500 }, 0],
    ["nothing left", { refundShopMinor: 500, alreadyReversed: 10, alreadyRefundedMinor: 500 }, 0],
    ["over-reversed already", { refundShopMinor: 500, alreadyReversed: 12, alreadyRefundedMinor: 500 }, 0],
    ["negative earlier refunds, bad data, count as refunded money less", { refundShopMinor: 600, alreadyReversed: 0, alreadyRefundedMinor: -100 }, 5],
  ])("%s → %i", (_label, input, expected) => {
    expect(refundReversal({ ...base, ...input })).toBe(expected);
  });

  it("a zero-total order gives back the rest, whatever earlier refunds say", () => {
    expect(refundReversal({ orderPoints: 4, orderTotalMinor: 0, refundShopMinor: 100, alreadyReversed: 1, alreadyRefundedMinor: -1000 })).toBe(3);
    expect(refundReversal({ orderPoints: 4, orderTotalMinor: 0, refundShopMinor: 100, alreadyReversed: 1, alreadyRefundedMinor: 50 })).toBe(3);
  });

  it.each([
    ["uneven parts", 1234, 98765, [12345, 54321, 32099], [154, 679, 401]],
    ["uneven parts, large first", 100, 1000, [995, 1, 4], [100, 0, 0]],
    ["uneven parts, small first", 100, 1000, [4, 1, 995], [0, 1, 99]],
    ["pennies of a big order", 3, 1_000_000, [166_666, 166_667, 666_667], [0, 1, 2]],
  ])("%s: each reversal exact, all of them adding up to every point", (_l, points, total, refunds, expected) => {
    let alreadyReversed = 0;
    let alreadyRefundedMinor = 0;
    const takes = refunds.map((refundShopMinor) => {
      const take = refundReversal({ orderPoints: points, orderTotalMinor: total, refundShopMinor, alreadyReversed, alreadyRefundedMinor });
      alreadyReversed += take;
      alreadyRefundedMinor += refundShopMinor;
      return take;
    });
    expect(takes).toEqual(expected);
    expect(takes.reduce((a, b) => a + b, 0)).toBe(points);
  });
});

describe("PointsAdjustmentSchema: what a refusal says", () => {
  it.each([
    ["zero", "0", "Enter a non-zero number of points"],
    ["empty string", "", "Enter a non-zero number of points"],
    ["not a number", "ten", "Enter a number of points"],
    ["an object without a primitive value", Object.create(null) as unknown, "Enter a number of points"],
    ["a symbol", Symbol("5"), "Enter a number of points"],
    ["null", null, "Enter a number of points"],
    ["fraction", "1.5", "Use a whole number of points"],
    ["too large", 100001, "At most 100,000 points at a time"],
    ["too small", "-100001", "At most 100,000 points at a time"],
  ])("points: %s → %j", (_label, points, message) => {
    const result = PointsAdjustmentSchema.safeParse({ points, reason: "Because" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["points", message]]);
  });

  it("points: a bigint (not form input) → \"Enter a number of points\"", () => {
    const result = PointsAdjustmentSchema.safeParse({ points: BigInt(5), reason: "Because" });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["points", "Enter a number of points"]]);
  });

  it.each([
    ["short", " ab ", "Give a reason (at least 3 characters)"],
    ["long", "x".repeat(201), "Keep the reason to 200 characters"],
  ])("reason: %s → %j", (_label, reason, message) => {
    const result = PointsAdjustmentSchema.safeParse({ points: 5, reason });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["reason", message]]);
  });

  it.each([
    [{ points: 1, reason: "abc" }, { points: 1, reason: "abc" }],
    // the reason is trimmed before its length is checked
    [{ points: "-1", reason: ` ${"x".repeat(200)} ` }, { points: -1, reason: "x".repeat(200) }],
    [{ points: "-1", reason: "  abc  " }, { points: -1, reason: "abc" }],
    [{ points: 99999, reason: "x".repeat(200) }, { points: 99999, reason: "x".repeat(200) }],
    [{ points: " 42 ", reason: "Birthday" }, { points: 42, reason: "Birthday" }],
  ])("accepts %j", (input, expected) => {
    expect(PointsAdjustmentSchema.parse(input)).toEqual(expected);
  });
});
