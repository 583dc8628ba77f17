import { describe, expect, it } from "vitest";
import { hasAllOrdersScope } from "./history-reach";

describe("hasAllOrdersScope: the session's granted scopes", () => {
  it.each([
    ["read_orders,read_all_orders,write_customers", true],
    ["read_orders, read_all_orders", true],
    ["read_all_orders", true],
    ["read_orders,write_customers", false],
    ["read_all_orders_extra,read_orders", false],
    ["", false],
    [null, false],
    [undefined, false],
  ])("scope %s: %s", (scope, expected) => expect(hasAllOrdersScope(scope)).toBe(expected));
});
