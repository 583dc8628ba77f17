import { prisma, readSql } from "~/db.server";
import type { ShopProfileInput } from "~/domain/shop-profile";
import type { SqlTx } from "./transaction.server";

interface ShopRow {
  shop: string;
  name: string | null;
  currency: string | null;
  timezone: string | null;
  shopifyId: string | null;
  primaryLocale: string | null;
  installedAt: Date;
  uninstalledAt: Date | null;
  updatedAt: Date;
}

/** The shop's row, read on the read connection (every admin page and the outbox worker ask for it). */
export async function getShop(shop: string): Promise<ShopRow | null> {
  const [row] = await readSql().$queryRaw<ShopRow[]>`
    SELECT "shop", "name", "currency", "timezone", "shopifyId", "primaryLocale", "installedAt", "uninstalledAt", "updatedAt" FROM "Shop" WHERE "shop" = ${shop}`;
  return row ?? null;
}

/** The shop's numeric Shopify id, when known (webhooks whose signed body names the shop by id are compared with it). */
export async function getShopifyId(shop: string): Promise<string | null> {
  const [row] = await readSql().$queryRaw<{ shopifyId: string | null }[]>`SELECT "shopifyId" FROM "Shop" WHERE "shop" = ${shop}`;
  return row?.shopifyId ?? null;
}

/**
 * Stores the profile fetched from the Admin API (the shop is installed: uninstalledAt cleared, and the row's
 * `updatedAt` says when it was last checked). The id, language and Shopify's updated_at are kept when the fetch did not say.
 * The version guard is in the statement, as for shop/update: a fetched profile older (by Shopify's updated_at) than
 * the stored one leaves name, currency, time zone and id as they are.
 */
export async function saveShopProfile(shop: string, profile: ShopProfileInput): Promise<void> {
  const now = new Date();
  await prisma.$executeRaw`
    INSERT INTO "Shop" ("shop", "name", "currency", "timezone", "shopifyId", "profileUpdatedAt", "primaryLocale", "installedAt", "uninstalledAt", "updatedAt")
    VALUES (${shop}, ${profile.name}, ${profile.currency}, ${profile.timezone}, ${profile.shopifyId ?? null}, ${profile.updatedAt ?? null},
      ${profile.locale ?? null}, ${now}, NULL, ${now})
    ON CONFLICT ("shop") DO UPDATE SET
      -- (excluded < stored) is NULL, so the fetch wins, when either side does not know Shopify's updated_at.
      "name" = CASE WHEN excluded."profileUpdatedAt" < "Shop"."profileUpdatedAt" THEN "Shop"."name" ELSE excluded."name" END,
      "currency" = CASE WHEN excluded."profileUpdatedAt" < "Shop"."profileUpdatedAt" THEN "Shop"."currency" ELSE excluded."currency" END,
      "timezone" = CASE WHEN excluded."profileUpdatedAt" < "Shop"."profileUpdatedAt" THEN "Shop"."timezone" ELSE excluded."timezone" END,
      "shopifyId" = CASE WHEN excluded."profileUpdatedAt" < "Shop"."profileUpdatedAt" THEN "Shop"."shopifyId"
                         ELSE COALESCE(excluded."shopifyId", "Shop"."shopifyId") END,
      "primaryLocale" = CASE WHEN excluded."profileUpdatedAt" < "Shop"."profileUpdatedAt" THEN "Shop"."primaryLocale"
                             ELSE COALESCE(excluded."primaryLocale", "Shop"."primaryLocale") END,
      "profileUpdatedAt" = GREATEST(excluded."profileUpdatedAt", "Shop"."profileUpdatedAt"),
      "uninstalledAt" = NULL,
      "updatedAt" = excluded."updatedAt"`;
}

interface ShopUpdate {
  name: string;
  currency: string;
  /** Null when the delivery does not say (Shopify's sample has `"iana_timezone": null`): the stored one is kept. */
  timezone: string | null;
  /** `primary_locale`; null when the delivery does not say: the stored one is kept. */
  locale: string | null;
  shopifyId: string;
  /** Shopify's updated_at; null when the delivery does not say. */
  updatedAt: Date | null;
}

/**
 * shop/update, inside the caller's transaction: writes the profile unless a newer one is stored. The version guard is
 * in the statement (many instances): a delivery with an updated_at older than the stored one changes nothing; one
 * without updated_at only fills a profile that has none. Returns false when it was older.
 */
export async function applyShopUpdate(tx: SqlTx, shop: string, update: ShopUpdate): Promise<boolean> {
  const now = new Date();
  const written = await tx.$executeRaw`
    INSERT INTO "Shop" ("shop", "name", "currency", "timezone", "shopifyId", "profileUpdatedAt", "primaryLocale", "installedAt", "updatedAt")
    VALUES (${shop}, ${update.name}, ${update.currency}, ${update.timezone}, ${update.shopifyId}, ${update.updatedAt}, ${update.locale}, ${now}, ${now})
    ON CONFLICT ("shop") DO UPDATE SET
      "name" = excluded."name",
      "currency" = excluded."currency",
      "timezone" = COALESCE(excluded."timezone", "Shop"."timezone"),
      "primaryLocale" = COALESCE(excluded."primaryLocale", "Shop"."primaryLocale"),
      "shopifyId" = excluded."shopifyId",
      "profileUpdatedAt" = COALESCE(excluded."profileUpdatedAt", "Shop"."profileUpdatedAt"),
      "updatedAt" = excluded."updatedAt"
    WHERE "Shop"."profileUpdatedAt" IS NULL
       OR (excluded."profileUpdatedAt" IS NOT NULL AND excluded."profileUpdatedAt" >= "Shop"."profileUpdatedAt")`;
  return written === 1;
}

/**
 * Records the uninstall, also for a shop whose profile was never fetched (the outbox worker reads it to stop the
 * shop's deliveries). A repeat keeps the first time: applying app/uninstalled twice changes nothing.
 */
export async function markShopUninstalled(shop: string, at: Date) {
  await prisma.$executeRaw`
    INSERT INTO "Shop" ("shop", "installedAt", "uninstalledAt", "updatedAt") VALUES (${shop}, ${at}, ${at}, ${at})
    ON CONFLICT ("shop") DO UPDATE SET "uninstalledAt" = excluded."uninstalledAt", "updatedAt" = excluded."updatedAt"
    WHERE "Shop"."uninstalledAt" IS NULL`;
}

/** The shop's language (decision 049), e.g. "fr"; null while neither the profile fetch nor shop/update said. */
export async function getShopLocale(shop: string): Promise<string | null> {
  const [row] = await readSql().$queryRaw<{ primaryLocale: string | null }[]>`SELECT "primaryLocale" FROM "Shop" WHERE "shop" = ${shop}`;
  return row?.primaryLocale ?? null;
}

/** Shops that have the app installed (the daily sweep's list; not scoped, by nature). */
export async function installedShops(): Promise<string[]> {
  const rows = await prisma.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true } });
  return rows.map((r) => r.shop);
}
