/** @jsxImportSource preact */
import { render } from "preact";
import { getHost, type OrderStatusHost } from "./host";
import { mapSignal, Survey } from "./Survey";

/**
 * customer-account.order-status.block.render: the order is `shopify.order` (gid://shopify/Order/<id>). The
 * survey shows only while this device has no answer for the order; a 409 from the server (answered elsewhere,
 * or the 24 h edit window is over) also counts as answered.
 */
export default async function extension() {
  const host = getHost<OrderStatusHost>();
  render(<Survey host={host} surface="order-status" order={mapSignal(host.order, (o) => o?.id)} />, document.body);
}
