import { deleteSessionsForShop, updateSessionScopes } from "~/models/sessions.server";
import { markShopUninstalled } from "~/models/shops.server";

/** app/uninstalled: the shop's access tokens are void, so its sessions go. Safe to apply twice. */
export async function handleAppUninstalled(shop: string, at = new Date()) {
  const sessions = await deleteSessionsForShop(shop);
  await markShopUninstalled(shop, at);
  return { sessionsDeleted: sessions };
}

/** app/scopes_update: keep the stored session's scope in step with what the merchant granted. */
export async function handleScopesUpdate(shop: string, sessionId: string | undefined, granted: unknown) {
  if (!sessionId) return { updated: 0 };
  const scopes = Array.isArray(granted) ? granted.filter((s): s is string => typeof s === "string") : [];
  return { updated: await updateSessionScopes(shop, sessionId, scopes.join(",")) };
}
