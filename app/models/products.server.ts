import type { ProductFacts } from "~/domain/products/product-payload";
import type { SqlTx } from "./transaction.server";

/**
 * Products as the products webhooks describe them (raw statements: they run in the webhook group commit,
 * docs/decisions/012-webhook-hot-path.md). Only the title and tags are kept: tags decide final-sale exceptions.
 */

/** Stores a product version unless a newer one (by Shopify's updated_at) is stored. False when it was stale. */
export async function upsertProductIfNewer(tx: SqlTx, shop: string, product: ProductFacts): Promise<boolean> {
  const written = await tx.$executeRaw`
    INSERT INTO "Product" ("shop", "id", "title", "tags", "shopifyUpdatedAt")
    VALUES (${shop}, ${product.id}, ${product.title}, ${JSON.stringify(product.tags)}, ${product.updatedAt})
    ON CONFLICT ("shop", "id") DO UPDATE SET
      "title" = excluded."title", "tags" = excluded."tags", "shopifyUpdatedAt" = excluded."shopifyUpdatedAt"
    WHERE excluded."shopifyUpdatedAt" >= "Product"."shopifyUpdatedAt"`;
  return written === 1;
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
