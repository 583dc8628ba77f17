import { formatMoney } from "../money";
import type { ReturnLocale, ReturnPolicy, WindowStart } from "./policy";

/**
 * What changed between two saved versions of the return policy, setting by setting, in the words of the admin's
 * settings form (English, as the admin is): "Return window: 30 days → 14 days". Each setting is described as the
 * merchant reads it, and a setting counts as changed when its description changes, so a value that means nothing
 * (the store-credit bonus while store credit is off) is not reported.
 */

/** The settings form's names for where the window starts (its select options use them too). */
export const WINDOW_START_LABELS: Record<WindowStart, string> = {
  order: "The order date",
  fulfillment: "The day the order ships (fulfillment)",
  delivery: "The delivery date",
};

/** The languages of the published policy, as the settings form names them. */
export const RETURN_LOCALE_LABELS: Record<ReturnLocale, string> = {
  en: "English",
  fr: "French (Français)",
  de: "German (Deutsch)",
  es: "Spanish (Español)",
  "zh-CN": "Chinese, simplified (简体中文)",
};

interface PolicyChange {
  /** Stable name of the setting, for keys and tests. */
  setting: PolicySetting;
  /** The setting's name as the form shows it. */
  label: string;
  before: string;
  after: string;
}

type PolicySetting =
  | "window"
  | "windowStart"
  | "shipping"
  | "restockingFee"
  | "exchanges"
  | "storeCredit"
  | "finalSaleTags"
  | "conditions"
  | "note"
  | "publishLocale";

const percent = (value: number) => `${value}%`;

/** Each setting in the form's order: its label and how a policy reads for it. */
const SETTINGS: { setting: PolicySetting; label: string; describe(policy: ReturnPolicy, currency: string): string }[] = [
  {
    setting: "window",
    label: "Return window",
    describe: ({ windowDays }) => {
      if (windowDays === null) return "No time limit";
      if (windowDays === 0) return "0 days (all sales are final)";
      return windowDays === 1 ? "1 day" : `${windowDays} days`;
    },
  },
  { setting: "windowStart", label: "Counted from", describe: ({ windowStart }) => WINDOW_START_LABELS[windowStart] },
  {
    setting: "shipping",
    label: "Return shipping",
    describe: ({ shipping }, currency) => {
      if (shipping.kind === "free") return "Free";
      if (shipping.kind === "flat") return `A flat fee of ${formatMoney(shipping.feeMinor, currency)}`;
      return "Paid by the customer";
    },
  },
  {
    setting: "restockingFee",
    label: "Restocking fee",
    describe: ({ restockingFeePercent }) => (restockingFeePercent === 0 ? "None" : percent(restockingFeePercent)),
  },
  { setting: "exchanges", label: "Exchanges", describe: ({ exchanges }) => (exchanges ? "Offered" : "Not offered") },
  {
    setting: "storeCredit",
    label: "Store credit",
    describe: ({ storeCredit }) => {
      if (!storeCredit.offered) return "Not offered";
      return storeCredit.bonusPercent === 0 ? "Offered, no bonus" : `Offered, with a ${percent(storeCredit.bonusPercent)} bonus`;
    },
  },
  {
    setting: "finalSaleTags",
    label: "Final-sale product tags",
    describe: ({ finalSaleTags }) => (finalSaleTags.length === 0 ? "None" : finalSaleTags.join(", ")),
  },
  {
    setting: "conditions",
    label: "Returned items must be",
    describe: ({ conditions }) => {
      const required = [
        conditions.unused ? "unused" : null,
        conditions.originalPackaging ? "in their original packaging" : null,
        conditions.tagsAttached ? "with their tags attached" : null,
      ].filter((c): c is string => c !== null);
      const last = required.pop();
      if (last === undefined) return "No conditions";
      const text = required.length === 0 ? last : `${required.join(", ")} and ${last}`;
      return text.charAt(0).toUpperCase() + text.slice(1);
    },
  },
  { setting: "note", label: "Note to shoppers", describe: ({ note }) => (note === "" ? "No note" : note) },
  { setting: "publishLocale", label: "Language of the published policy", describe: ({ publishLocale }) => RETURN_LOCALE_LABELS[publishLocale] },
];

/** The settings that read differently in `after` than in `before`, in the form's order; empty when none does. */
export function policyChanges(before: ReturnPolicy, after: ReturnPolicy, currency: string): PolicyChange[] {
  const changes: PolicyChange[] = [];
  for (const { setting, label, describe } of SETTINGS) {
    const was = describe(before, currency);
    const now = describe(after, currency);
    if (was !== now) changes.push({ setting, label, before: was, after: now });
  }
  return changes;
}
