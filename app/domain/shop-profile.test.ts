import { describe, expect, it } from "vitest";
import { parseShopUpdatePayload, ShopProfileSchema, shopGidDigits } from "./shop-profile";

const SHOP = { id: 548380009, name: "Super Toys", currency: "USD", iana_timezone: "America/New_York", updated_at: "2026-11-02T10:00:00-05:00" };

describe("parseShopUpdatePayload", () => {
  it.each([
    ["every field", SHOP, { shopifyId: "548380009", name: "Super Toys", currency: "USD", timezone: "America/New_York", updatedAt: new Date("2026-11-02T15:00:00Z") }],
    ["Shopify's sample: iana_timezone and updated_at null", { ...SHOP, iana_timezone: null, updated_at: null }, { shopifyId: "548380009", name: "Super Toys", currency: "USD", timezone: null, updatedAt: null }],
    ["an id as exact digits — the lossless parser's form", { ...SHOP, id: "82098291194615450" }, { shopifyId: "82098291194615450" }],
    ["twenty digits", { ...SHOP, id: "18446744073709551615" }, { shopifyId: "18446744073709551615" }],
    ["the largest safe number", { ...SHOP, id: Number.MAX_SAFE_INTEGER }, { shopifyId: "9007199254740991" }],
    ["iana_timezone and updated_at left out", { id: 1, name: "S", currency: "EUR" }, { shopifyId: "1", name: "S", currency: "EUR", timezone: null, updatedAt: null }],
    ["a UTC timestamp", { ...SHOP, updated_at: "2026-11-02T10:00:00Z" }, { updatedAt: new Date("2026-11-02T10:00:00Z") }],
  ])("reads %s", (_what, payload, facts) => {
    const parsed = parseShopUpdatePayload(payload);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value).toMatchObject(facts);
  });

  it.each([
    ["no id", { ...SHOP, id: undefined }, "id"],
    ["an id above 2^53 as a number", { ...SHOP, id: Number.MAX_SAFE_INTEGER + 2 }, "id"],
    ["a lowercase currency", { ...SHOP, currency: "usd" }, "currency"],
    ["an empty name", { ...SHOP, name: "" }, "name"],
    ["updated_at that is no timestamp", { ...SHOP, updated_at: "yesterday" }, "updated_at"],
    ["an id of 21 digits", { ...SHOP, id: "123456789012345678901" }, "id"],
    ["an id with a sign", { ...SHOP, id: "-5" }, "id"],
    ["an id of 0", { ...SHOP, id: 0 }, "id"],
    ["a fractional id", { ...SHOP, id: 1.5 }, "id"],
    ["a currency of two letters", { ...SHOP, currency: "US" }, "currency"],
    ["a currency with more after it", { ...SHOP, currency: "USDX" }, "currency"],
    ["an empty time zone", { ...SHOP, iana_timezone: "" }, "iana_timezone"],
  ])("refuses %s, naming the field and never its value", (_what, payload, field) => {
    const parsed = parseShopUpdatePayload(payload);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason.startsWith(`${field}: `)).toBe(true);
      expect(parsed.reason).not.toContain("usd");
      expect(parsed.reason).not.toContain("yesterday");
    }
  });
});

describe("shopGidDigits", () => {
  it.each([
    ["gid://shopify/Shop/548380009", "548380009"],
    ["gid://shopify/Shop/", null],
    ["gid://shopify/Shop/12345678901234567890", "12345678901234567890"],
    ["gid://shopify/Shop/123456789012345678901", null],
    ["gid://shopify/Shop/5x", null],
    ["xgid://shopify/Shop/5", null],
    ["gid://shopify/Order/548380009", null],
    ["548380009", null],
    [null, null],
    [undefined, null],
  ])("%j → %j", (gid, digits) => {
    expect(shopGidDigits(gid)).toBe(digits);
  });
});

describe("parseShopUpdatePayload: the reason", () => {
  it.each([
    ["a body that is no object", null, "(root): invalid_type"],
    ["every field wrong, each named in order", { id: "x", name: 1, currency: "usd", iana_timezone: 5, updated_at: "no" }, "id: invalid_string; name: invalid_type; currency: invalid_string; iana_timezone: invalid_type; updated_at: invalid_string"],
  ])("%s", (_what, payload, reason) => {
    expect(parseShopUpdatePayload(payload)).toEqual({ ok: false, reason });
  });
});

describe("ShopProfileSchema", () => {
  const profile = { name: "Super Toys", currency: "USD", timezone: "America/New_York", domain: "supertoys.example" };

  it("leaves the id and Shopify's updated_at out as null", () => {
    expect(ShopProfileSchema.parse(profile)).toEqual({ ...profile, shopifyId: null, updatedAt: null });
    const updatedAt = new Date("2026-11-02T15:00:00Z");
    expect(ShopProfileSchema.parse({ ...profile, domain: null, shopifyId: "548380009", updatedAt })).toEqual({ ...profile, domain: null, shopifyId: "548380009", updatedAt });
  });

  it.each([
    ["an empty name", { ...profile, name: "" }, "name"],
    ["a lowercase currency", { ...profile, currency: "usd" }, "currency"],
    ["a currency of four letters", { ...profile, currency: "USDX" }, "currency"],
    ["a currency of two letters", { ...profile, currency: "US" }, "currency"],
    ["an empty time zone", { ...profile, timezone: "" }, "timezone"],
    ["an id that is no digits", { ...profile, shopifyId: "gid://shopify/Shop/1" }, "shopifyId"],
    ["an id of 21 digits", { ...profile, shopifyId: "1".repeat(21) }, "shopifyId"],
    ["an empty id", { ...profile, shopifyId: "" }, "shopifyId"],
  ])("refuses %s", (_what, input, field) => {
    const result = ShopProfileSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.map((i) => i.path.join("."))).toEqual([field]);
  });

  it("says why the currency is refused", () => {
    const result = ShopProfileSchema.safeParse({ ...profile, currency: "usd" });
    expect(result.success ? null : result.error.issues[0]?.message).toBe("ISO 4217 code");
  });
});
