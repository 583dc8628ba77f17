import { Link } from "@shopify/polaris";

/**
 * An order as merchants know it: its name ("#1001"), linking to the order in the Shopify admin. The href is the
 * admin's own link scheme, `shopify://admin/orders/<numeric id>`, opened in the top frame (`_top`) as Shopify
 * documents for links out of an embedded app: inside the admin it opens the order page. Outside the admin (the demo)
 * it is the same link, which a browser cannot follow.
 */

/** How an order is named in text: its name from the Order table, else "…" and the last four digits of its id (an answer whose order has not arrived yet). */
export function orderText(name: string | null, orderId: string): string {
  return name ?? `…${orderId.slice(-4)}`;
}

/** The Shopify admin's link to an order; null for an id that is not Shopify's numeric id. */
function adminOrderUrl(orderId: string): string | null {
  return /^\d{1,20}$/.test(orderId) ? `shopify://admin/orders/${orderId}` : null;
}

export function OrderLink({ orderId, name }: { orderId: string; name: string | null }) {
  const url = adminOrderUrl(orderId);
  const text = orderText(name, orderId);
  if (!url) return <>{text}</>;
  return (
    // Underlined: an order's link mostly sits in a line of text (a comment's date line, a follow-up's title), where
    // its colour alone does not set it apart from the words around it.
    <Link url={url} target="_top">
      {text}
    </Link>
  );
}
