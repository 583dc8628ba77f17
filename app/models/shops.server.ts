import { prisma, readSql } from "~/db.server";
import type { ShopProfile } from "~/domain/shop-profile";

export interface ShopRow {
  shop: string;
  name: string | null;
  currency: string | null;
  timezone: string | null;
  installedAt: Date;
  uninstalledAt: Date | null;
  updatedAt: Date;
}

/** The shop's row, read on the read connection (every admin page and the outbox worker ask for it). */
export async function getShop(shop: string): Promise<ShopRow | null> {
  const [row] = await readSql().$queryRaw<ShopRow[]>`
    SELECT "shop", "name", "currency", "timezone", "installedAt", "uninstalledAt", "updatedAt" FROM "Shop" WHERE "shop" = ${shop}`;
  return row ?? null;
}

export async function saveShopProfile(shop: string, profile: ShopProfile) {
  const data = { name: profile.name, currency: profile.currency, timezone: profile.timezone, uninstalledAt: null };
  return prisma.shop.upsert({ where: { shop }, create: { shop, ...data }, update: data });
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

/** Shops that have the app installed (the daily sweep's list; not scoped, by nature). */
export async function installedShops(): Promise<string[]> {
  const rows = await prisma.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true } });
  return rows.map((r) => r.shop);
}
