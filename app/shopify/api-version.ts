import { ApiVersion } from "@shopify/shopify-api";

/** The one Admin API / webhook version the app speaks. `shopify.app.toml` must name the same (a test checks). */
export const SHOPIFY_API_VERSION = ApiVersion.October26;
