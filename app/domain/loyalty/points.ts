import { z } from "zod";
import { currencyExponent } from "~/domain/money";
import { INVALID_TEXT_MESSAGE, isStorableText } from "~/domain/text";

/**
 * Points arithmetic. Everything is integer (BigInt internally) so large totals never drift through floats.
 * Reversals are always returned as a positive number of points to take back.
 */

function big(name: string, value: number): bigint {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a safe integer, got ${value}`);
  return BigInt(value);
}

/**
 * floor(total × pointsPerUnit / 10^exponent): 1 point per whole unit of currency at pointsPerUnit = 1. Exact
 * (BigInt); an order worth more than 2^53 - 1 points (only near the 2^53 amount cap at a high rate) earns that many,
 * never a rounded float, and never a failure that would refuse the order (docs/decisions/021-money-exactness.md).
 */
export function pointsForOrder(totalMinor: number, currency: string, pointsPerUnit: number): number {
  const total = big("totalMinor", totalMinor);
  const rate = big("pointsPerUnit", pointsPerUnit);
  if (total <= 0n || rate <= 0n) return 0;
  const points = (total * rate) / 10n ** BigInt(currencyExponent(currency));
  return Number(points > MAX_POINTS ? MAX_POINTS : points);
}

const MAX_POINTS = BigInt(Number.MAX_SAFE_INTEGER);

/** round(a × b / c), half up, for non-negative a, b and positive c. */
const mulDivRound = (a: bigint, b: bigint, c: bigint): bigint => (2n * a * b + c) / (2n * c);

interface RefundReversalInput {
  orderPoints: number;
  orderTotalMinor: number;
  /** This refund, in shop-currency minor units. */
  refundShopMinor: number;
  /** Points already taken back from this order by earlier refunds. */
  alreadyReversed: number;
  /**
   * Optional: shop-currency minor units refunded by earlier refunds of this order. When given, the reversal is
   * computed on the cumulative refund, so partial refunds that add up to the total reverse exactly all points.
   */
  alreadyRefundedMinor?: number;
}

/** Points to take back for one refund: proportional to the refunded share, capped at what is left. */
export function refundReversal(input: RefundReversalInput): number {
  const points = big("orderPoints", input.orderPoints);
  const total = big("orderTotalMinor", input.orderTotalMinor);
  const refund = big("refundShopMinor", input.refundShopMinor);
  const reversed = big("alreadyReversed", input.alreadyReversed);
  const earlier = input.alreadyRefundedMinor === undefined ? undefined : big("alreadyRefundedMinor", input.alreadyRefundedMinor);

  const remaining = points > reversed ? points - reversed : 0n;
  if (refund <= 0n) return 0;
  if (total <= 0n) return Number(remaining);

  // The points due for the refunded share: this refund's alone, or all refunds' so far less what earlier refunds
  // already took back. A refund of the whole order (or more) comes to every point or more, so the cap at what is
  // left below takes exactly the rest; with nothing left, that cap is 0.
  const take = earlier === undefined ? mulDivRound(points, refund, total) : mulDivRound(points, earlier + refund, total) - reversed;
  if (take < 0n) return 0;
  return Number(take > remaining ? remaining : take);
}

/** A cancelled order gives back everything it still holds. */
export function cancellationReversal(input: { orderPoints: number; alreadyReversed: number }): number {
  return Math.max(0, input.orderPoints - input.alreadyReversed);
}

/** A manual adjustment by staff (form input: numbers arrive as strings). */
export const PointsAdjustmentSchema = z.object({
  // Form fields are strings; anything else (an object would make Number() throw) is simply not a number.
  points: z.preprocess(
    (value) => (typeof value === "string" || typeof value === "number" ? value : Number.NaN),
    z.coerce
      .number({ invalid_type_error: "Enter a number of points" })
      .int("Use a whole number of points")
      .min(-100000, "At most 100,000 points at a time")
      .max(100000, "At most 100,000 points at a time")
      .refine((n) => n !== 0, "Enter a non-zero number of points"),
  ),
  reason: z
    .string()
    .trim()
    .min(3, "Give a reason (at least 3 characters)")
    .max(200, "Keep the reason to 200 characters")
    // PostgreSQL's text cannot hold NUL, and a lone surrogate has no UTF-8 form: refused like any invalid input.
    .refine(isStorableText, INVALID_TEXT_MESSAGE),
});
