import type { ThrottleStatus } from "~/domain/admin-cost";
import {
  needsRenewal,
  parsePerkSpec,
  perkEndsAt,
  planPerkChanges,
  sameSpec,
  type DiscountSpec,
  type PerkKind,
  type SegmentSpec,
} from "~/domain/loyalty/perk-discounts";
import { errorName, log } from "~/logger.server";
import { claimPeriodicRun, INSTANCE_ID } from "~/models/jobs.server";
import { enqueueOutboxMany } from "~/models/outbox.server";
import { getShop, installedShops } from "~/models/shops.server";
import {
  appliedSegmentIds,
  discountsNamingSegment,
  findTierPerk,
  listTierPerks,
  lockTierPerks,
  markPerksPending,
  recordPerkApplied,
  recordPerkFailed,
  recordPerkGivenUp,
  recordPlannedPerks,
  renewablePerks,
  removeDeletedPerk,
  segmentIds,
  segmentsBeingDeleted,
  type TierPerkRow,
} from "~/models/tier-perks.server";
import { inTransaction } from "~/models/transaction.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { PermanentAdminError } from "~/shopify/customer-mirror.server";
import {
  createPerkDiscount,
  createSegment,
  deletePerkDiscount,
  deleteSegment,
  markedPerkDiscounts,
  markPerkDiscount,
  perkNodeExists,
  updatePerkDiscount,
  updateSegment,
} from "~/shopify/perk-discounts.server";
import { isShuttingDown } from "./job-runner.server";
import { programFor } from "./loyalty-ledger.server";

/**
 * Tier perks as Shopify automatic discounts (docs/decisions/039-tier-perk-discounts.md).
 *
 * - **Planning** (`queueTierPerks`, after a programme save and in the daily renewal): under the shop's tier-perk lock,
 *   the committed programme is compared with the rows (app/domain/loyalty/perk-discounts.ts); each segment or discount
 *   to create, update or delete is recorded as pending and gets an outbox message `tierPerkSync { kind, key }`, in the
 *   order Shopify must see them (segments, discounts, segments deleted). Per shop, the outbox runs them in that order.
 * - **Syncing** (`runTierPerkSync`, run by the outbox): the message names a row, not a call; the call is decided when
 *   it runs, from the row as it is then (create without an id, update when what was applied differs or the end date is
 *   due for renewal, delete when no longer wanted), so a discount created moments earlier is updated rather than made
 *   twice, and a delay between two saves sends only the newest state. Shopify's refusal (`userErrors`, e.g. the
 *   25-automatic-discount limit) is that perk's failed state with Shopify's text; the message itself is delivered (the
 *   answer is recorded; Retry queues the perk again). Transport failures are retried by the outbox.
 * - **Renewal**: every perk discount ends at most 30 days ahead; once a day (one instance per UTC day) each shop's
 *   plan runs again and every perk not refused is synced, which moves each discount's end on. So perks lapse by
 *   themselves if the app is uninstalled. The rows stay until shop/redact, like the shop's other data: a reinstall
 *   within those 48 hours finds Shopify's ids and updates the same segments and discounts instead of doubling them.
 */

const SYNC = "tierPerkSync" as const;
/** How long the renewal's timer waits between asks (the UTC day is claimed once in the database). */
export const PERK_RENEWAL_CHECK_MS = 60 * 60 * 1000;

const syncMessages = (perks: { kind: PerkKind; key: string }[]) => perks.map((p) => ({ operation: SYNC, variables: { kind: p.kind, key: p.key } }));

/**
 * Plans the shop's perks against its committed programme and queues the syncs, in one transaction under the shop's
 * tier-perk lock. A programme never saved (the default) creates nothing, unless `evenDefault` (the demo shop, whose
 * default programme stands for a saved one). With `renew`, every perk not refused is synced too: a discount's end date
 * moves on, and a perk left pending without its message (the app was uninstalled meanwhile) is settled. Returns the
 * number of syncs queued.
 */
export async function queueTierPerks(shop: string, now = new Date(), options: { renew?: boolean; evenDefault?: boolean } = {}): Promise<number> {
  return inTransaction(async (tx) => {
    const existing = await lockTierPerks(tx, shop);
    const { program, isDefault } = await programFor(tx, shop);
    if (isDefault && existing.length === 0 && !options.evenDefault) return 0;
    const changes = planPerkChanges(program, existing);
    await recordPlannedPerks(tx, shop, changes, now);
    const queued = changes.filter((c) => c.action !== "keep").map(({ kind, key }) => ({ kind, key }));
    if (options.renew) {
      // Read committed: a perk this plan created or changed is queued already. An unchanged segment costs no call.
      for (const perk of await renewablePerks(shop)) {
        if (!queued.some((q) => q.kind === perk.kind && q.key === perk.key)) queued.push(perk);
      }
    }
    await enqueueOutboxMany(tx, shop, syncMessages(queued), now);
    return queued.length;
  });
}

/**
 * The Loyalty page's Retry: the perk is pending again and synced; for a segment, the discounts that list it too (a
 * discount refused for want of its segment). False when the shop has no such perk.
 */
export async function retryTierPerk(shop: string, kind: PerkKind, key: string, now = new Date()): Promise<boolean> {
  const perk = await findTierPerk(shop, kind, key);
  if (!perk) return false;
  const dependants =
    kind === "segment"
      ? (await listTierPerks(shop)).filter((p) => p.kind === "discount" && p.desired && "segments" in p.desired && p.desired.segments.includes(key))
      : [];
  return inTransaction(async (tx) => {
    await lockTierPerks(tx, shop);
    const marked = await markPerksPending(tx, shop, [{ kind, key }, ...dependants.map((d) => ({ kind: d.kind, key: d.key }))], now);
    await enqueueOutboxMany(tx, shop, syncMessages(marked), now);
    return marked.some((m) => m.kind === kind && m.key === key);
  });
}

function syncTarget(variables: Record<string, unknown>): { kind: PerkKind; key: string } | null {
  const { kind, key } = variables;
  return (kind === "segment" || kind === "discount") && typeof key === "string" ? { kind, key } : null;
}

/**
 * Runs one `tierPerkSync` message (the outbox calls this): the call the row needs now, and its outcome recorded.
 * Returns the throttle status of the answer (null when no call was made). Throws what the outbox retries (transport,
 * HTTP, GraphQL errors); a refusal is recorded as the perk's failed state and does not throw.
 */
export async function runTierPerkSync(graphql: AdminGraphql, shop: string, variables: Record<string, unknown>, now: Date): Promise<ThrottleStatus | null> {
  const target = syncTarget(variables);
  if (!target) throw new PermanentAdminError(SYNC, [], "unreadable tier perk sync");
  const row = await findTierPerk(shop, target.kind, target.key);
  if (!row) return null;
  try {
    return row.kind === "segment" ? await syncSegment(graphql, shop, row, now) : await syncDiscount(graphql, shop, row, now);
  } catch (error) {
    if (!(error instanceof PermanentAdminError)) throw error;
    await recordPerkFailed(shop, row, error.message, now);
    log.warn("tier perk refused by Shopify", { shop, kind: row.kind, key: row.key, reason: error.message });
    return null;
  }
}

/** The outbox gave a sync up (attempts exhausted, or an HTTP refusal): its perk shows as failed with the reason. */
export async function tierPerkSyncGaveUp(shop: string, variables: Record<string, unknown>, reason: string, now = new Date()): Promise<void> {
  const target = syncTarget(variables);
  if (target) await recordPerkGivenUp(shop, target.kind, target.key, reason, now);
}

async function syncSegment(graphql: AdminGraphql, shop: string, row: TierPerkRow, now: Date): Promise<ThrottleStatus | null> {
  const spec = row.desired as SegmentSpec | null;
  if (!spec) {
    if (row.shopifyId) {
      // A discount Shopify holds still names it: its update (queued after this) goes first; this waits to be queued again.
      if ((await discountsNamingSegment(shop, row.shopifyId)) > 0) return null;
      const id = row.shopifyId;
      const answer = await unlessGone(graphql, id, () => deleteSegment(graphql, id), async () => ({ id, throttle: null }));
      await removeDeletedPerk(shop, row.id);
      return answer.throttle;
    }
    await removeDeletedPerk(shop, row.id);
    return null;
  }
  const applied = JSON.stringify(spec);
  if (row.shopifyId && sameSpec(parsePerkSpec("segment", row.applied), spec)) {
    await recordPerkApplied(shop, row, { shopifyId: row.shopifyId, applied, endsAt: null }, now);
    return null;
  }
  const id = row.shopifyId;
  const create = () => createSegment(graphql, spec, row.id);
  const answer = id ? await unlessGone(graphql, id, () => updateSegment(graphql, id, spec, row.id), create) : await create();
  await recordPerkApplied(shop, row, { shopifyId: answer.id, applied, endsAt: null }, now);
  return answer.throttle;
}

async function syncDiscount(graphql: AdminGraphql, shop: string, row: TierPerkRow, now: Date): Promise<ThrottleStatus | null> {
  const spec = row.desired as DiscountSpec | null;
  if (!spec) {
    const id = row.shopifyId;
    const answer = id ? await unlessGone(graphql, id, () => deletePerkDiscount(graphql, id), async () => ({ id, throttle: null })) : null;
    await removeDeletedPerk(shop, row.id);
    await requeueSegmentDeletes(shop, now);
    return answer?.throttle ?? null;
  }
  const segments = await segmentIds(shop, spec.segments);
  const missing = spec.segments.filter((key) => !segments.get(key)?.shopifyId);
  if (missing.length) {
    throw new PermanentAdminError(SYNC, [], `The customer segment of ${missing.join(", ")} is not in Shopify yet; retry it first`);
  }
  const ids = spec.segments.map((key) => segments.get(key)!.shopifyId!);
  const held = appliedSegmentIds(row.applied);
  const applied = JSON.stringify({ ...spec, segmentIds: ids });
  const endsAt = perkEndsAt(now);
  if (!row.shopifyId) {
    await removeEarlierPerkDiscounts(graphql, shop);
    const answer = await createPerkDiscount(graphql, spec, ids, now, endsAt);
    await recordPerkApplied(shop, row, { shopifyId: answer.id, applied, endsAt }, now);
    await markCreated(graphql, shop, row, answer.id);
    return answer.throttle;
  }
  const unchanged = sameSpec(parsePerkSpec("discount", row.applied), spec) && JSON.stringify(held) === JSON.stringify(ids);
  if (unchanged && !needsRenewal(row.endsAt, now)) {
    await recordPerkApplied(shop, row, { shopifyId: row.shopifyId, applied, endsAt: row.endsAt }, now);
    return null;
  }
  const segmentChange = { add: ids.filter((id) => !held.includes(id)), remove: held.filter((id) => !ids.includes(id)) };
  const id = row.shopifyId;
  const answer = await unlessGone(
    graphql,
    id,
    () => updatePerkDiscount(graphql, id, spec, segmentChange, endsAt),
    () => createPerkDiscount(graphql, spec, ids, now, endsAt),
  );
  await recordPerkApplied(shop, row, { shopifyId: answer.id, applied, endsAt }, now);
  // Created anew (the merchant had deleted it in the Shopify admin): marked as a new one is.
  if (answer.id !== id) await markCreated(graphql, shop, row, answer.id);
  await requeueSegmentDeletes(shop, now);
  return answer.throttle;
}

/**
 * Marks a discount just created, and recorded, as Afterglow's perk (decision 048). Recorded first, so a failed mark
 * never leads to a second discount; a mark that fails is logged and the discount stays unmarked (it still ends within
 * 30 days unless the app renews it).
 */
async function markCreated(graphql: AdminGraphql, shop: string, row: TierPerkRow, id: string): Promise<void> {
  try {
    await markPerkDiscount(graphql, id, row.key);
  } catch (error) {
    log.warn("tier perk discount not marked", { shop, key: row.key, id, error: errorName(error) });
  }
}

/**
 * Before the first perk discount of an install (no discount row of the shop holds a Shopify id: a new install, or a
 * reinstall after shop/redact deleted the rows), the discounts an earlier install marked and Shopify still holds are
 * deleted, so the new ones do not stack on them: those created before this install began (a discount this install
 * created, even one whose row is not written yet, is never touched), and not held by a row.
 */
async function removeEarlierPerkDiscounts(graphql: AdminGraphql, shop: string): Promise<void> {
  const rows = await listTierPerks(shop);
  if (rows.some((r) => r.kind === "discount" && r.shopifyId)) return;
  const installedAt = (await getShop(shop))?.installedAt;
  if (!installedAt) return;
  const held = new Set(rows.flatMap((r) => (r.shopifyId ? [r.shopifyId] : [])));
  for (const earlier of await markedPerkDiscounts(graphql)) {
    if (held.has(earlier.id) || !earlier.createdAt || earlier.createdAt >= installedAt) continue;
    const { id } = earlier;
    await unlessGone(graphql, id, () => deletePerkDiscount(graphql, id), async () => ({ id, throttle: null }));
    log.info("tier perk discount of an earlier install deleted", { shop, key: earlier.key, id });
  }
}

/**
 * Runs `call` on what Shopify holds under `id`. When Shopify refuses it and no longer holds `id` (the merchant deleted
 * it in the Shopify admin), runs `instead`: an update becomes a create, a delete is done. Any other refusal stands
 * (a discount being edited, the 25-discount limit), so Retry does not create a second copy of something that exists.
 */
async function unlessGone<T>(graphql: AdminGraphql, id: string, call: () => Promise<T>, instead: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof PermanentAdminError) || (await perkNodeExists(graphql, id))) throw error;
    return instead();
  }
}

/** Segments whose deletion waited for this discount's change are queued again (a second sync of one is a no-op). */
async function requeueSegmentDeletes(shop: string, now: Date): Promise<void> {
  const waiting = await segmentsBeingDeleted(shop);
  if (waiting.length) await inTransaction((tx) => enqueueOutboxMany(tx, shop, syncMessages(waiting), now));
}

/**
 * The daily renewal over every installed shop, by the one caller that claims the UTC day of `now`; false when another
 * had. A shop that fails is logged and the others go on.
 */
export async function renewTierPerksAllShops(now = new Date(), owner = INSTANCE_ID): Promise<boolean> {
  if (!(await claimPeriodicRun("tier perk renewal", now.toISOString().slice(0, 10), now, owner))) return false;
  for (const shop of await installedShops()) {
    if (isShuttingDown()) break;
    try {
      const queued = await queueTierPerks(shop, now, { renew: true });
      if (queued) log.info("tier perks renewed", { shop, queued });
    } catch (error) {
      log.error("tier perk renewal failed", { shop, error: errorName(error) });
    }
  }
  return true;
}

/** What the Loyalty page shows of one perk. */
interface TierPerkView {
  kind: PerkKind;
  key: string;
  /** The segment's name or the discount's title. */
  label: string;
  /** For a discount: the tiers (their segment names) it is for. */
  tiers: string[];
  state: "pending" | "active" | "failed" | "removing";
  reason: string | null;
  endsAt: string | null;
}

/** The shop's perks in Shopify, for the Loyalty page: discounts first, then segments. */
export async function tierPerksOverview(shop: string): Promise<TierPerkView[]> {
  const rows = await listTierPerks(shop);
  const segmentName = new Map(rows.filter((r) => r.kind === "segment").map((r) => [r.key, (r.desired as SegmentSpec | null)?.name ?? r.key]));
  const view = (r: TierPerkRow): TierPerkView => {
    const spec = r.desired ?? parsePerkSpec(r.kind, r.applied);
    const label = spec ? ("title" in spec ? spec.title : spec.name) : r.key;
    const tiers = spec && "segments" in spec ? spec.segments.map((k) => segmentName.get(k) ?? k) : [];
    // A removal Shopify refused shows as failed (with Retry), not as removing forever.
    const state = r.desired || r.state === "failed" ? r.state : "removing";
    return { kind: r.kind, key: r.key, label, tiers, state, reason: r.reason, endsAt: r.endsAt?.toISOString() ?? null };
  };
  return [...rows.filter((r) => r.kind === "discount"), ...rows.filter((r) => r.kind === "segment")].map(view);
}
