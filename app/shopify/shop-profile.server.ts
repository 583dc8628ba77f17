import type { AdminGraphql } from "./admin-client.server";
import { runAdminQuery } from "./admin-client.server";
import { localeTag, ShopProfileSchema, shopGidDigits, type ShopProfile } from "~/domain/shop-profile";

const SHOP_PROFILE_QUERY = `#graphql
  query AfterglowShopProfile {
    shop {
      id
      name
      currencyCode
      ianaTimezone
      updatedAt
      primaryDomain { host localization { defaultLocale } }
    }
  }
`;

/**
 * Reads the shop's id, name, currency and time zone, which every report is expressed in, and its language: the default
 * locale of its primary domain (`Domain.localization`, which needs no scope, unlike `shopLocales`: decision 049).
 */
export async function fetchShopProfile(graphql: AdminGraphql): Promise<ShopProfile> {
  const data = await runAdminQuery<{
    shop: {
      id?: string;
      name: string;
      currencyCode: string;
      ianaTimezone: string;
      updatedAt?: string;
      primaryDomain: { host: string; localization?: { defaultLocale?: string } | null } | null;
    };
  }>(graphql, SHOP_PROFILE_QUERY);
  return ShopProfileSchema.parse({
    name: data.shop.name,
    currency: data.shop.currencyCode,
    timezone: data.shop.ianaTimezone,
    domain: data.shop.primaryDomain?.host ?? null,
    shopifyId: shopGidDigits(data.shop.id),
    updatedAt: data.shop.updatedAt ? new Date(data.shop.updatedAt) : null,
    locale: localeTag(data.shop.primaryDomain?.localization?.defaultLocale),
  });
}
