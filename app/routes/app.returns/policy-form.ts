// Beside its route: the action parses posted forms with it (readPolicyForm, validatePolicyForm). The settings
// components (components/returns/) import it too, for the same checks and labels in the browser; that is safe because
// it imports nothing but app/domain, so no server code reaches the browser bundle through it. Keep it so.
import { currencyExponent, InvalidAmountError, minorToDecimal, toMinorUnits } from "~/domain/money";
import {
  DEFAULT_RETURN_POLICY,
  RETURN_LOCALES,
  validateReturnPolicy,
  WINDOW_STARTS,
  type ReturnPolicy,
  type ReturnPolicyValidation,
} from "~/domain/returns/policy";
import { storedPolicyText } from "~/domain/returns/stored";
import { RETURN_LOCALE_LABELS, WINDOW_START_LABELS } from "~/domain/returns/version-diff";

/**
 * The return policy as the settings form holds it: what the merchant typed. The browser and the server both turn a
 * form into policy input with `policyInputFromForm`, then check it with the domain's `validateReturnPolicy`, so both
 * report the same errors under the same dotted paths. The form layer's own conversions (decision 013):
 * checkboxes are booleans, "No time limit" becomes `windowDays: null`, and the flat return shipping fee, typed in the
 * shop currency ("5.00"), becomes integer minor units by parsing the decimal string (never a float). Final-sale tags
 * are typed as one comma-separated list (a tag cannot contain a comma); empty entries are dropped.
 */
export interface PolicyForm {
  /** Whole days as typed; ignored while `unlimited`. */
  windowDays: string;
  unlimited: boolean;
  windowStart: string;
  shippingKind: string;
  /** The flat fee in the shop currency, as typed ("5.00"); used when shippingKind is "flat". */
  shippingFee: string;
  restockingFeePercent: string;
  exchanges: boolean;
  storeCreditOffered: boolean;
  storeCreditBonusPercent: string;
  /** Comma-separated. */
  finalSaleTags: string;
  conditionUnused: boolean;
  conditionOriginalPackaging: boolean;
  conditionTagsAttached: boolean;
  note: string;
  publishLocale: string;
}

/** Days shown in the field when a policy without a time limit is loaded (the field is disabled meanwhile). */
const DAYS_WHEN_UNLIMITED = "30";

export function formFromPolicy(policy: ReturnPolicy, currency: string): PolicyForm {
  return {
    windowDays: policy.windowDays === null ? DAYS_WHEN_UNLIMITED : String(policy.windowDays),
    unlimited: policy.windowDays === null,
    windowStart: policy.windowStart,
    shippingKind: policy.shipping.kind,
    shippingFee: policy.shipping.kind === "flat" ? minorToDecimal(policy.shipping.feeMinor, currency, { dropZeroFraction: true }) : "",
    restockingFeePercent: String(policy.restockingFeePercent),
    exchanges: policy.exchanges,
    storeCreditOffered: policy.storeCredit.offered,
    storeCreditBonusPercent: String(policy.storeCredit.bonusPercent),
    finalSaleTags: policy.finalSaleTags.join(", "),
    conditionUnused: policy.conditions.unused,
    conditionOriginalPackaging: policy.conditions.originalPackaging,
    conditionTagsAttached: policy.conditions.tagsAttached,
    note: policy.note,
    publishLocale: policy.publishLocale,
  };
}

export const defaultPolicyForm = (currency: string) => formFromPolicy(DEFAULT_RETURN_POLICY, currency);

/** The typed fee as minor units, or the message for the field. */
function parseFee(text: string, currency: string): number | string {
  const value = text.trim();
  if (value === "") return "Enter the return shipping fee, e.g. 5.00";
  try {
    return toMinorUnits(value, currency);
  } catch (error) {
    if (!(error instanceof InvalidAmountError)) throw error;
    const exponent = currencyExponent(currency);
    if (/^-?\d+\.\d+$/.test(value)) return exponent === 0 ? `${currency} amounts have no decimals` : `Use at most ${exponent} decimals`;
    return "Enter the fee as an amount, e.g. 5.00";
  }
}

/** Splits the comma-separated tags; blank entries (", ,", a trailing comma) are dropped. */
export function splitTags(text: string): string[] {
  return text
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

/**
 * The form as policy input for `validateReturnPolicy`, and the errors of fields that are not even the right kind of
 * value (the fee as an amount), keyed by the schema's paths.
 */
function policyInputFromForm(form: PolicyForm, currency: string): { input: unknown; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let shipping: unknown = { kind: form.shippingKind };
  if (form.shippingKind === "flat") {
    const fee = parseFee(form.shippingFee, currency);
    if (typeof fee === "string") errors["shipping.feeMinor"] = fee;
    shipping = { kind: "flat", feeMinor: typeof fee === "number" ? fee : Number.NaN };
  }
  const input = {
    windowDays: form.unlimited ? null : form.windowDays,
    windowStart: form.windowStart,
    shipping,
    restockingFeePercent: form.restockingFeePercent,
    exchanges: form.exchanges,
    storeCredit: { offered: form.storeCreditOffered, bonusPercent: form.storeCreditBonusPercent },
    finalSaleTags: splitTags(form.finalSaleTags),
    conditions: {
      unused: form.conditionUnused,
      originalPackaging: form.conditionOriginalPackaging,
      tagsAttached: form.conditionTagsAttached,
    },
    note: form.note,
    publishLocale: form.publishLocale,
  };
  return { input, errors };
}

/** The form checked exactly as the server checks it: convert, then the domain's validateReturnPolicy. */
export function validatePolicyForm(form: PolicyForm, currency: string): ReturnPolicyValidation {
  const { input, errors } = policyInputFromForm(form, currency);
  const checked = validateReturnPolicy(input);
  if (checked.ok && Object.keys(errors).length === 0) return checked;
  return { ok: false, errors: { ...(checked.ok ? {} : checked.errors), ...errors } };
}

/** The message to show on the tags field: the first problem with any tag, naming the tag. */
export function finalSaleTagsError(form: PolicyForm, errors: Record<string, string>): string | undefined {
  if (errors.finalSaleTags) return errors.finalSaleTags;
  const tags = splitTags(form.finalSaleTags);
  for (const [key, message] of Object.entries(errors)) {
    const match = /^finalSaleTags\.(\d+)$/.exec(key);
    if (match) {
      const tag = tags[Number(match[1])];
      return tag === undefined ? message : `"${tag.length > 40 ? `${tag.slice(0, 40)}…` : tag}": ${message}`;
    }
  }
  return undefined;
}

const STRING_FIELDS = [
  "windowDays",
  "windowStart",
  "shippingKind",
  "shippingFee",
  "restockingFeePercent",
  "storeCreditBonusPercent",
  "finalSaleTags",
  "note",
  "publishLocale",
] as const;
const BOOLEAN_FIELDS = ["unlimited", "exchanges", "storeCreditOffered", "conditionUnused", "conditionOriginalPackaging", "conditionTagsAttached"] as const;
/** Far above any valid field (the note is the longest at 1,000 characters): keeps a hostile body from costing much. */
const MAX_FIELD_LENGTH = 20_000;

/** Reads a posted form defensively (it is untrusted input); null when it does not have the form's shape. */
export function readPolicyForm(value: unknown): PolicyForm | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const form: Record<string, string | boolean> = {};
  for (const key of STRING_FIELDS) {
    const field = v[key];
    if (typeof field !== "string" || field.length > MAX_FIELD_LENGTH) return null;
    form[key] = field;
  }
  for (const key of BOOLEAN_FIELDS) {
    if (typeof v[key] !== "boolean") return null;
    form[key] = v[key];
  }
  return form as unknown as PolicyForm;
}

export const WINDOW_START_OPTIONS = WINDOW_STARTS.map((value) => ({ label: WINDOW_START_LABELS[value], value }));

/** The return locales as select options, labelled (the publish language and the preview's language). */
export const LOCALE_OPTIONS = RETURN_LOCALES.map((locale) => ({ label: RETURN_LOCALE_LABELS[locale], value: locale }));

/**
 * The error keys each field's errors appear under (the schema's dotted paths; `*` is any one segment): a change or a
 * blur of the field touches them, so their errors show from then on (decision 030). Choosing a shipping kind touches
 * the kind, not the fee: the fee field that appears with "flat fee" shows its error only once it was touched.
 */
export const FIELD_ERROR_KEYS: Record<keyof PolicyForm, readonly string[]> = {
  windowDays: ["windowDays"],
  unlimited: ["windowDays"],
  windowStart: ["windowStart"],
  shippingKind: ["shipping", "shipping.kind"],
  shippingFee: ["shipping.feeMinor"],
  restockingFeePercent: ["restockingFeePercent"],
  exchanges: ["exchanges"],
  storeCreditOffered: ["storeCredit", "storeCredit.offered"],
  storeCreditBonusPercent: ["storeCredit.bonusPercent"],
  finalSaleTags: ["finalSaleTags", "finalSaleTags.*"],
  conditionUnused: ["conditions", "conditions.unused"],
  conditionOriginalPackaging: ["conditions", "conditions.originalPackaging"],
  conditionTagsAttached: ["conditions", "conditions.tagsAttached"],
  note: ["note"],
  publishLocale: ["publishLocale"],
};

/**
 * Two forms hold the same policy: the same text as typed, or, when both are valid, the same settings (" 30" and
 * "30" days, or a window typed while "No time limit" is on, change nothing worth saving).
 */
export function samePolicyForm(a: PolicyForm, b: PolicyForm, currency: string): boolean {
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  const left = validatePolicyForm(a, currency);
  const right = validatePolicyForm(b, currency);
  return left.ok && right.ok && storedPolicyText(left.policy) === storedPolicyText(right.policy);
}
