import { prisma } from "~/db.server";
import { parsePerkSpec, type ExistingPerk, type PerkChange, type PerkKind, type PerkSpec } from "~/domain/loyalty/perk-discounts";
import type { SqlTx } from "./transaction.server";

/**
 * Tier perks in Shopify (docs/decisions/039-tier-perk-discounts.md): one `TierPerk` row per customer segment and per
 * automatic discount, with what the app asks for (`desired`), what Shopify last accepted (`applied`), Shopify's id and
 * the state. Every function takes `shop` first and scopes its query by it.
 */

type PerkState = "pending" | "active" | "failed";

export interface TierPerkRow {
  id: number;
  kind: PerkKind;
  key: string;
  desired: PerkSpec | null;
  /** The raw stored `desired`, compared when an outcome is recorded (a save during the call leaves the state pending). */
  desiredJson: string | null;
  applied: string | null;
  shopifyId: string | null;
  state: PerkState;
  reason: string | null;
  endsAt: Date | null;
  updatedAt: Date;
}

type Stored = { id: number; kind: string; key: string; desired: string | null; applied: string | null; shopifyId: string | null; state: string; reason: string | null; endsAt: Date | null; updatedAt: Date };

function rowOf(r: Stored): TierPerkRow {
  const kind = r.kind === "segment" ? "segment" : "discount";
  const state = r.state === "active" || r.state === "failed" ? r.state : "pending";
  return { ...r, kind, state, desired: parsePerkSpec(kind, r.desired), desiredJson: r.desired };
}

/** The shop's perks, segments first, each kind by key. */
export async function listTierPerks(shop: string): Promise<TierPerkRow[]> {
  const rows = await prisma.tierPerk.findMany({ where: { shop }, orderBy: [{ kind: "desc" }, { key: "asc" }] });
  return rows.map(rowOf);
}

export async function findTierPerk(shop: string, kind: PerkKind, key: string): Promise<TierPerkRow | null> {
  const row = await prisma.tierPerk.findUnique({ where: { shop_kind_key: { shop, kind, key } } });
  return row ? rowOf(row) : null;
}

/**
 * Takes the shop's tier-perk lock for the transaction (two saves, or a save and the renewal, plan one after the
 * other) and returns what the app holds.
 */
export async function lockTierPerks(tx: SqlTx, shop: string): Promise<ExistingPerk[]> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${shop}::text || ' tier perks', 0))`;
  const rows = await tx.$queryRaw<{ kind: string; key: string; desired: string | null }[]>`
    SELECT "kind", "key", "desired" FROM "TierPerk" WHERE "shop" = ${shop} ORDER BY "kind", "key"`;
  return rows.map((r) => {
    const kind: PerkKind = r.kind === "segment" ? "segment" : "discount";
    return { kind, key: r.key, desired: parsePerkSpec(kind, r.desired) };
  });
}

/**
 * Records the plan's creates, updates and deletes (a delete: `desired` null), each pending with no reason; kept rows
 * are left alone. One statement.
 */
export async function recordPlannedPerks(tx: SqlTx, shop: string, changes: PerkChange[], now: Date): Promise<void> {
  const moving = changes.filter((c) => c.action !== "keep");
  if (!moving.length) return;
  const rows = JSON.stringify(moving.map((c) => ({ kind: c.kind, key: c.key, desired: c.desired === null ? null : JSON.stringify(c.desired) })));
  await tx.$executeRaw`
    INSERT INTO "TierPerk" ("shop", "kind", "key", "desired", "state", "updatedAt")
    SELECT ${shop}::text, r."kind", r."key", r."desired", 'pending', ${now}::timestamptz
    FROM jsonb_to_recordset(${rows}::jsonb) AS r("kind" text, "key" text, "desired" text)
    ON CONFLICT ("shop", "kind", "key") DO UPDATE
      SET "desired" = excluded."desired", "state" = 'pending', "reason" = NULL, "updatedAt" = excluded."updatedAt"`;
}

/** Marks perks pending again (a retry) and returns the ones that exist. */
export async function markPerksPending(tx: SqlTx, shop: string, perks: { kind: PerkKind; key: string }[], now: Date): Promise<{ kind: PerkKind; key: string }[]> {
  if (!perks.length) return [];
  const rows = JSON.stringify(perks);
  const marked = await tx.$queryRaw<{ kind: string; key: string }[]>`
    UPDATE "TierPerk" t SET "state" = 'pending', "reason" = NULL, "updatedAt" = ${now}
    FROM jsonb_to_recordset(${rows}::jsonb) AS r("kind" text, "key" text)
    WHERE t."shop" = ${shop} AND t."kind" = r."kind" AND t."key" = r."key"
    RETURNING t."kind", t."key"`;
  return perks.filter((p) => marked.some((m) => m.kind === p.kind && m.key === p.key));
}

/**
 * Records what Shopify accepted: its id, what was applied, the discount's end. The state becomes active only if
 * `desired` is still what was sent (a save during the call queued another sync, and the row stays pending for it).
 */
export async function recordPerkApplied(
  shop: string,
  row: Pick<TierPerkRow, "id" | "desiredJson">,
  outcome: { shopifyId: string; applied: string; endsAt: Date | null },
  now: Date,
): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "TierPerk" SET "shopifyId" = ${outcome.shopifyId}, "applied" = ${outcome.applied}, "endsAt" = ${outcome.endsAt},
      "state" = CASE WHEN "desired" IS NOT DISTINCT FROM ${row.desiredJson}::text THEN 'active' ELSE "state" END,
      "reason" = CASE WHEN "desired" IS NOT DISTINCT FROM ${row.desiredJson}::text THEN NULL ELSE "reason" END,
      "updatedAt" = ${now}
    WHERE "shop" = ${shop} AND "id" = ${row.id}`;
}

/** The outbox gave a sync up (its attempts ran out, or Shopify answered 4xx): a perk still pending shows it as failed. */
export async function recordPerkGivenUp(shop: string, kind: PerkKind, key: string, reason: string, now: Date): Promise<void> {
  await prisma.tierPerk.updateMany({ where: { shop, kind, key, state: "pending" }, data: { state: "failed", reason, updatedAt: now } });
}

/** Records a refusal (Shopify's reason), unless `desired` changed since it was read (then a newer sync is queued). */
export async function recordPerkFailed(shop: string, row: Pick<TierPerkRow, "id" | "desiredJson">, reason: string, now: Date): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "TierPerk" SET "state" = 'failed', "reason" = ${reason}, "updatedAt" = ${now}
    WHERE "shop" = ${shop} AND "id" = ${row.id} AND "desired" IS NOT DISTINCT FROM ${row.desiredJson}::text`;
}

/** Forgets a perk deleted in Shopify (or never created), unless it was wanted again meanwhile (then it stays, without an id). */
export async function removeDeletedPerk(shop: string, id: number): Promise<void> {
  await prisma.$transaction([
    prisma.tierPerk.deleteMany({ where: { shop, id, desired: null } }),
    prisma.tierPerk.updateMany({ where: { shop, id }, data: { shopifyId: null, applied: null, endsAt: null } }),
  ]);
}

/** The Shopify ids of the shop's segments with these keys (those created), by key. */
export async function segmentIds(shop: string, keys: string[]): Promise<Map<string, TierPerkRow>> {
  const rows = await prisma.tierPerk.findMany({ where: { shop, kind: "segment", key: { in: keys } } });
  return new Map(rows.map((r) => [r.key, rowOf(r)]));
}

/** How many of the shop's discounts Shopify holds with `segmentId` in their context (by what each last applied). */
export async function discountsNamingSegment(shop: string, segmentId: string): Promise<number> {
  const rows = await prisma.tierPerk.findMany({ where: { shop, kind: "discount", applied: { not: null } }, select: { applied: true } });
  return rows.filter((r) => appliedSegmentIds(r.applied).includes(segmentId)).length;
}

/** The segment ids a discount's `applied` JSON names. */
export function appliedSegmentIds(applied: string | null): string[] {
  if (!applied) return [];
  try {
    const value = JSON.parse(applied) as { segmentIds?: unknown };
    return Array.isArray(value.segmentIds) ? value.segmentIds.filter((s): s is string => typeof s === "string") : [];
  } catch {
    return [];
  }
}

/** Segments being deleted (desired null): their deletion may wait for the discounts naming them. */
export async function segmentsBeingDeleted(shop: string): Promise<{ kind: PerkKind; key: string }[]> {
  const rows = await prisma.tierPerk.findMany({ where: { shop, kind: "segment", desired: null }, select: { key: true }, orderBy: { key: "asc" } });
  return rows.map((r) => ({ kind: "segment" as const, key: r.key }));
}

/** The shop's perks not refused, segments first, for the daily renewal (a pending one may have lost its message). */
export async function renewablePerks(shop: string): Promise<{ kind: PerkKind; key: string }[]> {
  const rows = await prisma.tierPerk.findMany({ where: { shop, state: { not: "failed" } }, select: { kind: true, key: true }, orderBy: [{ kind: "desc" }, { key: "asc" }] });
  return rows.map((r) => ({ kind: r.kind === "segment" ? ("segment" as const) : ("discount" as const), key: r.key }));
}
