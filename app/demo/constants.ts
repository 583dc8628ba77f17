/** The demo shop's domain. Demo-only code; a production build never reaches it. */
export const DEMO_SHOP = "afterglow-demo.myshopify.com";
/** The staff user id the demo signs in as (what a session token's `sub` would carry). */
export const DEMO_STAFF_USER_ID = "1001";
