import { describe, expect, it } from "vitest";
import { addDocumentResponseHeaders } from "~/shopify.server";

/**
 * Every document response goes through `addDocumentResponseHeaders` (app/entry.server.tsx), the library's helper:
 * for an embedded request it sets CSP `frame-ancestors` to the shop's own domain and the Shopify admin, so no other
 * site can frame the app. tests/e2e/hostile-text.test.ts checks the header on the running server's responses.
 */
const headersFor = (url: string) => {
  const headers = new Headers();
  addDocumentResponseHeaders(new Request(url), headers);
  return headers;
};

describe("document response headers", () => {
  it("frame-ancestors: the shop and the Shopify admin only", () => {
    const csp = headersFor("https://afterglow.test/app?shop=a-shop.myshopify.com&host=YWRtaW4&embedded=1").get("Content-Security-Policy") ?? "";
    expect(csp.startsWith("frame-ancestors https://a-shop.myshopify.com https://admin.shopify.com ")).toBe(true);
    expect(csp).not.toMatch(/frame-ancestors[^;]*(\*\s|\*;|'self')/);
  });

  it("a shop parameter that is not a myshopify domain is not trusted", () => {
    for (const shop of ["evil.example.com", "a-shop.myshopify.com.evil.example", "javascript:alert(1)"]) {
      const csp = headersFor(`https://afterglow.test/app?shop=${encodeURIComponent(shop)}&embedded=1`).get("Content-Security-Policy") ?? "";
      expect(csp).not.toContain("evil");
      expect(csp).not.toContain("javascript");
    }
  });
});
