import type { AdminGraphql } from "./admin-client.server";
import { runAdminQuery } from "./admin-client.server";
import { ShopProfileSchema, shopGidDigits, type ShopProfile } from "~/domain/shop-profile";

const SHOP_PROFILE_QUERY = `#graphql
  query AfterglowShopProfile {
    shop {
      id
      name
      currencyCode
      ianaTimezone
      updatedAt
      primaryDomain { host }
    }
  }
`;

/** Reads the shop's id, name, currency and time zone, which every report is expressed in. */
export async function fetchShopProfile(graphql: AdminGraphql): Promise<ShopProfile> {
  const data = await runAdminQuery<{
    shop: { id?: string; name: string; currencyCode: string; ianaTimezone: string; updatedAt?: string; primaryDomain: { host: string } | null };
  }>(graphql, SHOP_PROFILE_QUERY);
  return ShopProfileSchema.parse({
    name: data.shop.name,
    currency: data.shop.currencyCode,
    timezone: data.shop.ianaTimezone,
    domain: data.shop.primaryDomain?.host ?? null,
    shopifyId: shopGidDigits(data.shop.id),
    updatedAt: data.shop.updatedAt ? new Date(data.shop.updatedAt) : null,
  });
}
