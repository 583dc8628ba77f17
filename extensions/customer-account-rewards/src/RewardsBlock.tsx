/** @jsxImportSource preact */
import { render } from "preact";
import { getHost } from "./host";
import { Rewards } from "./Rewards";

/** customer-account.profile.block.render: tier, points (or owed), unused codes, and a link to the Rewards page. */
export default async function extension() {
  render(<Rewards host={getHost()} compact />, document.body);
}
