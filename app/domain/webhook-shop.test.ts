import { describe, expect, it } from "vitest";
import { needsStoredShopId, SHOP_NAMING_FIELDS, shopIdDigits, shopNamedByBody } from "./webhook-shop";

const SHOP = "my-shop.myshopify.com";

describe("shopIdDigits", () => {
  it.each([
    [548380009, "548380009"],
    ["548380009", "548380009"],
    ["gid://shopify/Shop/548380009", "548380009"],
    ["820982911946154508", "820982911946154508"],
    [0, null],
    [-5, null],
    [1.5, null],
    [Number.MAX_SAFE_INTEGER + 2, null],
    ["0548380009", null],
    ["gid://shopify/Order/548380009", null],
    ["548380009 ", null],
    ["123456789012345678901", null],
    ["12345678901234567890", "12345678901234567890"], // twenty digits: the longest
    ["gid://shopify/Shop/12345678901234567890", "12345678901234567890"],
    ["x548380009", null],
    ["gid://shopify/Shop/548380009/1", null],
    ["", null],
    [1, "1"],
    [null, null],
    [{}, null],
  ])("%j → %j", (value, digits) => {
    expect(shopIdDigits(value)).toBe(digits);
  });
});

describe("shopNamedByBody", () => {
  it.each([
    // [what, topic, body, stored id, agrees]
    ["a topic whose body names no shop", "orders/create", { id: 1, shop_domain: "other.myshopify.com" }, null, true],
    ["compliance: the same domain", "customers/redact", { shop_domain: SHOP }, null, true],
    ["compliance: the same domain in capitals", "shop/redact", { shop_domain: SHOP.toUpperCase() }, null, true],
    ["compliance: another domain", "customers/data_request", { shop_domain: "other.myshopify.com" }, null, false],
    ["compliance: a domain that is not a string", "shop/redact", { shop_domain: 42 }, null, false],
    ["compliance: no domain at all", "shop/redact", { shop_id: 7 }, null, true],
    ["compliance: another id, none stored yet", "shop/redact", { shop_domain: SHOP, shop_id: 999 }, null, true],
    ["compliance: another id than stored", "shop/redact", { shop_domain: SHOP, shop_id: 999 }, "7", false],
    ["compliance: the stored id", "shop/redact", { shop_domain: SHOP, shop_id: 7 }, "7", true],
    ["compliance: a malformed id, one stored", "customers/redact", { shop_domain: SHOP, shop_id: "seven" }, "7", false],
    ["app/uninstalled: myshopify_domain null — Shopify's sample", "app/uninstalled", { id: 7, domain: "shop.example", myshopify_domain: null }, "7", true],
    ["app/uninstalled: a custom domain in `domain` is not compared", "app/uninstalled", { domain: "shop.example", myshopify_domain: SHOP }, null, true],
    ["app/uninstalled: another myshopify_domain", "app/uninstalled", { myshopify_domain: "other.myshopify.com" }, null, false],
    ["app/uninstalled: another shop id", "app/uninstalled", { id: 8, myshopify_domain: null }, "7", false],
    ["shop/update: another myshopify_domain", "shop/update", { id: 7, myshopify_domain: "other.myshopify.com" }, "7", false],
    ["shop/update: another id", "shop/update", { id: 8, myshopify_domain: SHOP }, "7", false],
    ["app/scopes_update: the stored id as a GID", "app/scopes_update", { shop_id: "gid://shopify/Shop/7" }, "7", true],
    ["app/scopes_update: another GID", "app/scopes_update", { shop_id: "gid://shopify/Shop/8" }, "7", false],
    ["a body that is no object", "shop/redact", [SHOP], "7", true],
    ["a null body", "shop/redact", null, "7", true],
    ["a text body", "shop/redact", "other.myshopify.com", "7", true],
    ["no body at all", "shop/redact", undefined, "7", true],
    // app/scopes_update names its shop by id only: no field of its body is taken for a domain
    ["app/scopes_update: no domain field is read", "app/scopes_update", { shop_id: "gid://shopify/Shop/7", undefined: "other.myshopify.com" }, "7", true],
    ["compliance: an id null, one stored", "shop/redact", { shop_domain: SHOP, shop_id: null }, "7", true],
    ["compliance: the stored id as digits", "customers/data_request", { shop_domain: SHOP, shop_id: "7" }, "7", true],
  ])("%s", (_what, topic, body, storedId, agrees) => {
    const result = shopNamedByBody(topic, body, SHOP, storedId);
    expect(result.ok).toBe(agrees);
    if (!result.ok) expect(result.reason).toMatch(/^(shop_domain|myshopify_domain|shop_id|id) does not match /);
  });

  it("names the field, never the value, in its reason", () => {
    expect(shopNamedByBody("customers/redact", { shop_domain: "attacker@example.com" }, SHOP, null)).toEqual({
      ok: false,
      reason: "shop_domain does not match X-Shopify-Shop-Domain",
    });
    expect(shopNamedByBody("shop/redact", { shop_id: 999 }, SHOP, "7")).toEqual({ ok: false, reason: "shop_id does not match the shop's id" });
  });
});

describe("needsStoredShopId", () => {
  it.each([
    ["shop/redact", { shop_id: 7 }, true],
    ["shop/redact", { shop_id: null }, false],
    ["shop/redact", {}, false],
    ["app/uninstalled", { id: 7 }, true],
    ["app/scopes_update", { shop_id: "gid://shopify/Shop/7" }, true],
    ["orders/create", { id: 7 }, false],
    ["shop/update", null, false],
    ["customers/data_request", { shop_id: 7 }, true],
    ["customers/redact", { shop_id: 0 }, true],
    ["app/scopes_update", { id: 7 }, false],
    ["shop/redact", undefined, false],
    ["shop/redact", "shop_id", false],
    // a topic whose body names no shop reads no field, whatever the body holds
    ["orders/create", { undefined: 7 }, false],
  ])("%s %j → %s", (topic, body, needed) => {
    expect(needsStoredShopId(topic, body)).toBe(needed);
  });
});

describe("shopNamedByBody: the header's spelling", () => {
  it("compares the header case-insensitively too", () => {
    expect(shopNamedByBody("shop/redact", { shop_domain: SHOP }, SHOP.toUpperCase(), null)).toEqual({ ok: true });
    expect(shopNamedByBody("shop/update", { myshopify_domain: "other.myshopify.com" }, SHOP, null)).toEqual({
      ok: false,
      reason: "myshopify_domain does not match X-Shopify-Shop-Domain",
    });
    expect(shopNamedByBody("app/uninstalled", { id: 8 }, SHOP, "7")).toEqual({ ok: false, reason: "id does not match the shop's id" });
  });
});

describe("SHOP_NAMING_FIELDS", () => {
  it("names the body fields of each topic that names its shop", () => {
    expect(SHOP_NAMING_FIELDS).toEqual({
      "customers/data_request": { domain: "shop_domain", id: "shop_id" },
      "customers/redact": { domain: "shop_domain", id: "shop_id" },
      "shop/redact": { domain: "shop_domain", id: "shop_id" },
      "app/uninstalled": { domain: "myshopify_domain", id: "id" },
      "shop/update": { domain: "myshopify_domain", id: "id" },
      "app/scopes_update": { id: "shop_id" },
    });
  });
});
