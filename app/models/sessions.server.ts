import { prisma } from "~/db.server";
import { forgetShopSessions } from "./session-cache.server";

/** Deletes every stored session (online and offline) of `shop`. Returns how many were removed. */
export async function deleteSessionsForShop(shop: string): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { shop } });
  forgetShopSessions(shop);
  return count;
}

export async function updateSessionScopes(shop: string, sessionId: string, scope: string): Promise<number> {
  const { count } = await prisma.session.updateMany({ where: { shop, id: sessionId }, data: { scope } });
  forgetShopSessions(shop);
  return count;
}
