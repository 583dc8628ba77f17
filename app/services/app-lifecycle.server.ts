import { log } from "~/logger.server";
import { latestJob } from "~/models/jobs.server";
import { failPendingMessages } from "~/models/outbox.server";
import { deleteSessionsForShop, updateSessionScopes } from "~/models/sessions.server";
import { getShop, markShopUninstalled } from "~/models/shops.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { startOrderImport } from "./order-import.server";

const UNINSTALLED_REASON = "shop uninstalled";

/**
 * app/uninstalled: the shop's access tokens are void, so its sessions go; the shop is marked uninstalled and its
 * pending Admin API calls are stopped (kept as failed, with the reason, in case the merchant reinstalls). The data
 * stays until shop/redact, 48 hours later. Safe to apply twice: a repeat changes nothing.
 */
export async function handleAppUninstalled(shop: string) {
  const at = new Date();
  const sessionsDeleted = await deleteSessionsForShop(shop);
  await markShopUninstalled(shop, at);
  const outboxStopped = await failPendingMessages(shop, UNINSTALLED_REASON);
  log.info("shop uninstalled", { shop, sessionsDeleted, outboxStopped });
  return "uninstalled";
}

/** app/scopes_update: keep the stored session's scope in step with what the merchant granted. */
export async function handleScopesUpdate(shop: string, sessionId: string | undefined, granted: unknown) {
  if (!sessionId) return { updated: 0 };
  const scopes = Array.isArray(granted) ? granted.filter((s): s is string => typeof s === "string") : [];
  return { updated: await updateSessionScopes(shop, sessionId, scopes.join(",")) };
}

/**
 * After a token exchange (app/shopify.server.ts): a (re)install imports the shop's past orders. With online tokens the
 * library exchanges at every staff member's first visit and daily renewal too (decision 049), so an exchange counts as
 * an install only when no import was started since the shop's last uninstall (or ever): a colleague's first visit or
 * a renewal starts nothing. `graphql` is the shop's offline client.
 */
export async function importAfterInstall(shop: string, graphql: AdminGraphql) {
  const [last, stored] = await Promise.all([latestJob(shop, "order-import"), getShop(shop)]);
  const uninstalledSince = last && stored?.uninstalledAt && stored.uninstalledAt > last.startedAt;
  if (last && !uninstalledSince) return { started: false };
  return startOrderImport(shop, { graphql });
}
