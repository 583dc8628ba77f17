import { describe, expect, it } from "vitest";
import { parseShopUpdatePayload, shopGidDigits } from "./shop-profile";

const SHOP = { id: 548380009, name: "Super Toys", currency: "USD", iana_timezone: "America/New_York", updated_at: "2026-11-02T10:00:00-05:00" };

describe("parseShopUpdatePayload", () => {
  it.each([
    ["every field", SHOP, { shopifyId: "548380009", name: "Super Toys", currency: "USD", timezone: "America/New_York", updatedAt: new Date("2026-11-02T15:00:00Z") }],
    ["Shopify's sample: iana_timezone and updated_at null", { ...SHOP, iana_timezone: null, updated_at: null }, { shopifyId: "548380009", name: "Super Toys", currency: "USD", timezone: null, updatedAt: null }],
    ["an id as exact digits (the lossless parser's form)", { ...SHOP, id: "82098291194615450" }, { shopifyId: "82098291194615450" }],
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
    ["gid://shopify/Order/548380009", null],
    ["548380009", null],
    [null, null],
    [undefined, null],
  ])("%j → %j", (gid, digits) => {
    expect(shopGidDigits(gid)).toBe(digits);
  });
});
