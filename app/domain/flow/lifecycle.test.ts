import { describe, expect, it } from "vitest";
import { parseTriggerLifecycle } from "./lifecycle";

const VALID = {
  flow_trigger_definition_id: "follow-up-status-changed",
  has_enabled_flow: true,
  shop_id: 690933842,
  shopify_domain: "Johns-Apparel.myshopify.com",
  timestamp: "2019-01-25T16:44:10.999Z",
};

describe("parseTriggerLifecycle", () => {
  it("reads a callback: the domain lower-cased, the shop id as exact digits, the timestamp as an instant", () => {
    expect(parseTriggerLifecycle(VALID)).toEqual({
      ok: true,
      value: {
        definitionId: "follow-up-status-changed",
        hasEnabledFlow: true,
        shopId: "690933842",
        shopDomain: "johns-apparel.myshopify.com",
        timestamp: new Date("2019-01-25T16:44:10.999Z"),
      },
    });
  });

  it.each([
    ["a shop id as a string", { shop_id: "690933842" }, "690933842"],
    ["a shop id beyond 2^53 — lossless parse gives digits", { shop_id: "9007199254740993" }, "9007199254740993"],
    ["no shop id", { shop_id: undefined }, null],
    ["a null shop id", { shop_id: null }, null],
  ])("accepts %s", (_, change, shopId) => {
    const parsed = parseTriggerLifecycle({ ...VALID, ...change });
    expect(parsed.ok && parsed.value.shopId).toBe(shopId);
  });

  it.each([
    ["+02:00 offset", "2026-12-01T12:00:00+02:00", "2026-12-01T10:00:00.000Z"],
    ["no fraction", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00.000Z"],
    ["false", false, null],
  ])("accepts %s", (_, value, expected) => {
    if (typeof value === "boolean") {
      const parsed = parseTriggerLifecycle({ ...VALID, has_enabled_flow: value });
      expect(parsed.ok && parsed.value.hasEnabledFlow).toBe(false);
      return;
    }
    const parsed = parseTriggerLifecycle({ ...VALID, timestamp: value });
    expect(parsed.ok && parsed.value.timestamp.toISOString()).toBe(expected);
  });

  it.each([
    ["null", null, "body is not a JSON object"],
    ["an array", [VALID], "body is not a JSON object"],
    ["a string", "{}", "body is not a JSON object"],
    ["no definition id", { ...VALID, flow_trigger_definition_id: undefined }, "flow_trigger_definition_id must be a non-empty string"],
    ["a blank definition id", { ...VALID, flow_trigger_definition_id: "   " }, "flow_trigger_definition_id must be a non-empty string"],
    ["a numeric definition id", { ...VALID, flow_trigger_definition_id: 12 }, "flow_trigger_definition_id must be a non-empty string"],
    ["a definition id of 256 characters", { ...VALID, flow_trigger_definition_id: "a".repeat(256) }, "flow_trigger_definition_id must be a non-empty string"],
    ["has_enabled_flow as 1", { ...VALID, has_enabled_flow: 1 }, "has_enabled_flow must be true or false"],
    ["has_enabled_flow as \"false\"", { ...VALID, has_enabled_flow: "false" }, "has_enabled_flow must be true or false"],
    ["no domain", { ...VALID, shopify_domain: undefined }, "shopify_domain must be a string"],
    ["a domain of 256 characters", { ...VALID, shopify_domain: `${"a".repeat(242)}.myshopify.com` }, "shopify_domain must be a string"],
    ["shop id 0", { ...VALID, shop_id: 0 }, "shop_id must be a positive integer"],
    ["a negative shop id", { ...VALID, shop_id: -5 }, "shop_id must be a positive integer"],
    ["a fractional shop id", { ...VALID, shop_id: 1.5 }, "shop_id must be a positive integer"],
    ["a shop id with a leading zero", { ...VALID, shop_id: "0123" }, "shop_id must be a positive integer"],
    ["a shop id of 21 digits", { ...VALID, shop_id: "1".repeat(21) }, "shop_id must be a positive integer"],
    ["a shop id object", { ...VALID, shop_id: { id: 1 } }, "shop_id must be a positive integer"],
    ["no timestamp", { ...VALID, timestamp: undefined }, "timestamp must be an ISO 8601 instant"],
    ["a numeric timestamp", { ...VALID, timestamp: 1548434650999 }, "timestamp must be an ISO 8601 instant"],
    ["a date only", { ...VALID, timestamp: "2019-01-25" }, "timestamp must be an ISO 8601 instant"],
    ["no zone", { ...VALID, timestamp: "2019-01-25T16:44:10.999" }, "timestamp must be an ISO 8601 instant"],
    ["an impossible date", { ...VALID, timestamp: "2019-13-45T16:44:10Z" }, "timestamp must be an ISO 8601 instant"],
    ["text after the instant", { ...VALID, timestamp: "2019-01-25T16:44:10Z junk" }, "timestamp must be an ISO 8601 instant"],
  ])("refuses %s, naming the field", (_, body, reason) => {
    expect(parseTriggerLifecycle(body)).toEqual({ ok: false, reason });
  });
});
