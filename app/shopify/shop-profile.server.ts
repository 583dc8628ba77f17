import type { AdminGraphql } from "./admin-client.server";
import { runAdminQuery } from "./admin-client.server";
import { ShopProfileSchema, type ShopProfile } from "~/domain/shop-profile";

export const SHOP_PROFILE_QUERY = `#graphql
  query AfterglowShopProfile {
    shop {
      name
      currencyCode
      ianaTimezone
      primaryDomain { host }
    }
  }
`;

/** Reads the shop's name, currency and time zone, which every report is expressed in. */
export async function fetchShopProfile(graphql: AdminGraphql): Promise<ShopProfile> {
  const data = await runAdminQuery<{
    shop: { name: string; currencyCode: string; ianaTimezone: string; primaryDomain: { host: string } | null };
  }>(graphql, SHOP_PROFILE_QUERY);
  return ShopProfileSchema.parse({
    name: data.shop.name,
    currency: data.shop.currencyCode,
    timezone: data.shop.ianaTimezone,
    domain: data.shop.primaryDomain?.host ?? null,
  });
}
