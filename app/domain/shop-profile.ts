import { z } from "zod";

/** What Afterglow needs to know about a shop to express its figures (name, currency, time zone) and speak its language. */
export const ShopProfileSchema = z.object({
  name: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code"),
  timezone: z.string().min(1),
  domain: z.string().nullable(),
  /** Shopify's numeric shop id, exact digits; null when the source did not say. */
  shopifyId: z.string().regex(/^\d{1,20}$/).nullable().default(null),
  /** When Shopify last changed the shop (its `updated_at`); null when the source did not say. */
  updatedAt: z.date().nullable().default(null),
  /** The shop's language (decision 049), e.g. "fr" or "pt-BR"; null when the source did not say. */
  locale: z.string().nullable().default(null),
});

export type ShopProfile = z.infer<typeof ShopProfileSchema>;
/** A profile to store: the id and Shopify's updated_at may be left out. */
export type ShopProfileInput = z.input<typeof ShopProfileSchema>;

/** The numeric id at the end of a Shop GID ("gid://shopify/Shop/548380009" → "548380009"); null for anything else. */
export function shopGidDigits(gid: string | null | undefined): string | null {
  const match = /^gid:\/\/shopify\/Shop\/(\d{1,20})$/.exec(gid ?? "");
  return match ? match[1]! : null;
}

/** An IETF language tag as Shopify writes locales ("en", "pt-BR", "zh-CN"); anything else reads as unknown (null). */
const LOCALE_TAG = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,2}$/;
export function localeTag(value: unknown): string | null {
  return typeof value === "string" && LOCALE_TAG.test(value) ? value : null;
}

const shopId = z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,20}$/)]).transform(String);

/**
 * shop/update's payload (Shopify's REST shop resource), read for the profile: id, name, currency, IANA time zone,
 * updated_at and the primary locale. Shopify's own sample has `"iana_timezone": null` and `"updated_at": null`: both may be absent.
 * Unknown fields are ignored.
 */
const ShopUpdatePayloadSchema = z.object({
  id: shopId,
  name: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code"),
  iana_timezone: z.string().min(1).nullish(),
  updated_at: z.string().datetime({ offset: true }).nullish(),
  /** The shop's primary language; absent or malformed reads as unknown (the stored one is kept). */
  primary_locale: z.unknown().optional(),
});

interface ShopUpdateFacts {
  shopifyId: string;
  name: string;
  currency: string;
  timezone: string | null;
  updatedAt: Date | null;
  locale: string | null;
}

type ShopUpdateParse = { ok: true; value: ShopUpdateFacts } | { ok: false; reason: string };

/** Field paths and issue codes only, never values (the payload carries the owner's email and phone). */
export function parseShopUpdatePayload(payload: unknown): ShopUpdateParse {
  const result = ShopUpdatePayloadSchema.safeParse(payload);
  if (!result.success) {
    return { ok: false, reason: result.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.code}`).join("; ") };
  }
  const { id, name, currency, iana_timezone, updated_at, primary_locale } = result.data;
  return {
    ok: true,
    value: { shopifyId: id, name, currency, timezone: iana_timezone ?? null, updatedAt: updated_at ? new Date(updated_at) : null, locale: localeTag(primary_locale) },
  };
}
