import type { ShopProfile } from "~/domain/shop-profile";
import { getShop, saveShopProfile } from "~/models/shops.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { fetchShopProfile } from "~/shopify/shop-profile.server";

/** The shop's profile, fetched from the Admin API once and then served from our database. */
export async function ensureShopProfile(shop: string, graphql: AdminGraphql): Promise<ShopProfile> {
  const stored = await getShop(shop);
  if (stored?.name && stored.currency && stored.timezone && !stored.uninstalledAt) {
    return { name: stored.name, currency: stored.currency, timezone: stored.timezone, domain: null };
  }
  const profile = await fetchShopProfile(graphql);
  await saveShopProfile(shop, profile);
  return profile;
}
