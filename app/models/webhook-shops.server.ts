import { readSql } from "~/db.server";

interface WebhookShop {
  /** The shop has installed Afterglow: a stored session, or a Shop row (kept after an uninstall until shop/redact). */
  known: boolean;
  /** Shopify's numeric id of the shop, when stored (bodies naming the shop by id are compared with it). */
  shopifyId: string | null;
}

/**
 * What a queue-delivered webhook needs to know about the shop it names, in one read: whether the shop is one of
 * Afterglow's, and its stored id. Over HTTP, the HMAC with the app secret proves the delivery is for this app; a
 * Pub/Sub message carries no such proof (docs/decisions/026-pubsub-consumer.md), so the shop must be known.
 */
export async function webhookShop(shop: string): Promise<WebhookShop> {
  const [row] = await readSql().$queryRaw<{ known: boolean; shopifyId: string | null }[]>`
    SELECT (s."shop" IS NOT NULL OR EXISTS (SELECT 1 FROM "Session" WHERE "shop" = ${shop}::text)) AS "known", s."shopifyId"
    FROM (SELECT ${shop}::text AS "shop") AS q LEFT JOIN "Shop" s ON s."shop" = q."shop"`;
  return { known: row?.known ?? false, shopifyId: row?.shopifyId ?? null };
}
