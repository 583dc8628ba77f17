import { z } from "zod";
import { INVALID_TEXT_MESSAGE, isWellFormedText } from "../text";

/**
 * A shop's return policy settings. `ReturnPolicySchema` is the single source of truth for the shape: stored
 * versions, the admin form and the publish step all go through `validateReturnPolicy`, which never throws and
 * answers one human message per field, keyed by dotted path ("shipping.feeMinor", "finalSaleTags.2").
 *
 * Form input: whole-number fields (windowDays, shipping.feeMinor, restockingFeePercent, storeCredit.bonusPercent)
 * also accept a string of decimal digits ("30", " 15 "), because that is what an HTML number input gives; any
 * other string ("", "1.5", "1e3", "0x10") gets the field's message. Everything else is the form layer's job:
 * checkboxes become booleans, "unlimited" becomes `windowDays: null`, and the return shipping fee, typed in the
 * shop currency ("5.00"), becomes integer minor units with app/domain/money.ts `toMinorUnits` (the currency is not
 * stored here; it is passed to the text functions). The schema does not coerce booleans: an absent checkbox
 * and a missing field in stored JSON must not look alike.
 *
 * Normalised on the way in: the note's line ends become "\n" and it is trimmed; final-sale tags are trimmed and
 * de-duplicated case-insensitively (the first spelling wins), as Shopify compares product tags.
 * `storeCredit.bonusPercent` is kept when store credit is switched off (the form keeps what was typed) but means
 * nothing then: the text and the eligibility ignore it.
 */

export const RETURN_LOCALES = ["en", "fr", "de", "es", "zh-CN"] as const;
export type ReturnLocale = (typeof RETURN_LOCALES)[number];

export const WINDOW_STARTS = ["order", "fulfillment", "delivery"] as const;
export type WindowStart = (typeof WINDOW_STARTS)[number];

const MAX_WINDOW_DAYS = 365;
/** Minor units. Large enough for a fee in IDR or VND, small enough to catch a typo; the currency is not known here. */
const MAX_FLAT_FEE_MINOR = 100_000_000;
export const MAX_FINAL_SALE_TAGS = 20;
const MAX_TAG_LENGTH = 40;
export const MAX_NOTE_LENGTH = 1000;

/** Key used in `errors` for problems with the input as a whole (e.g. not an object). */
export const RETURN_POLICY_ERROR_KEY = "policy";

const DIGITS = /^\s*-?\d+\s*$/;

/** A whole number in [min, max], given as a number or a string of digits; one message for any other value. */
function wholeNumber(min: number, max: number, message: string, maxMessage = message) {
  return z.preprocess(
    (value) => (typeof value === "string" && DIGITS.test(value) ? Number(value) : value),
    z
      .number({ errorMap: () => ({ message }) })
      .int(message)
      .min(min, message)
      .max(max, maxMessage)
      .transform((n) => n + 0), // -0 (or "-0") becomes 0
  );
}

const choice = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.enum(values, { errorMap: () => ({ message }) });

const yesNo = (message: string) => z.boolean({ errorMap: () => ({ message }) });

const object = <T extends z.ZodRawShape>(shape: T, message: string) =>
  z.object(shape, { errorMap: (issue, ctx) => ({ message: issue.code === "invalid_type" ? message : ctx.defaultError }) }).strict();

/** How Shopify compares product tags: trimmed, case-insensitive (and one Unicode form). */
export function tagKey(tag: string): string {
  return tag.trim().normalize("NFC").toLowerCase();
}

const tag = z
  .string({ errorMap: () => ({ message: "Expected a product tag" }) })
  .refine(isWellFormedText, INVALID_TEXT_MESSAGE)
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, "Enter a tag, or remove the empty one")
      .max(MAX_TAG_LENGTH, `Keep each tag to ${MAX_TAG_LENGTH} characters or fewer`)
      .refine((s) => !s.includes(","), "A tag cannot contain a comma"),
  );

const finalSaleTags = z
  .array(tag, { errorMap: (issue, ctx) => ({ message: issue.code === "invalid_type" ? "Expected a list of product tags" : ctx.defaultError }) })
  .max(MAX_FINAL_SALE_TAGS, `Use at most ${MAX_FINAL_SALE_TAGS} final-sale tags`)
  .transform((tags) => {
    const byKey = new Map<string, string>();
    for (const t of tags) if (!byKey.has(tagKey(t))) byKey.set(tagKey(t), t);
    return [...byKey.values()];
  });

/** Browsers send a textarea's line breaks as CRLF; each counts as one character, as the field shows it. */
const note = z
  .string({ errorMap: () => ({ message: "Expected the note as text" }) })
  .refine(isWellFormedText, INVALID_TEXT_MESSAGE)
  .transform((s) => s.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().max(MAX_NOTE_LENGTH, `Keep the note to ${MAX_NOTE_LENGTH.toLocaleString("en-US")} characters or fewer`));

const FEE_MESSAGE = "Enter a return shipping fee of 0 or more";

const shipping = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("free") }).strict(),
    z
      .object({
        kind: z.literal("flat"),
        /** Minor units of the shop currency. A flat fee of 0 reads and counts as free. */
        feeMinor: wholeNumber(0, MAX_FLAT_FEE_MINOR, FEE_MESSAGE, "That return shipping fee is too large"),
      })
      .strict(),
    z.object({ kind: z.literal("customer") }).strict(),
  ],
  { errorMap: () => ({ message: "Choose free return shipping, a flat fee, or return shipping paid by the customer" }) },
);

const ReturnPolicySchema = z
  .object({
    /** Days after the start day; 0 = final sale only (no returns); null = no time limit. */
    windowDays: wholeNumber(0, MAX_WINDOW_DAYS, "Enter a whole number of days from 0 to 365, or choose unlimited").nullable(),
    windowStart: choice(WINDOW_STARTS, "Choose whether the window counts from the order, its fulfillment or its delivery"),
    shipping,
    restockingFeePercent: wholeNumber(0, 100, "Restocking fee must be a whole number between 0 and 100 %"),
    exchanges: yesNo("Choose whether exchanges are offered"),
    storeCredit: object(
      {
        offered: yesNo("Choose whether store credit is offered"),
        bonusPercent: wholeNumber(0, 100, "Store credit bonus must be a whole number between 0 and 100 %"),
      },
      "Expected the store credit settings",
    ),
    finalSaleTags,
    conditions: object(
      {
        unused: yesNo("Choose whether items must be unused"),
        originalPackaging: yesNo("Choose whether items must be in their original packaging"),
        tagsAttached: yesNo("Choose whether items must have their tags attached"),
      },
      "Expected the condition requirements",
    ),
    note,
    publishLocale: choice(RETURN_LOCALES, "Choose the language of the published policy: en, fr, de, es or zh-CN"),
  })
  .strict();

export type ReturnPolicy = z.infer<typeof ReturnPolicySchema>;

export const DEFAULT_RETURN_POLICY: ReturnPolicy = {
  windowDays: 30,
  windowStart: "delivery",
  shipping: { kind: "customer" },
  restockingFeePercent: 0,
  exchanges: true,
  storeCredit: { offered: false, bonusPercent: 0 },
  finalSaleTags: [],
  conditions: { unused: true, originalPackaging: false, tagsAttached: true },
  note: "",
  publishLocale: "en",
};

export type ReturnPolicyValidation = { ok: true; policy: ReturnPolicy } | { ok: false; errors: Record<string, string> };

/** Parses untrusted input (a form, stored JSON); never throws. Errors: first message per dotted path. */
export function validateReturnPolicy(input: unknown): ReturnPolicyValidation {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: { [RETURN_POLICY_ERROR_KEY]: "Expected the return policy settings" } };
  }
  const result = ReturnPolicySchema.safeParse(input);
  if (result.success) return { ok: true, policy: result.data };
  // A Map, then fromEntries: a "__proto__" key (JSON can carry one) stays an ordinary entry.
  const errors = new Map<string, string>();
  const add = (key: string, message: string) => {
    if (!errors.has(key)) errors.set(key, message);
  };
  for (const issue of result.error.issues) {
    const prefix = issue.path.map(String);
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      for (const key of issue.keys) add([...prefix, key].join("."), "Unknown field");
    } else {
      add(prefix.length > 0 ? prefix.join(".") : RETURN_POLICY_ERROR_KEY, issue.message);
    }
  }
  return { ok: false, errors: Object.fromEntries(errors) };
}

/** True when the policy accepts no returns at all. */
export function isFinalSaleOnly(policy: ReturnPolicy): boolean {
  return policy.windowDays === 0;
}

/** The fee a return pays for shipping, in minor units: 0 unless the policy charges a flat fee. */
export function flatReturnShippingFee(policy: ReturnPolicy): number {
  return policy.shipping.kind === "flat" ? policy.shipping.feeMinor : 0;
}
