/** @jsxImportSource preact */
import { render } from "preact";
import { getHost, type ThankYouHost } from "./host";
import { mapSignal, Survey } from "./Survey";

/** purchase.thank-you.block.render: the order is the confirmation's id (it becomes the Admin API Order id). */
export default async function extension() {
  const host = getHost<ThankYouHost>();
  render(<Survey host={host} surface="thank-you" order={mapSignal(host.orderConfirmation, (c) => c?.order.id)} />, document.body);
}
