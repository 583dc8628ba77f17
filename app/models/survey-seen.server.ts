import { prisma } from "~/db.server";

/**
 * SurveySeen: the survey was shown for an order on a surface (decision 041), once per order and surface. Every
 * function takes `shop` first and scopes every statement by it. shop/redact deletes the shop's rows with the rest of
 * its data (models/privacy.server.ts `deleteShopData`).
 */

/** Records that the survey was shown; a repeat changes nothing (the first time stays). Returns whether it was new. */
export async function recordSurveySeen(shop: string, orderId: string, surface: string, now: Date): Promise<boolean> {
  const inserted = await prisma.$executeRaw`
    INSERT INTO "SurveySeen" ("shop", "orderId", "surface", "seenAt") VALUES (${shop}, ${orderId}, ${surface}, ${now})
    ON CONFLICT ("shop", "orderId", "surface") DO NOTHING`;
  return inserted > 0;
}
