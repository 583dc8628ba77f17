import type { WindowStart } from "../policy";
import { plural } from "./plural";
import type { PolicyWording } from "./types";

const days = (n: number) => plural("en", n, { one: "# day", other: "# days" });
const ORDINAL_SUFFIX: Partial<Record<Intl.LDMLPluralRule, string>> = { one: "st", two: "nd", few: "rd" };
/** 2nd, 3rd, 11th, 21st, 365th. */
const ordinal = (n: number) => `${n}${ORDINAL_SUFFIX[new Intl.PluralRules("en", { type: "ordinal" }).select(n)] ?? "th"}`;

const OF: Record<WindowStart, string> = {
  order: "of placing your order",
  fulfillment: "of the day we ship your order",
  delivery: "of delivery",
};
const DATE: Record<WindowStart, string> = {
  order: "the order date",
  fulfillment: "the shipping date",
  delivery: "the delivery date",
};
const SUMMARY_OF: Record<WindowStart, string> = { order: "purchase", fulfillment: "shipment", delivery: "delivery" };

export const en: PolicyWording = {
  sentenceGap: " ",
  title: "Return and refund policy",
  headings: {
    window: "Returns",
    howToStart: "How to start a return",
    conditions: "Condition of returned items",
    finalSale: "Final-sale items",
    shipping: "Return shipping",
    refunds: "Refunds",
    exchanges: "Exchanges",
    note: "More information",
  },

  finalSaleOnly: "All sales are final: we do not accept returns or exchanges.",
  noTimeLimit: "You can return items at any time: there is no time limit.",
  within: (n, start) => `You can return items within ${days(n)} ${OF[start]}.`,
  lastDay: (n, start) =>
    n === 1
      ? `Your last day to start a return is the day after ${DATE[start]}, until midnight (store time).`
      : `Your last day to start a return is the ${ordinal(n)} day after ${DATE[start]}, until midnight (store time).`,
  statutoryRights: "This policy does not affect your statutory rights.",

  howToStart: [
    "To start a return, contact us with your order number and the items you would like to return. We will reply with instructions and the return address.",
    "Please do not send anything back before we have confirmed your return.",
  ],

  conditionsIntro: "To be accepted, returned items must:",
  conditions: {
    unused: "be unused and in the condition you received them",
    originalPackaging: "be in their original packaging",
    tagsAttached: "have all their tags still attached",
  },
  noConditions: "There are no special requirements for the condition of returned items.",

  finalSaleItems: "Items marked as final sale cannot be returned or exchanged.",

  shippingFree: "Return shipping is free: we cover the cost of sending your return back to us.",
  shippingFlat: (fee) => `A flat return shipping fee of ${fee} per return is deducted from your refund.`,
  shippingCustomer: "You pay for return shipping. We recommend a tracked shipping service.",

  refundToOriginal:
    "Once we have received and checked your return, we refund the amount to your original payment method. Your bank or card provider may take a few days to show the refund.",
  restockingFee: (percent) => `A restocking fee of ${percent} of the price of each returned item is deducted from your refund.`,
  storeCredit: "Instead of a refund to your payment method, you can choose store credit.",
  storeCreditBonus: (percent) => `If you choose store credit, you receive ${percent} more than the value of the returned items.`,

  exchangesYes: "Instead of a refund, you can exchange an item for a different size or another product.",
  exchangesNo: "We do not offer exchanges. To get a different item, return the original for a refund and place a new order.",

  summary: {
    finalSale: "All sales are final",
    within: (n, start, free) => `${free ? "Free returns" : "Returns"} within ${days(n)} of ${SUMMARY_OF[start]}`,
    noTimeLimit: (free) => (free ? "Free returns, no time limit" : "Returns accepted, no time limit"),
    shippingFee: (fee) => `${fee} return shipping`,
    restockingFee: (percent) => `${percent} restocking fee`,
  },
};
