import { z } from "zod";

/** What Afterglow needs to know about a shop to express its figures: name, currency, time zone. */
export const ShopProfileSchema = z.object({
  name: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code"),
  timezone: z.string().min(1),
  domain: z.string().nullable(),
});

export type ShopProfile = z.infer<typeof ShopProfileSchema>;
