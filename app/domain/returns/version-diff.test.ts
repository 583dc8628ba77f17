import { describe, expect, it } from "vitest";
import { DEFAULT_RETURN_POLICY, type ReturnPolicy } from "./policy";
import { policyChanges } from "./version-diff";

const base: ReturnPolicy = DEFAULT_RETURN_POLICY;
const With = (patch: Partial<ReturnPolicy>): ReturnPolicy => ({ ...base, ...patch });
const change = (before: ReturnPolicy, after: ReturnPolicy, currency = "USD") =>
  policyChanges(before, after, currency).map((c) => `${c.label}: ${c.before} → ${c.after}`);

describe("policyChanges", () => {
  it("finds nothing between equal settings", () => {
    expect(policyChanges(base, { ...base }, "USD")).toEqual([]);
  });

  it.each<[string, Partial<ReturnPolicy>, Partial<ReturnPolicy>, string]>([
    ["a longer window", {}, { windowDays: 60 }, "Return window: 30 days → 60 days"],
    ["one day", {}, { windowDays: 1 }, "Return window: 30 days → 1 day"],
    ["final sale only", {}, { windowDays: 0 }, "Return window: 30 days → 0 days (all sales are final)"],
    ["no time limit", {}, { windowDays: null }, "Return window: 30 days → No time limit"],
    ["a time limit again", { windowDays: null }, { windowDays: 14 }, "Return window: No time limit → 14 days"],
    ["where the window starts", {}, { windowStart: "order" }, "Counted from: The delivery date → The order date"],
    ["from fulfillment", { windowStart: "order" }, { windowStart: "fulfillment" }, "Counted from: The order date → The day the order ships (fulfillment)"],
    ["free return shipping", {}, { shipping: { kind: "free" } }, "Return shipping: Paid by the customer → Free"],
    ["a flat fee, in the shop currency", { shipping: { kind: "free" } }, { shipping: { kind: "flat", feeMinor: 500 } }, "Return shipping: Free → A flat fee of $5.00"],
    ["a different flat fee", { shipping: { kind: "flat", feeMinor: 500 } }, { shipping: { kind: "flat", feeMinor: 750 } }, "Return shipping: A flat fee of $5.00 → A flat fee of $7.50"],
    ["a restocking fee", {}, { restockingFeePercent: 15 }, "Restocking fee: None → 15%"],
    ["no restocking fee", { restockingFeePercent: 10 }, { restockingFeePercent: 0 }, "Restocking fee: 10% → None"],
    ["exchanges stopped", {}, { exchanges: false }, "Exchanges: Offered → Not offered"],
    ["store credit offered", {}, { storeCredit: { offered: true, bonusPercent: 0 } }, "Store credit: Not offered → Offered, no bonus"],
    ["a store credit bonus", { storeCredit: { offered: true, bonusPercent: 0 } }, { storeCredit: { offered: true, bonusPercent: 10 } }, "Store credit: Offered, no bonus → Offered, with a 10% bonus"],
    ["store credit withdrawn", { storeCredit: { offered: true, bonusPercent: 10 } }, { storeCredit: { offered: false, bonusPercent: 10 } }, "Store credit: Offered, with a 10% bonus → Not offered"],
    ["final-sale tags added", {}, { finalSaleTags: ["final-sale", "clearance"] }, "Final-sale product tags: None → final-sale, clearance"],
    ["final-sale tags changed", { finalSaleTags: ["final-sale"] }, { finalSaleTags: ["final-sale", "outlet"] }, "Final-sale product tags: final-sale → final-sale, outlet"],
    ["final-sale tags removed", { finalSaleTags: ["final-sale"] }, { finalSaleTags: [] }, "Final-sale product tags: final-sale → None"],
    [
      "all three conditions",
      {},
      { conditions: { unused: true, originalPackaging: true, tagsAttached: true } },
      "Returned items must be: Unused and with their tags attached → Unused, in their original packaging and with their tags attached",
    ],
    ["one condition", {}, { conditions: { unused: false, originalPackaging: true, tagsAttached: false } }, "Returned items must be: Unused and with their tags attached → In their original packaging"],
    ["no conditions", {}, { conditions: { unused: false, originalPackaging: false, tagsAttached: false } }, "Returned items must be: Unused and with their tags attached → No conditions"],
    ["a note", {}, { note: "Sale items: exchange only." }, "Note to shoppers: No note → Sale items: exchange only."],
    ["the note removed", { note: "Old note" }, { note: "" }, "Note to shoppers: Old note → No note"],
    ["the language", {}, { publishLocale: "fr" }, "Language of the published policy: English → French (Français)"],
  ])("%s", (_label, before, after, expected) => {
    expect(change(With(before), With(after))).toEqual([expected]);
  });

  it("lists every changed setting in the form's order, and only those", () => {
    const after = With({ publishLocale: "de", windowDays: 14, exchanges: false, shipping: { kind: "free" } });
    expect(policyChanges(base, after, "USD").map((c) => c.setting)).toEqual(["window", "shipping", "exchanges", "publishLocale"]);
  });

  it("reads the other way round as the change back", () => {
    expect(change(With({ windowDays: 14 }), base)).toEqual(["Return window: 14 days → 30 days"]);
  });

  it("ignores a store credit bonus while store credit is off: it means nothing then", () => {
    expect(policyChanges(With({ storeCredit: { offered: false, bonusPercent: 0 } }), With({ storeCredit: { offered: false, bonusPercent: 20 } }), "USD")).toEqual([]);
  });

  it("writes a flat fee with the shop currency's own decimals", () => {
    const before = With({ shipping: { kind: "flat", feeMinor: 500 } });
    expect(change(before, With({ shipping: { kind: "flat", feeMinor: 800 } }), "JPY")).toEqual(["Return shipping: A flat fee of ¥500 → A flat fee of ¥800"]);
    // Intl writes "KWD" and the amount apart with a no-break space.
    expect(change(before, With({ shipping: { kind: "flat", feeMinor: 800 } }), "KWD")).toEqual([
      "Return shipping: A flat fee of KWD\u00a00.500 → A flat fee of KWD\u00a00.800",
    ]);
  });

  it("tells a flat fee of 0 from free shipping (they are different settings)", () => {
    expect(change(With({ shipping: { kind: "free" } }), With({ shipping: { kind: "flat", feeMinor: 0 } }))).toEqual([
      "Return shipping: Free → A flat fee of $0.00",
    ]);
  });

  it("shows the note as written, with its line breaks", () => {
    const [note] = policyChanges(base, With({ note: "Line one\nLine <two>" }), "USD");
    expect(note).toEqual({ setting: "note", label: "Note to shoppers", before: "No note", after: "Line one\nLine <two>" });
  });
});
