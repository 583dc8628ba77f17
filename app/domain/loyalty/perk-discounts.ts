import { tierSlug, tierTag, type LoyaltyProgram } from "./program";

/**
 * Tier perks as Shopify automatic discounts (docs/decisions/039-tier-perk-discounts.md): the pure plan.
 *
 * - One customer segment per tier that has a perk, on the tier tag the app mirrors; keyed by the tier's place in the
 *   programme ("tier-1"), so renaming a tier updates its segment instead of replacing it.
 * - One automatic discount per distinct perk ("percent-10", "free-shipping"), listing every tier segment that has it.
 *
 * `planPerkChanges` compares what the programme wants with what the app last asked for (each row's `desired`) and
 * says, per segment and discount, create / update / delete / keep, in the order Shopify must see them: segments
 * created or updated first (a discount names them), then discounts, then segments deleted (no discount names them
 * any more).
 */

export type PerkKind = "segment" | "discount";

export interface SegmentSpec {
  /** Shown in the Shopify admin (the app adds the row's number, segment names being unique per shop). */
  name: string;
  /** Shopify's segment query language. */
  query: string;
}

export interface DiscountSpec {
  perk: "percentage" | "free_shipping";
  /** Whole percent off (1 to 100) for a percentage perk; null for free shipping. */
  percent: number | null;
  title: string;
  /** The segments (their keys) whose customers get it, in tier order. */
  segments: string[];
}

export type PerkSpec = SegmentSpec | DiscountSpec;

interface DesiredPerks {
  segments: Map<string, SegmentSpec>;
  discounts: Map<string, DiscountSpec>;
}

/** The key of the segment of the tier at `index` (0-based) in the programme. */
const segmentKey = (index: number) => `tier-${index + 1}`;

/** The segment query for a tier: customers carrying its tag (slugs are [a-z0-9-], nothing to escape). */
export function segmentQuery(slug: string): string {
  return `customer_tags CONTAINS '${tierTag(slug)}'`;
}

/** What the programme wants in Shopify. A tier without a discount or free shipping needs no segment. */
export function desiredPerks(program: LoyaltyProgram): DesiredPerks {
  const segments = new Map<string, SegmentSpec>();
  const percents = new Map<number, string[]>();
  const freeShipping: string[] = [];
  program.tiers.forEach((tier, index) => {
    const { discountPercent, freeShipping: ships } = tier.perks;
    if (discountPercent === null && !ships) return;
    const key = segmentKey(index);
    segments.set(key, { name: `Afterglow ${tier.name} tier`, query: segmentQuery(tierSlug(tier.name)) });
    if (discountPercent !== null) percents.set(discountPercent, [...(percents.get(discountPercent) ?? []), key]);
    if (ships) freeShipping.push(key);
  });
  const discounts = new Map<string, DiscountSpec>();
  for (const [percent, keys] of [...percents].sort(([a], [b]) => a - b)) {
    discounts.set(`percent-${percent}`, { perk: "percentage", percent, title: `Afterglow tier perk: ${percent}% off`, segments: keys });
  }
  if (freeShipping.length) {
    discounts.set("free-shipping", { perk: "free_shipping", percent: null, title: "Afterglow tier perk: free shipping", segments: freeShipping });
  }
  return { segments, discounts };
}

/** A segment or discount the app holds a row for, with what it last asked Shopify for (null: being deleted). */
export interface ExistingPerk {
  kind: PerkKind;
  key: string;
  desired: PerkSpec | null;
}

type PerkAction = "create" | "update" | "delete" | "keep";

export interface PerkChange {
  kind: PerkKind;
  key: string;
  action: PerkAction;
  /** What Shopify should hold; null for a delete. */
  desired: PerkSpec | null;
}

/** Field-by-field equality of two specs (a segment list compares in order). */
export function sameSpec(a: PerkSpec | null, b: PerkSpec | null): boolean {
  return JSON.stringify(a === null ? null : normalise(a)) === JSON.stringify(b === null ? null : normalise(b));
}

function normalise(spec: PerkSpec): PerkSpec {
  return "query" in spec
    ? { name: spec.name, query: spec.query }
    : { perk: spec.perk, percent: spec.percent, title: spec.title, segments: [...spec.segments] };
}

function changesOf(kind: PerkKind, wanted: Map<string, PerkSpec>, existing: ExistingPerk[]): { upserts: PerkChange[]; deletes: PerkChange[] } {
  const held = new Map(existing.filter((e) => e.kind === kind).map((e) => [e.key, e]));
  const upserts: PerkChange[] = [];
  for (const [key, desired] of wanted) {
    const row = held.get(key);
    const action: PerkAction = !row ? "create" : sameSpec(row.desired, desired) ? "keep" : "update";
    upserts.push({ kind, key, action, desired });
  }
  const deletes: PerkChange[] = [...held.values()]
    .filter((row) => !wanted.has(row.key))
    .sort((a, b) => a.key.localeCompare(b.key))
    // A row already being deleted stays as it is (its sync is queued or done).
    .map((row) => ({ kind, key: row.key, action: row.desired === null ? "keep" : "delete", desired: null }));
  return { upserts, deletes };
}

/**
 * Every segment and discount, what to do with it, in the order Shopify must see the changes: segments created or
 * updated, discounts created, updated or deleted, then segments deleted.
 */
export function planPerkChanges(program: LoyaltyProgram, existing: ExistingPerk[]): PerkChange[] {
  const wanted = desiredPerks(program);
  const segments = changesOf("segment", wanted.segments, existing);
  const discounts = changesOf("discount", wanted.discounts, existing);
  return [...segments.upserts, ...discounts.upserts, ...discounts.deletes, ...segments.deletes];
}

/** Each perk discount ends at most this far ahead; the daily renewal moves the end on, so perks lapse without the app. */
const PERK_DISCOUNT_DAYS = 30;
/** A discount whose end is nearer than this is renewed (a day's margin below the full period, so a daily run moves it). */
const RENEW_WITHIN_MS = (PERK_DISCOUNT_DAYS - 1) * 86_400_000;

/** The end date a discount sent at `now` carries. */
export function perkEndsAt(now: Date): Date {
  return new Date(now.getTime() + PERK_DISCOUNT_DAYS * 86_400_000);
}

/** Whether a discount ending at `endsAt` is due for renewal at `now`. */
export function needsRenewal(endsAt: Date | null, now: Date): boolean {
  return endsAt === null || endsAt.getTime() - now.getTime() < RENEW_WITHIN_MS;
}

/** Parses a stored spec (JSON) of `kind`; null for null or anything not of that shape. */
export function parsePerkSpec(kind: PerkKind, json: string | null): PerkSpec | null {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (value === null || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  if (kind === "segment") return typeof v.name === "string" && typeof v.query === "string" ? { name: v.name, query: v.query } : null;
  const perk = v.perk === "percentage" || v.perk === "free_shipping" ? v.perk : null;
  const percent = typeof v.percent === "number" ? v.percent : null;
  const segments = Array.isArray(v.segments) && v.segments.every((s) => typeof s === "string") ? (v.segments as string[]) : null;
  if (!perk || typeof v.title !== "string" || !segments) return null;
  return { perk, percent, title: v.title, segments };
}
