/** @jsxImportSource preact */
import { render } from "preact";
import { getHost } from "./host";
import { Rewards } from "./Rewards";

/** customer-account.page.render: the shopper's full Rewards page. */
export default async function extension() {
  render(<Rewards host={getHost()} />, document.body);
}
