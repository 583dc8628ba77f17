import type { RestProduct } from "~/domain/products/product-payload";

/** A REST product payload as the products/create and products/update webhooks send it, with overrides. */
export function restProduct(overrides: Partial<RestProduct> & { id: number }): RestProduct & Record<string, unknown> {
  return {
    title: `Product ${overrides.id}`,
    body_html: "<p>Soft and warm.</p>",
    vendor: "Afterglow Test",
    product_type: "Apparel",
    created_at: "2026-09-01T10:00:00Z",
    updated_at: "2026-09-01T10:00:00Z",
    status: "active",
    tags: "",
    variants: [{ id: overrides.id * 100, price: "30.00", sku: `SKU-${overrides.id}` }],
    ...overrides,
  };
}
