import type { WindowStart } from "../policy";

/**
 * What one language says in the return policy. Each language writes whole sentences of its own (no word-by-word
 * assembly across languages): the composer in policy-text.ts only picks which sentences apply and passes in
 * numbers, amounts and percentages already formatted for that language.
 *
 * `days` is a whole number ≥ 1 (a window of 0 days is "all sales are final", unlimited has its own sentence).
 */
export interface PolicyWording {
  /** Joins the sentences of one paragraph ("" in Chinese, " " elsewhere). */
  sentenceGap: string;
  title: string;
  headings: {
    window: string;
    howToStart: string;
    conditions: string;
    finalSale: string;
    shipping: string;
    refunds: string;
    exchanges: string;
    note: string;
  };

  /** Window of 0 days: no returns at all. */
  finalSaleOnly: string;
  noTimeLimit: string;
  /** "You can return items within 30 days of delivery." */
  within(days: number, start: WindowStart): string;
  /** The last day, and that it ends at midnight, shop time. */
  lastDay(days: number, start: WindowStart): string;
  statutoryRights: string;

  howToStart: string[];

  conditionsIntro: string;
  conditions: { unused: string; originalPackaging: string; tagsAttached: string };
  noConditions: string;

  finalSaleItems: string;

  shippingFree: string;
  /** `fee` is already formatted in the shop currency for this language. */
  shippingFlat(fee: string): string;
  shippingCustomer: string;

  refundToOriginal: string;
  /** `percent` is already formatted for this language ("15 %"). */
  restockingFee(percent: string): string;
  storeCredit: string;
  storeCreditBonus(percent: string): string;

  exchangesYes: string;
  exchangesNo: string;

  summary: {
    finalSale: string;
    /** "Free returns within 30 days of delivery" (free) / "Returns within 30 days of delivery". */
    within(days: number, start: WindowStart, free: boolean): string;
    noTimeLimit(free: boolean): string;
    shippingFee(fee: string): string;
    restockingFee(percent: string): string;
  };
}
