import { describe, expect, it } from "vitest";
import { returnCostsText, returnStatusText, type ItemReturnFacts } from "./return-text";

const item = (overrides: Partial<ItemReturnFacts>): ItemReturnFacts => ({
  returnable: true,
  reason: null,
  returnBy: null,
  quantity: 2,
  returnableQuantity: 2,
  restockingFeeMinor: 0,
  returnShippingFeeMinor: 0,
  storeCreditBonusMinor: 0,
  ...overrides,
});

describe("the customer page's return wording", () => {
  it("gives the last day in the shop's time zone, not UTC", () => {
    // The end of 3 November in Paris is 22:59:59.999 UTC; in Tokyo the same instant is already 4 November.
    const returnBy = "2026-11-03T22:59:59.999Z";
    expect(returnStatusText(item({ returnBy }), "Europe/Paris")).toBe("Returnable until Nov 3, 2026");
    expect(returnStatusText(item({ returnBy }), "Asia/Tokyo")).toBe("Returnable until Nov 4, 2026");
  });

  it.each([
    [{ returnable: false, reason: "final_sale_item" as const }, "Not returnable: final sale"],
    [{ returnable: false, reason: "final_sale_policy" as const }, "Not returnable: all sales are final under this policy"],
    [{ returnable: false, reason: "cancelled" as const }, "Not returnable: the order was cancelled"],
    [{ returnable: false, reason: "already_refunded" as const, returnBy: "2026-11-03T22:59:59.999Z" }, "Not returnable: already refunded in full"],
    [{ returnable: false, reason: "window_closed" as const, returnBy: "2026-11-03T22:59:59.999Z" }, "Not returnable: the return window has closed (last day Nov 3, 2026)"],
    [{ reason: "not_fulfilled" as const }, "Returnable: the window has not started (not shipped yet)"],
    [{ reason: "not_delivered" as const }, "Returnable: the window has not started (not delivered yet)"],
    [{}, "Returnable, no time limit"],
  ])("says why (not): %o", (overrides, text) => {
    expect(returnStatusText(item(overrides), "Europe/Paris")).toBe(text);
  });

  it("lists what a return costs and earns, only for a returnable item", () => {
    const costly = item({ returnableQuantity: 1, restockingFeeMinor: 680, returnShippingFeeMinor: 595, storeCreditBonusMinor: 680 });
    expect(returnCostsText(costly, "USD")).toEqual([
      "1 of 2 units left to return",
      "restocking fee $6.80",
      "return shipping $5.95 per return",
      "store credit bonus $6.80",
    ]);
    expect(returnCostsText(item({}), "USD")).toEqual([]);
    expect(returnCostsText({ ...costly, returnable: false, reason: "window_closed" }, "USD")).toEqual([]);
    expect(returnCostsText(item({ restockingFeeMinor: 500 }), "JPY")).toEqual(["restocking fee ¥500"]);
  });
});
