import { describe, expect, it } from "vitest";
import { changeTone, METRIC_DIRECTION } from "./metric-tone";

describe("changeTone: a change is coloured by what it means for the merchant, not by its sign", () => {
  it("scores, orders and revenue up are good; down is bad", () => {
    for (const metric of ["nps", "csat", "ces", "responseRate", "orders", "netRevenue", "grossSales", "customers"] as const) {
      expect([metric, changeTone(metric, 3)]).toEqual([metric, "success"]);
      expect([metric, changeTone(metric, -0.1)]).toEqual([metric, "critical"]);
    }
  });

  it("refunds and returns up are bad; down is good", () => {
    for (const metric of ["returnRate", "refundedAmount", "refundedOrders", "refundedShare"] as const) {
      expect([metric, changeTone(metric, 1.5)]).toEqual([metric, "critical"]);
      expect([metric, changeTone(metric, -12)]).toEqual([metric, "success"]);
    }
  });

  it("no change, no previous figure or a non-finite change is neutral", () => {
    expect(changeTone("nps", 0)).toBe("subdued");
    expect(changeTone("returnRate", null)).toBe("subdued");
    expect(changeTone("refundedAmount", Number.NaN)).toBe("subdued");
    expect(changeTone("orders", Number.POSITIVE_INFINITY)).toBe("subdued");
  });

  it("every metric of the table is one of the two directions (the tests above cover each one)", () => {
    expect(Object.keys(METRIC_DIRECTION).sort()).toEqual(
      ["ces", "csat", "customers", "grossSales", "netRevenue", "nps", "orders", "refundedAmount", "refundedOrders", "refundedShare", "responseRate", "returnRate"].sort(),
    );
  });
});
