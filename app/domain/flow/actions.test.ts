import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FLOW_ACTIONS, FLOW_AWARD_MAX_POINTS, flowActionByHandle, parseAwardPoints, parseFlowActionRequest, parseSetFollowUpStatus, shopifyIdOf } from "./actions";

const EXTENSIONS = path.resolve(__dirname, "../../../extensions");

interface TomlAction {
  folder: string;
  name: string | undefined;
  type: string | undefined;
  handle: string | undefined;
  runtimeUrl: string | undefined;
  fields: { type: string; key: string | undefined; name: string | undefined; required: boolean | undefined }[];
}

/** The few keys an action TOML uses, read line by line: `[[extensions]]` then `[[settings.fields]]` tables. */
function readActionToml(folder: string): TomlAction {
  const text = fs.readFileSync(path.join(EXTENSIONS, folder, "shopify.extension.toml"), "utf8");
  const [head = "", ...fieldTables] = text.split(/^\[\[settings\.fields\]\]\s*$/m);
  const value = (table: string, key: string) => new RegExp(`^${key}\\s*=\\s*"([^"]*)"\\s*$`, "m").exec(table)?.[1];
  const flag = (table: string, key: string) => {
    const raw = new RegExp(`^${key}\\s*=\\s*(true|false)\\s*$`, "m").exec(table)?.[1];
    return raw === undefined ? undefined : raw === "true";
  };
  const extension = head.split(/^\[\[extensions\]\]\s*$/m)[1] ?? "";
  return {
    folder,
    name: value(extension, "name"),
    type: value(extension, "type"),
    handle: value(extension, "handle"),
    runtimeUrl: value(extension, "runtime_url"),
    fields: fieldTables.map((table) => ({ type: value(table, "type") ?? "", key: value(table, "key"), name: value(table, "name"), required: flag(table, "required") })),
  };
}

const actionFolders = fs
  .readdirSync(EXTENSIONS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(EXTENSIONS, d.name, "shopify.extension.toml")))
  .map((d) => d.name)
  .filter((name) => /^\s*type\s*=\s*"flow_action"/m.test(fs.readFileSync(path.join(EXTENSIONS, name, "shopify.extension.toml"), "utf8")));
const tomls = actionFolders.map(readActionToml);

describe("Flow action extensions and the registry", () => {
  it("finds the two action extensions, one per registry entry, in folders flow-action-<handle>", () => {
    expect(actionFolders.sort()).toEqual(["flow-action-award-points", "flow-action-set-follow-up-status"]);
    expect(tomls.map((t) => t.handle).sort()).toEqual(Object.values(FLOW_ACTIONS).map((a) => a.handle).sort());
    for (const t of tomls) expect(t.folder).toBe(`flow-action-${t.handle}`);
  });

  it("handles follow Shopify's rules (at most 30 characters, letters, digits and hyphens), unique across every extension", () => {
    const allHandles = fs
      .readdirSync(EXTENSIONS)
      .map((folder) => path.join(EXTENSIONS, folder, "shopify.extension.toml"))
      .filter((file) => fs.existsSync(file))
      .map((file) => /^handle\s*=\s*"([^"]*)"/m.exec(fs.readFileSync(file, "utf8"))?.[1]);
    expect(new Set(allHandles).size).toBe(allHandles.length);
    for (const t of tomls) {
      expect(t.type).toBe("flow_action");
      expect(t.handle, t.folder).toMatch(/^[a-zA-Z0-9-]{1,30}$/);
    }
  });

  it("names follow Shopify's guideline for actions (present-tense verb first, sentence case, no punctuation) and match the registry", () => {
    for (const action of Object.values(FLOW_ACTIONS)) {
      const toml = tomls.find((t) => t.handle === action.handle)!;
      expect(toml.name).toBe(action.name);
      expect(action.name).toMatch(/^(Award|Set) [a-z-]+( [a-z-]+)*$/);
    }
  });

  it("runtime_url is HTTPS and ends in the route the app serves, /flow/actions/<handle>", () => {
    for (const t of tomls) {
      expect(t.runtimeUrl, t.folder).toMatch(/^https:\/\//);
      expect(new URL(t.runtimeUrl!).pathname).toBe(`/flow/actions/${t.handle}`);
    }
  });

  it("fields: types the Shopify CLI accepts on an action; non-reference fields have a key and a name; the registry's fields are exactly the TOML's", () => {
    // The CLI's types for action fields: references (customer, order, product, marketing activity, abandonment) and
    // boolean, email, multi_line_text_field, number_integer, single_line_text_field, url, number_decimal.
    const known = ["customer_reference", "order_reference", "product_reference", "boolean", "email", "multi_line_text_field", "number_integer", "single_line_text_field", "url", "number_decimal"];
    for (const t of tomls) {
      for (const field of t.fields) {
        expect(known, t.folder).toContain(field.type);
        if (field.type.endsWith("_reference")) {
          expect(field.key, t.folder).toBeUndefined();
        } else {
          expect(field.key, t.folder).toMatch(/^[a-z][a-z_]*$/);
          expect(field.name, t.folder).toMatch(/^[A-Z]/);
        }
      }
    }
    for (const action of Object.values(FLOW_ACTIONS)) {
      const toml = tomls.find((t) => t.handle === action.handle)!;
      expect(toml.fields.map((f) => ({ type: f.type, key: f.key, required: f.required ?? false }))).toEqual(
        action.fields.map((f) => ({ type: f.type, key: "key" in f ? f.key : undefined, required: f.required })),
      );
    }
  });

  it("finds an action by its handle only", () => {
    expect(flowActionByHandle("award-points")?.name).toBe("Award loyalty points");
    expect(flowActionByHandle("set-follow-up-status")?.name).toBe("Set follow-up status");
    expect(flowActionByHandle("Award loyalty points")).toBeNull();
    expect(flowActionByHandle("")).toBeNull();
  });
});

const envelope = {
  shop_id: "690933842",
  shopify_domain: "Shop-A.myshopify.com",
  action_run_id: "4c2a1f3e-0b6d-4a8e-9d1f-2b7c5e6a9d10",
  action_definition_id: "Award loyalty points",
  handle: "award-points",
  properties: { customer_id: "207119551", points: 50, reason: "Thanks for the review" },
};

describe("parseFlowActionRequest", () => {
  it("reads the envelope; the domain in lower case; shop_id as a number, digits or a GID", () => {
    expect(parseFlowActionRequest(envelope)).toEqual({
      ok: true,
      value: { shopDomain: "shop-a.myshopify.com", shopId: "690933842", actionRunId: envelope.action_run_id, handle: "award-points", properties: envelope.properties },
    });
    for (const shopId of [690933842, "gid://shopify/Shop/690933842"]) {
      const parsed = parseFlowActionRequest({ ...envelope, shop_id: shopId });
      expect(parsed.ok && parsed.value.shopId).toBe("690933842");
    }
    const without = parseFlowActionRequest({ ...envelope, shop_id: undefined });
    expect(without.ok && without.value.shopId).toBeNull();
  });

  it.each([
    ["not an object", [1], "body is not a JSON object"],
    ["null", null, "body is not a JSON object"],
    ["no domain", { ...envelope, shopify_domain: 7 }, "shopify_domain must be a string"],
    ["a shop id that is not one", { ...envelope, shop_id: "1; drop" }, "shop_id must be a positive integer"],
    ["a fractional shop id", { ...envelope, shop_id: 1.5 }, "shop_id must be a positive integer"],
    ["no run id", { ...envelope, action_run_id: undefined }, "action_run_id must be a plain string of at most 255 characters"],
    ["an empty run id", { ...envelope, action_run_id: "" }, "action_run_id must be a plain string of at most 255 characters"],
    ["a run id with spaces", { ...envelope, action_run_id: "a b" }, "action_run_id must be a plain string of at most 255 characters"],
    ["a run id too long", { ...envelope, action_run_id: "a".repeat(256) }, "action_run_id must be a plain string of at most 255 characters"],
    ["no handle", { ...envelope, handle: null }, "handle must be a string"],
    ["no properties", { ...envelope, properties: undefined }, "properties must be a JSON object"],
    ["properties a list", { ...envelope, properties: [] }, "properties must be a JSON object"],
  ])("refuses %s, naming the field", (_, body, reason) => {
    expect(parseFlowActionRequest(body)).toEqual({ ok: false, reason });
  });
});

describe("shopifyIdOf", () => {
  it.each([
    [207119551, "Customer", "207119551"],
    ["207119551", "Customer", "207119551"],
    ["gid://shopify/Customer/207119551", "Customer", "207119551"],
    ["9007199254740993", "Customer", "9007199254740993"],
    ["gid://shopify/Order/1", "Customer", null],
    [2 ** 53 + 2, "Customer", null],
    [0, "Customer", null],
    ["0", "Customer", null],
    ["-5", "Customer", null],
    ["12a", "Customer", null],
    [null, "Customer", null],
    [true, "Customer", null],
  ])("%j as a %s id is %j", (value, resource, expected) => {
    expect(shopifyIdOf(value, resource)).toBe(expected);
  });
});

describe("parseAwardPoints", () => {
  it("reads customer, points (a number or digits) and a trimmed reason", () => {
    expect(parseAwardPoints({ customer_id: 207119551, points: 50, reason: "  Review bonus  " })).toEqual({
      ok: true,
      value: { customerId: "207119551", points: 50, reason: "Review bonus" },
    });
    expect(parseAwardPoints({ customer_id: "gid://shopify/Customer/7", points: "100", reason: "VIP" })).toEqual({
      ok: true,
      value: { customerId: "7", points: 100, reason: "VIP" },
    });
    expect(parseAwardPoints({ customer_id: "7", points: FLOW_AWARD_MAX_POINTS, reason: "x".repeat(200) }).ok).toBe(true);
  });

  it.each([
    ["no customer", { points: 5, reason: "Because" }, "properties.customer_id must be a customer id"],
    ["an order id as customer", { customer_id: "gid://shopify/Order/7", points: 5, reason: "Because" }, "properties.customer_id must be a customer id"],
    ["no points", { customer_id: "7", reason: "Because" }, "properties.points must be a whole number from 1 to 100000"],
    ["zero points", { customer_id: "7", points: 0, reason: "Because" }, "properties.points must be a whole number from 1 to 100000"],
    ["negative points", { customer_id: "7", points: -5, reason: "Because" }, "properties.points must be a whole number from 1 to 100000"],
    ["fractional points", { customer_id: "7", points: 2.5, reason: "Because" }, "properties.points must be a whole number from 1 to 100000"],
    ["too many points", { customer_id: "7", points: FLOW_AWARD_MAX_POINTS + 1, reason: "Because" }, "properties.points must be a whole number from 1 to 100000"],
    ["points as words", { customer_id: "7", points: "ten", reason: "Because" }, "properties.points must be a whole number from 1 to 100000"],
    ["no reason", { customer_id: "7", points: 5 }, "properties.reason must be text of 3 to 200 characters"],
    ["a short reason", { customer_id: "7", points: 5, reason: " ab " }, "properties.reason must be text of 3 to 200 characters"],
    ["a long reason", { customer_id: "7", points: 5, reason: "x".repeat(201) }, "properties.reason must be text of 3 to 200 characters"],
    ["a reason with NUL", { customer_id: "7", points: 5, reason: "bad\u0000text" }, "properties.reason must be text of 3 to 200 characters"],
  ])("refuses %s, naming the field", (_, properties, reason) => {
    expect(parseAwardPoints(properties)).toEqual({ ok: false, reason });
  });
});

describe("parseSetFollowUpStatus", () => {
  it("reads the order and a status in any case", () => {
    expect(parseSetFollowUpStatus({ order_id: "450789469", status: " Contacted " })).toEqual({ ok: true, value: { orderId: "450789469", status: "contacted" } });
    expect(parseSetFollowUpStatus({ order_id: "gid://shopify/Order/450789469", status: "resolved" })).toEqual({
      ok: true,
      value: { orderId: "450789469", status: "resolved" },
    });
  });

  it.each([
    ["no order", { status: "open" }, "properties.order_id must be an order id"],
    ["a customer id as order", { order_id: "gid://shopify/Customer/1", status: "open" }, "properties.order_id must be an order id"],
    ["no status", { order_id: "1" }, "properties.status must be open, contacted or resolved"],
    ["another status", { order_id: "1", status: "marked" }, "properties.status must be open, contacted or resolved"],
    ["a status that is not text", { order_id: "1", status: 2 }, "properties.status must be open, contacted or resolved"],
  ])("refuses %s, naming the field", (_, properties, reason) => {
    expect(parseSetFollowUpStatus(properties)).toEqual({ ok: false, reason });
  });
});
