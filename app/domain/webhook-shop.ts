/**
 * The X-Shopify-Shop-Domain header is outside the HMAC: anyone holding one signed delivery could resend it naming
 * another shop. Where the signed body itself names the shop, the two must agree. This table says, per topic, which
 * body fields name the shop: its myshopify domain and/or its numeric id (compared with the id stored for the shop,
 * once known). A topic not listed names no shop in its body (orders, refunds, products): nothing to compare.
 * A field that is absent or null (Shopify's own app/uninstalled sample has `"myshopify_domain": null`) is not compared.
 */
export const SHOP_NAMING_FIELDS: Readonly<Record<string, { domain?: string; id?: string }>> = {
  "customers/data_request": { domain: "shop_domain", id: "shop_id" },
  "customers/redact": { domain: "shop_domain", id: "shop_id" },
  "shop/redact": { domain: "shop_domain", id: "shop_id" },
  // `domain` in these is the shop's custom domain, not its myshopify domain: never compared.
  "app/uninstalled": { domain: "myshopify_domain", id: "id" },
  "shop/update": { domain: "myshopify_domain", id: "id" },
  // A GID: "gid://shopify/Shop/548380009".
  "app/scopes_update": { id: "shop_id" },
};

/** A shop id as Shopify writes it (number, digit string or Shop GID) as its digits; null when it is none of those. */
export function shopIdDigits(value: unknown): string | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  if (typeof value !== "string") return null;
  const digits = value.startsWith("gid://shopify/Shop/") ? value.slice("gid://shopify/Shop/".length) : value;
  return /^[1-9]\d{0,19}$/.test(digits) ? digits : null;
}

type ShopAgreement = { ok: true } | { ok: false; reason: string };

/**
 * Whether the signed body agrees with the header's shop. `storedShopId`: the shop's numeric id as stored (null when
 * not known yet: the id is then not compared). `needsStoredShopId` tells the caller whether to look it up at all.
 */
export function shopNamedByBody(topic: string, payload: unknown, headerShop: string, storedShopId: string | null): ShopAgreement {
  const rule = SHOP_NAMING_FIELDS[topic];
  if (!rule || payload === null || typeof payload !== "object") return { ok: true };
  const body = payload as Record<string, unknown>;
  if (rule.domain) {
    const named = body[rule.domain];
    if (named !== undefined && named !== null) {
      if (typeof named !== "string" || named.toLowerCase() !== headerShop.toLowerCase()) {
        return { ok: false, reason: `${rule.domain} does not match X-Shopify-Shop-Domain` };
      }
    }
  }
  if (rule.id && storedShopId !== null) {
    const named = body[rule.id];
    if (named !== undefined && named !== null && shopIdDigits(named) !== storedShopId) {
      return { ok: false, reason: `${rule.id} does not match the shop's id` };
    }
  }
  return { ok: true };
}

/** True when the topic's body can name the shop by id, i.e. the stored id is worth looking up. */
export function needsStoredShopId(topic: string, payload: unknown): boolean {
  const field = SHOP_NAMING_FIELDS[topic]?.id;
  return field !== undefined && payload !== null && typeof payload === "object" && (payload as Record<string, unknown>)[field] != null;
}
