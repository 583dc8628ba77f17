import { currencyExponent, decimalToMinorBig, formatMoney, InvalidAmountError, MAX_MINOR, minorToDecimal } from "../money";
import { INVALID_TEXT_MESSAGE, isStorableText } from "../text";

/**
 * The rewards catalogue: what a shopper can spend points on (docs/decisions/035-rewards-redemption.md). Dependency-free
 * (no zod), so the customer-account extension can bundle it later; money is exact integer minor units.
 *
 * A percentage is stored as a whole percent (1 to 100): Shopify takes a fraction (0.15), and whole percents are what
 * merchants type and what tier perks already use; a fraction of a percent is not offered.
 */

const REWARD_KINDS = ["fixed_amount", "percentage", "free_shipping"] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

/** Which discount classes an issued code combines with. */
export interface RewardCombinesWith {
  order: boolean;
  product: boolean;
  shipping: boolean;
}

/**
 * The stated default: a reward code combines with everything the shop offers (tier perks are order and shipping
 * discounts; a shopper who paid points for a code should not lose their perk by using it). A free-shipping code never
 * combines with another shipping discount (Shopify applies one shipping discount per delivery), whatever is stored.
 */
const DEFAULT_COMBINES_WITH: RewardCombinesWith = { order: true, product: true, shipping: true };
const DEFAULT_VALIDITY_DAYS = 30;

const REWARD_LIMITS = {
  titleLength: 60,
  maxPointsCost: 1_000_000,
  maxValidityDays: 365,
} as const;

/** A reward as the catalogue holds it. */
export interface RewardDefinition {
  title: string;
  kind: RewardKind;
  pointsCost: number;
  /** fixed_amount: minor units of `currency`. */
  amountMinor: number | null;
  /** percentage: whole percent, 1 to 100. */
  percent: number | null;
  /** Minimum order subtotal in minor units of `currency`; null: none. */
  minimumMinor: number | null;
  /** The currency of `amountMinor` and `minimumMinor`; null when the reward has neither. */
  currency: string | null;
  enabled: boolean;
  validityDays: number;
  combinesWith: RewardCombinesWith;
}

/** The editor's fields, as typed (strings), and its switches. */
export interface RewardForm {
  title: string;
  kind: string;
  pointsCost: string;
  /** fixed_amount: the amount off, a decimal in the shop currency ("5" or "5.00"). */
  amount: string;
  /** percentage: whole percent. */
  percent: string;
  /** Optional minimum order, a decimal in the shop currency; empty: none. */
  minimum: string;
  validityDays: string;
  enabled: boolean;
  combinesWithOrder: boolean;
  combinesWithProduct: boolean;
  combinesWithShipping: boolean;
}

export type RewardFormErrors = Partial<Record<keyof RewardForm, string>>;

/** A new reward's fields in the editor. */
export const EMPTY_REWARD_FORM: RewardForm = {
  title: "",
  kind: "fixed_amount",
  pointsCost: "",
  amount: "",
  percent: "",
  minimum: "",
  validityDays: String(DEFAULT_VALIDITY_DAYS),
  enabled: true,
  combinesWithOrder: DEFAULT_COMBINES_WITH.order,
  combinesWithProduct: DEFAULT_COMBINES_WITH.product,
  combinesWithShipping: DEFAULT_COMBINES_WITH.shipping,
};

/** A saved reward back in the editor's fields (amounts as decimals of its currency, "5" rather than "5.00"). */
export function rewardFormOf(reward: RewardDefinition): RewardForm {
  const decimal = (minor: number | null) => (minor === null || !reward.currency ? "" : minorToDecimal(minor, reward.currency, { dropZeroFraction: true }));
  return {
    title: reward.title,
    kind: reward.kind,
    pointsCost: String(reward.pointsCost),
    amount: decimal(reward.amountMinor),
    percent: reward.percent === null ? "" : String(reward.percent),
    minimum: decimal(reward.minimumMinor),
    validityDays: String(reward.validityDays),
    enabled: reward.enabled,
    combinesWithOrder: reward.combinesWith.order,
    combinesWithProduct: reward.combinesWith.product,
    combinesWithShipping: reward.combinesWith.shipping,
  };
}

/** Two editor states that would save the same reward (text compared as typed, trimmed). */
export function sameRewardForm(a: RewardForm, b: RewardForm): boolean {
  return (Object.keys(a) as (keyof RewardForm)[]).every((key) => {
    const x = a[key];
    const y = b[key];
    return typeof x === "string" && typeof y === "string" ? x.trim() === y.trim() : x === y;
  });
}

const WHOLE = /^\d+$/;

/** A whole number typed in a field, within [min, max], or the message the editor shows under it. */
function wholeNumber(text: string, label: string, min: number, max: number): number | string {
  const value = text.trim();
  if (!value) return `Enter ${label}`;
  if (!WHOLE.test(value)) return `Use a whole number for ${label}`;
  const n = Number(value);
  if (n < min) return `${capitalise(label)} must be at least ${min.toLocaleString("en-US")}`;
  if (n > max) return `${capitalise(label)} can be at most ${max.toLocaleString("en-US")}`;
  return n;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** An amount typed in the shop currency, in minor units (> 0, exact), or the message to show. */
function amountField(text: string, label: string, currency: string): number | string {
  const value = text.trim();
  if (!value) return `Enter ${label}`;
  const exponent = currencyExponent(currency);
  try {
    const minor = decimalToMinorBig(value, exponent);
    if (minor <= 0n) return `${capitalise(label)} must be more than zero`;
    if (minor > BigInt(MAX_MINOR)) return `${capitalise(label)} is too large`;
    return Number(minor);
  } catch (error) {
    if (!(error instanceof InvalidAmountError)) throw error;
    return exponent === 0
      ? `Enter ${label} as a whole number of ${currency}`
      : `Enter ${label} as an amount with at most ${exponent} decimals, like ${(5).toFixed(exponent)}`;
  }
}

const asText = (value: unknown) => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");
const asFlag = (value: unknown, fallback: boolean) => (typeof value === "boolean" ? value : value === "true" ? true : value === "false" ? false : fallback);

/** Any posted object read as the editor's fields (missing or odd values become empty text or the default switch). */
export function rewardFormFrom(input: unknown): RewardForm {
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  return {
    title: asText(raw.title),
    kind: asText(raw.kind),
    pointsCost: asText(raw.pointsCost),
    amount: asText(raw.amount),
    percent: asText(raw.percent),
    minimum: asText(raw.minimum),
    validityDays: asText(raw.validityDays),
    enabled: asFlag(raw.enabled, true),
    combinesWithOrder: asFlag(raw.combinesWithOrder, DEFAULT_COMBINES_WITH.order),
    combinesWithProduct: asFlag(raw.combinesWithProduct, DEFAULT_COMBINES_WITH.product),
    combinesWithShipping: asFlag(raw.combinesWithShipping, DEFAULT_COMBINES_WITH.shipping),
  };
}

/**
 * Checks the editor's fields for a shop whose currency is `currency`: every message is the one the editor shows under
 * its field as the merchant types. Fields that do not apply to the kind are ignored (a percentage reward's amount).
 */
export function validateRewardForm(
  form: RewardForm,
  currency: string,
): { ok: true; reward: RewardDefinition } | { ok: false; errors: RewardFormErrors } {
  const errors: RewardFormErrors = {};
  const title = form.title.trim();
  if (!title) errors.title = "Give the reward a name shoppers will see";
  else if ([...title].length > REWARD_LIMITS.titleLength) errors.title = `Keep the name to ${REWARD_LIMITS.titleLength} characters or fewer`;
  else if (!isStorableText(title)) errors.title = INVALID_TEXT_MESSAGE;

  const kind = (REWARD_KINDS as readonly string[]).includes(form.kind) ? (form.kind as RewardKind) : null;
  if (!kind) errors.kind = "Choose amount off, percentage off or free shipping";

  const pointsCost = wholeNumber(form.pointsCost, "the points cost", 1, REWARD_LIMITS.maxPointsCost);
  if (typeof pointsCost === "string") errors.pointsCost = pointsCost;

  let amountMinor: number | null = null;
  if (kind === "fixed_amount") {
    const amount = amountField(form.amount, "the amount off", currency);
    if (typeof amount === "string") errors.amount = amount;
    else amountMinor = amount;
  }
  let percent: number | null = null;
  if (kind === "percentage") {
    const value = wholeNumber(form.percent, "the percentage", 1, 100);
    if (typeof value === "string") errors.percent = value;
    else percent = value;
  }
  let minimumMinor: number | null = null;
  if (form.minimum.trim()) {
    const minimum = amountField(form.minimum, "the minimum order", currency);
    if (typeof minimum === "string") errors.minimum = minimum;
    else minimumMinor = minimum;
  }
  if (amountMinor !== null && minimumMinor !== null && minimumMinor < amountMinor) {
    errors.minimum = `The minimum order must be at least the amount off (${formatMoney(amountMinor, currency)})`;
  }

  const validityDays = wholeNumber(form.validityDays, "the number of days a code stays valid", 1, REWARD_LIMITS.maxValidityDays);
  if (typeof validityDays === "string") errors.validityDays = validityDays;

  if (Object.keys(errors).length || !kind || typeof pointsCost !== "number" || typeof validityDays !== "number") {
    return { ok: false, errors };
  }
  return {
    ok: true,
    reward: {
      title,
      kind,
      pointsCost,
      amountMinor,
      percent,
      minimumMinor,
      currency: amountMinor !== null || minimumMinor !== null ? currency : null,
      enabled: form.enabled,
      validityDays,
      combinesWith: { order: form.combinesWithOrder, product: form.combinesWithProduct, shipping: form.combinesWithShipping },
    },
  };
}

/** What the reward gives, in words: "$5.00 off", "15% off", "Free shipping" (with the minimum order when it has one). */
export function rewardValueText(reward: Pick<RewardDefinition, "kind" | "amountMinor" | "percent" | "minimumMinor" | "currency">): string {
  const value =
    reward.kind === "fixed_amount"
      ? `${formatMoney(reward.amountMinor ?? 0, reward.currency ?? "USD")} off`
      : reward.kind === "percentage"
        ? `${reward.percent ?? 0}% off`
        : "Free shipping";
  return reward.minimumMinor !== null && reward.currency ? `${value} orders of ${formatMoney(reward.minimumMinor, reward.currency)} or more` : value;
}

/** Whether a balance pays for the reward (an owed, negative balance pays for nothing). */
export function canAfford(balance: number, reward: Pick<RewardDefinition, "pointsCost" | "enabled">): boolean {
  return reward.enabled && balance >= reward.pointsCost;
}

/**
 * The code alphabet: Crockford's base 32 (digits and capitals without I, L, O and U, so nothing reads as another
 * symbol when typed from a phone or read aloud). 32 symbols: one random byte's low 5 bits pick one without bias.
 */
const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A new code string, AG-XXXX-XXXX: 8 symbols of 32, 40 bits from a CSPRNG (with a million live codes, a guess hits one
 * once in a million). Chosen by the app before it calls Shopify (so a timed-out call can be looked up by its code).
 * `randomBytes` defaults to the platform's CSPRNG (Web Crypto, in Node and browsers alike).
 */
export function newRewardCode(randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const bytes = randomBytes(8);
  const symbols = [...bytes].map((byte) => CODE_ALPHABET[byte & 31]);
  return `AG-${symbols.slice(0, 4).join("")}-${symbols.slice(4, 8).join("")}`;
}

/**
 * What the outstanding points are worth (the programme's liability) in `currency`: at the best rate a shopper can
 * get, the enabled amount-off reward in that currency paying the most per point, rounded down to a minor unit
 * (exact, BigInt). Null when no such reward exists (percentage and shipping rewards have no fixed worth).
 */
export function pointsLiability(
  outstanding: number,
  rewards: readonly Pick<RewardDefinition, "kind" | "enabled" | "amountMinor" | "pointsCost" | "currency">[],
  currency: string,
): { minor: number; rate: { amountMinor: number; pointsCost: number } } | null {
  let best: { amountMinor: number; pointsCost: number } | null = null;
  for (const r of rewards) {
    if (r.kind !== "fixed_amount" || !r.enabled || r.amountMinor === null || r.currency !== currency) continue;
    // a/b > c/d ⇔ a·d > c·b (exact for the safe integers stored)
    if (!best || BigInt(r.amountMinor) * BigInt(best.pointsCost) > BigInt(best.amountMinor) * BigInt(r.pointsCost)) {
      best = { amountMinor: r.amountMinor, pointsCost: r.pointsCost };
    }
  }
  if (!best) return null;
  const minor = (BigInt(Math.max(outstanding, 0)) * BigInt(best.amountMinor)) / BigInt(best.pointsCost);
  return { minor: minor > BigInt(MAX_MINOR) ? MAX_MINOR : Number(minor), rate: best };
}

/** Whether a discount code (as an order names it, in capitals) has the shape of the codes rewards issue. */
export function isRewardCode(code: string): boolean {
  return /^AG-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/.test(code);
}

/** When a code issued at `now` stops being valid. */
export function codeExpiry(now: Date, validityDays: number): Date {
  return new Date(now.getTime() + validityDays * 86_400_000);
}
