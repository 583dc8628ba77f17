import { prisma, readSql } from "~/db.server";
import type { SqlTx } from "./transaction.server";

/**
 * Which Shopify Flow triggers each shop uses (FlowTriggerUse), as Flow's trigger lifecycle callback says: a trigger is
 * queued only while an enabled workflow of the shop uses it, so idle triggers cost no Admin API calls. Every function
 * takes `shop` first and scopes its query by it.
 */

/**
 * Records a lifecycle callback: the shop's use of `handle` as of `callbackAt`. The version guard is in the statement:
 * a callback older than, or as old as, the stored one changes nothing (Flow's callbacks may repeat or cross), and two
 * callbacks at once cannot both win. Returns whether the row changed.
 */
export async function recordFlowTriggerUse(shop: string, handle: string, enabled: boolean, callbackAt: Date, now: Date): Promise<boolean> {
  const changed = await prisma.$executeRaw`
    INSERT INTO "FlowTriggerUse" ("shop", "handle", "enabled", "callbackAt", "updatedAt")
    VALUES (${shop}, ${handle}, ${enabled}, ${callbackAt}, ${now})
    ON CONFLICT ("shop", "handle") DO UPDATE SET "enabled" = excluded."enabled", "callbackAt" = excluded."callbackAt", "updatedAt" = excluded."updatedAt"
    WHERE "FlowTriggerUse"."callbackAt" < excluded."callbackAt"`;
  return changed > 0;
}

/** Whether an enabled workflow of `shop` uses trigger `handle`, read inside the caller's transaction (the event's). */
export async function isFlowTriggerEnabled(tx: SqlTx, shop: string, handle: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ enabled: boolean }[]>`
    SELECT "enabled" FROM "FlowTriggerUse" WHERE "shop" = ${shop} AND "handle" = ${handle}`;
  return rows[0]?.enabled === true;
}

/**
 * Whether `shop` has the app installed now, for a callback that names it: an offline session (the install's; app/uninstalled
 * deletes it) and no uninstall recorded; with Shopify's numeric id of the shop when stored.
 */
export async function flowShop(shop: string): Promise<{ installed: boolean; shopifyId: string | null }> {
  const [row] = await readSql().$queryRaw<{ installed: boolean; shopifyId: string | null }[]>`
    SELECT (EXISTS (SELECT 1 FROM "Session" WHERE "shop" = ${shop}::text AND NOT "isOnline") AND s."uninstalledAt" IS NULL) AS "installed",
      s."shopifyId"
    FROM (SELECT ${shop}::text AS "shop") AS q LEFT JOIN "Shop" s ON s."shop" = q."shop"`;
  return { installed: row?.installed ?? false, shopifyId: row?.shopifyId ?? null };
}

/** shop/redact: the shop's rows. Returns how many were deleted. */
export async function deleteFlowTriggerUses(shop: string): Promise<number> {
  const { count } = await prisma.flowTriggerUse.deleteMany({ where: { shop } });
  return count;
}

/** The shop's trigger uses as Flow last said them (the Flow page). */
export async function flowTriggerUses(shop: string): Promise<{ handle: string; enabled: boolean; callbackAt: Date }[]> {
  return readSql().$queryRaw`
    SELECT "handle", "enabled", "callbackAt" FROM "FlowTriggerUse" WHERE "shop" = ${shop} ORDER BY "handle"`;
}

/** A trigger send as the Flow page shows it: its outbox message. */
interface FlowTriggerSend {
  id: number;
  handle: string | null;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/**
 * The shop's `flowTriggerReceive` messages: counts by status and the newest `limit`, in two statements on the partial
 * index "OutboxMessage_shop_flow_idx" (shop, id) WHERE operation = 'flowTriggerReceive'.
 */
export async function flowTriggerSends(shop: string, limit: number): Promise<{ counts: Record<string, number>; recent: FlowTriggerSend[] }> {
  const [counts, recent] = await Promise.all([
    readSql().$queryRaw<{ status: string; n: unknown }[]>`
      SELECT "status", COUNT(*) AS "n" FROM "OutboxMessage" WHERE "shop" = ${shop} AND "operation" = 'flowTriggerReceive' GROUP BY "status"`,
    readSql().$queryRaw<FlowTriggerSend[]>`
      SELECT "id", "variables"::jsonb ->> 'handle' AS "handle", "status", "attempts", "lastError", "createdAt", "deliveredAt"
      FROM "OutboxMessage" WHERE "shop" = ${shop} AND "operation" = 'flowTriggerReceive'
      ORDER BY "id" DESC LIMIT ${limit}`,
  ]);
  return { counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])), recent };
}

/** Whether message `id` of `shop` is a failed Flow trigger send (the Flow page retries only those). */
export async function isFailedFlowTriggerSend(shop: string, id: number): Promise<boolean> {
  const [row] = await readSql().$queryRaw<{ ok: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "OutboxMessage" WHERE "shop" = ${shop} AND "id" = ${id} AND "operation" = 'flowTriggerReceive' AND "status" = 'failed') AS "ok"`;
  return row?.ok === true;
}
