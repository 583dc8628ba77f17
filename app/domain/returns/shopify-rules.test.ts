import { describe, expect, it } from "vitest";
import { DEFAULT_RETURN_POLICY, type ReturnPolicy } from "./policy";
import { afterglowWindowText, readReturnProfiles, returnRuleDifferences, type ShopifyReturnProfile } from "./shopify-rules";

const node = (rules: unknown, extra: Record<string, unknown> = {}) => ({ name: null, default: true, returnRules: rules, ...extra });
const rules = (days: number | null, from = "LAST_ITEM_DELIVERY_DATE", canAcceptReturns = true) => ({ canAcceptReturns, returnWindowDays: days, returnWindowStartingFrom: from, extendWindowToBusinessDay: false });

describe("readReturnProfiles: Shopify's answer, nulls and all", () => {
  it.each<[string, unknown, ShopifyReturnProfile[] | null]>([
    ["no field in the answer", undefined, null],
    ["nodes missing", {}, null],
    ["no profiles", { nodes: [] }, []],
    ["30 days from the last item's delivery", { nodes: [node(rules(30))] }, [{ name: null, isDefault: true, window: { kind: "days", days: 30, from: "last_delivery" } }]],
    ["14 days from each item's delivery", { nodes: [node(rules(14, "ITEM_DELIVERY_DATE"))] }, [{ name: null, isDefault: true, window: { kind: "days", days: 14, from: "item_delivery" } }]],
    ["-1 days: unlimited", { nodes: [node(rules(-1))] }, [{ name: null, isDefault: true, window: { kind: "unlimited" } }]],
    ["rules null: no restrictions", { nodes: [node(null)] }, [{ name: null, isDefault: true, window: { kind: "unlimited" } }]],
    ["rules left out: no restrictions", { nodes: [{ name: null, default: true }] }, [{ name: null, isDefault: true, window: { kind: "unlimited" } }]],
    ["days null: no limit", { nodes: [node(rules(null))] }, [{ name: null, isDefault: true, window: { kind: "unlimited" } }]],
    ["days left out: no limit", { nodes: [node({ canAcceptReturns: true })] }, [{ name: null, isDefault: true, window: { kind: "unlimited" } }]],
    ["0 days", { nodes: [node(rules(0))] }, [{ name: null, isDefault: true, window: { kind: "days", days: 0, from: "last_delivery" } }]],
    ["a blank name is the default's null", { nodes: [node(rules(30), { name: "   " })] }, [{ name: null, isDefault: true, window: { kind: "days", days: 30, from: "last_delivery" } }]],
    ["a long name kept to 100 characters", { nodes: [node(rules(30), { name: `  ${"x".repeat(120)}`, default: false })] }, [{ name: "x".repeat(100), isDefault: false, window: { kind: "days", days: 30, from: "last_delivery" } }]],
    ["returns not accepted, its days ignored", { nodes: [node(rules(30, "ITEM_DELIVERY_DATE", false))] }, [{ name: null, isDefault: true, window: { kind: "none" } }]],
    [
      "a named profile",
      { nodes: [node(rules(30)), node(rules(14), { name: " EU ", default: false })] },
      [
        { name: null, isDefault: true, window: { kind: "days", days: 30, from: "last_delivery" } },
        { name: "EU", isDefault: false, window: { kind: "days", days: 14, from: "last_delivery" } },
      ],
    ],
    [
      "unreadable nodes are left out",
      { nodes: [null, "x", { default: "yes" }, node({ canAcceptReturns: "true" }), node("rules"), node(rules(2.5)), node(rules(-5)), node({ canAcceptReturns: true, returnWindowDays: "30" })] },
      [],
    ],
  ])("%s", (_name, raw, expected) => expect(readReturnProfiles(raw)).toEqual(expected));
});

const policy = (over: Partial<ReturnPolicy>): ReturnPolicy => ({ ...DEFAULT_RETURN_POLICY, ...over });
const profile = (window: ShopifyReturnProfile["window"], name: string | null = null, isDefault = true): ShopifyReturnProfile => ({ name, isDefault, window });

describe("returnRuleDifferences: where Shopify's window and Afterglow's disagree", () => {
  it.each<[string, ReturnPolicy, ShopifyReturnProfile[], Array<[string, string, string]>]>([
    ["same days from delivery", policy({ windowDays: 30, windowStart: "delivery" }), [profile({ kind: "days", days: 30, from: "last_delivery" })], []],
    ["same days, each item's delivery", policy({ windowDays: 30 }), [profile({ kind: "days", days: 30, from: "item_delivery" })], []],
    ["other days", policy({ windowDays: 30 }), [profile({ kind: "days", days: 14, from: "last_delivery" })], [["Default", "14 days from delivery", "30 days from delivery"]]],
    ["same days, Afterglow counts from the order", policy({ windowDays: 30, windowStart: "order" }), [profile({ kind: "days", days: 30, from: "last_delivery" })], [["Default", "30 days from delivery", "30 days from the order"]]],
    ["both unlimited", policy({ windowDays: null }), [profile({ kind: "unlimited" })], []],
    ["Shopify unlimited", policy({ windowDays: 30 }), [profile({ kind: "unlimited" })], [["Default", "No time limit", "30 days from delivery"]]],
    ["both no returns", policy({ windowDays: 0 }), [profile({ kind: "none" })], []],
    ["both no returns, whatever Afterglow counts from", policy({ windowDays: 0, windowStart: "order" }), [profile({ kind: "none" })], []],
    ["both unlimited, whatever Afterglow counts from", policy({ windowDays: null, windowStart: "fulfillment" }), [profile({ kind: "unlimited" })], []],
    ["Afterglow no returns, Shopify 14 days", policy({ windowDays: 0 }), [profile({ kind: "days", days: 14, from: "last_delivery" })], [["Default", "14 days from delivery", "No returns"]]],
    ["Afterglow no returns, Shopify no limit", policy({ windowDays: 0 }), [profile({ kind: "unlimited" })], [["Default", "No time limit", "No returns"]]],
    ["Afterglow no limit, Shopify 1 day", policy({ windowDays: null }), [profile({ kind: "days", days: 1, from: "last_delivery" })], [["Default", "1 day from delivery", "No time limit"]]],
    ["Afterglow no limit, Shopify no returns", policy({ windowDays: null }), [profile({ kind: "none" })], [["Default", "No returns", "No time limit"]]],
    ["a named profile without a name", policy({ windowDays: 30 }), [profile({ kind: "none" }, null, false)], [["Unnamed", "No returns", "30 days from delivery"]]],
    ["Afterglow no returns, Shopify 0 days", policy({ windowDays: 0 }), [profile({ kind: "days", days: 0, from: "last_delivery" })], []],
    ["Shopify takes no returns", policy({ windowDays: 1 }), [profile({ kind: "none" })], [["Default", "No returns", "1 day from delivery"]]],
    [
      "a named profile differs, the default agrees; default listed first",
      policy({ windowDays: 30 }),
      [profile({ kind: "days", days: 14, from: "last_delivery" }, "EU", false), profile({ kind: "days", days: 30, from: "last_delivery" })],
      [["EU", "14 days from delivery", "30 days from delivery"]],
    ],
    [
      "both differ: the default first",
      policy({ windowDays: 45, windowStart: "fulfillment" }),
      [profile({ kind: "days", days: 14, from: "item_delivery" }, "EU", false), profile({ kind: "days", days: 45, from: "last_delivery" })],
      [
        ["Default", "45 days from delivery", "45 days from fulfillment"],
        ["EU", "14 days from each item's delivery", "45 days from fulfillment"],
      ],
    ],
  ])("%s", (_name, p, profiles, expected) => {
    expect(returnRuleDifferences(p, profiles).map((d) => [d.profile, d.shopify, d.afterglow])).toEqual(expected);
  });

  it("words Afterglow's window", () => {
    expect([policy({ windowDays: 0 }), policy({ windowDays: null }), policy({ windowDays: 1, windowStart: "order" })].map(afterglowWindowText)).toEqual([
      "No returns",
      "No time limit",
      "1 day from the order",
    ]);
  });
});
