/** The demo shop's domain. Demo-only code; a production build never reaches it. */
export const DEMO_SHOP = "afterglow-demo.myshopify.com";
