import type { ProductFacts } from "~/domain/products/product-payload";
import type { SqlTx } from "./transaction.server";

/**
 * Products as the products webhooks describe them (raw statements: they run in the webhook group commit,
 * docs/decisions/012-webhook-hot-path.md). Only the title and tags are kept: tags decide final-sale exceptions.
 */

/**
 * A products/create or products/update delivery in one statement: claims webhook `webhookId` (as
 * `claimWebhookDelivery`) and, only when the claim is new, stores the version unless a newer one is stored (the
 * guard is the upsert's `WHERE`, so the newest version wins when two transactions race).
 */
export async function claimAndUpsertProduct(
  tx: SqlTx,
  shop: string,
  webhookId: string,
  topic: string,
  product: ProductFacts,
): Promise<"written" | "stale" | "duplicate"> {
  const [row] = await tx.$queryRaw<{ claimed: boolean; written: unknown }[]>`
    WITH "claim" AS (
      INSERT INTO "WebhookDelivery" ("shop", "webhookId", "topic", "receivedAt")
      VALUES (${shop}, ${webhookId}, ${topic}, ${new Date()})
      ON CONFLICT ("shop", "webhookId") DO NOTHING
      RETURNING 1
    ), "product" AS (
      INSERT INTO "Product" ("shop", "id", "title", "tags", "shopifyUpdatedAt")
      SELECT ${shop}::text, ${product.id}::text, ${product.title}::text, ${JSON.stringify(product.tags)}::text, ${product.updatedAt}::timestamptz
      FROM "claim"
      ON CONFLICT ("shop", "id") DO UPDATE SET
        "title" = excluded."title", "tags" = excluded."tags", "shopifyUpdatedAt" = excluded."shopifyUpdatedAt"
      WHERE excluded."shopifyUpdatedAt" >= "Product"."shopifyUpdatedAt"
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM "claim") AS "claimed", (SELECT count(*) FROM "product") AS "written"`;
  if (!row?.claimed) return "duplicate";
  return Number(row.written) > 0 ? "written" : "stale";
}

/**
 * Marks a product deleted, keeping its title and tags (orders of it are still judged by them). A deletion that
 * arrives before any version of the product leaves a tombstone dated at the epoch, so the late versions fill in the
 * title and tags but never bring it back. Shopify never reuses a product id, so a deleted product stays deleted.
 */
export async function markProductDeleted(tx: SqlTx, shop: string, productId: string, at: Date): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "Product" ("shop", "id", "title", "tags", "shopifyUpdatedAt", "deletedAt")
    VALUES (${shop}, ${productId}, '', '[]', ${new Date(0)}, ${at})
    ON CONFLICT ("shop", "id") DO UPDATE SET "deletedAt" = COALESCE("Product"."deletedAt", excluded."deletedAt")`;
}
