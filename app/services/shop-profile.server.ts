import { InvalidPayloadError } from "~/domain/payload-error";
import { parseShopUpdatePayload, type ShopProfile } from "~/domain/shop-profile";
import { log } from "~/logger.server";
import { shopDisplaySettings as storedDisplaySettings } from "~/models/customer-queries.server";
import { claimWebhookDelivery } from "~/models/orders.server";
import { applyShopUpdate, getShop, saveShopProfile } from "~/models/shops.server";
import { inTransaction } from "~/models/transaction.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { fetchShopProfile } from "~/shopify/shop-profile.server";

/** The shop's profile, the only path to its currency and time zone (one module: display reads the stored profile). */

const FALLBACK_CURRENCY = "USD";
const FALLBACK_TIMEZONE = "UTC";

/** The shop's currency and time zone for display (fallbacks: USD, UTC). */
export async function shopDisplay(shop: string): Promise<{ currency: string; timezone: string }> {
  const settings = await storedDisplaySettings(shop);
  return { currency: settings.currency ?? FALLBACK_CURRENCY, timezone: settings.timezone ?? FALLBACK_TIMEZONE };
}

/**
 * The shop's currency (its stored profile's, else its latest order's) and time zone without fallbacks: null for a
 * shop we know nothing about yet, for output that must not invent a currency (the answers CSV).
 */
export function shopDisplaySettings(shop: string): Promise<{ currency: string | null; timezone: string | null }> {
  return storedDisplaySettings(shop);
}

/**
 * How long a stored profile is served without asking Shopify again. shop/update keeps it current; the refetch is the
 * safety net for a delivery lost for good (Shopify gives up after 8 retries), so a missed change lasts a day at most.
 */
export const PROFILE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** The shop's profile: from our database while it is complete and younger than PROFILE_MAX_AGE_MS, else from the Admin API. */
export async function ensureShopProfile(shop: string, graphql: AdminGraphql, now = new Date()): Promise<ShopProfile> {
  const stored = await getShop(shop);
  const fresh = stored && now.getTime() - stored.updatedAt.getTime() < PROFILE_MAX_AGE_MS;
  if (stored?.name && stored.currency && stored.timezone && !stored.uninstalledAt && fresh) {
    return { name: stored.name, currency: stored.currency, timezone: stored.timezone, domain: null, shopifyId: stored.shopifyId, updatedAt: null, locale: stored.primaryLocale };
  }
  const profile = await fetchShopProfile(graphql);
  await saveShopProfile(shop, profile);
  return profile;
}

/**
 * shop/update: the stored profile follows the shop (name, currency, time zone, Shopify's id). Figures already stored
 * keep their own currency (every order carries it); days are labelled in the new time zone from then on. Applied once
 * per webhook id, and never over a newer profile (Shopify's updated_at).
 */
export async function applyShopUpdateWebhook({ shop, webhookId, payload }: { shop: string; webhookId: string; payload: unknown }) {
  const parsed = parseShopUpdatePayload(payload);
  if (!parsed.ok) throw new InvalidPayloadError(parsed.reason);
  const outcome = await inTransaction(async (tx) => {
    if (!(await claimWebhookDelivery(tx, shop, webhookId, "shop/update"))) return "repeat";
    return (await applyShopUpdate(tx, shop, parsed.value)) ? "updated" : "stale";
  });
  log.info("shop profile update", { shop, webhookId, outcome });
  return outcome;
}
