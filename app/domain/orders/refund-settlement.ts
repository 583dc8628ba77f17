import { convertByTotals, currencyExponent, decimalToMinorBig, InvalidAmountError, minorToNumber } from "../money";

/** A stored refund's amounts (SQL integers may read as bigint). */
export interface StoredRefundAmount {
  amountMinor: number | bigint;
  currency: string | null;
  /** The decimal text as paid; with `currency` null, still to be read in the order's presentment currency. */
  amountDecimal: string | null;
}

/** The order's currencies and totals, as stored. */
export interface OrderAmounts {
  currency: string;
  presentmentCurrency: string;
  totalMinor: number | bigint;
  presentmentTotalMinor: number | bigint;
}

/**
 * One refund's amount as paid (currency and minor units) and in the order's shop currency. A refund that named no
 * currency is in the order's presentment currency (its decimal text read with that currency's decimals, rounded half
 * up if it had more); one paid in the presentment currency is scaled by the order's own shop/presentment totals
 * (BigInt, rounded half up: exact at any size, docs/decisions/021-money-exactness.md); one in the shop currency,
 * or in a currency the order does not have (kept as it was), is taken as is.
 */
export function settledRefundAmount(refund: StoredRefundAmount, order: OrderAmounts) {
  let currency = refund.currency;
  let amountMinor = Number(refund.amountMinor);
  if (currency === null && refund.amountDecimal !== null) {
    currency = order.presentmentCurrency;
    amountMinor = minorToNumber(decimalToMinorBig(refund.amountDecimal, currencyExponent(currency), "half-up"));
  }
  const total = Number(order.totalMinor);
  const presentmentTotal = Number(order.presentmentTotalMinor);
  let shopAmountMinor = amountMinor;
  if (currency !== order.currency && currency === order.presentmentCurrency && presentmentTotal !== 0) {
    // Above 2^53 (refused) only when a refund is many times its order: it then counts as the whole order.
    try {
      shopAmountMinor = convertByTotals(amountMinor, presentmentTotal, total);
    } catch (error) {
      if (!(error instanceof InvalidAmountError)) throw error;
      shopAmountMinor = total;
    }
  }
  return { currency, amountMinor, shopAmountMinor };
}
