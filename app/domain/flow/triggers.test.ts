import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FLOW_PAYLOAD_MAX_BYTES, FLOW_TRIGGERS, fitsFlowPayloadLimit, triggerByDefinitionId } from "./triggers";

const EXTENSIONS = path.resolve(__dirname, "../../../extensions");

interface TomlTrigger {
  folder: string;
  name: string | undefined;
  type: string | undefined;
  handle: string | undefined;
  fields: { type: string; key: string | undefined }[];
}

/** The few keys a trigger TOML uses, read line by line: `[[extensions]]` then `[[settings.fields]]` tables. */
function readTriggerToml(folder: string): TomlTrigger {
  const text = fs.readFileSync(path.join(EXTENSIONS, folder, "shopify.extension.toml"), "utf8");
  const [head = "", ...fieldTables] = text.split(/^\[\[settings\.fields\]\]\s*$/m);
  const value = (table: string, key: string) => new RegExp(`^${key}\\s*=\\s*"([^"]*)"\\s*$`, "m").exec(table)?.[1];
  const extension = head.split(/^\[\[extensions\]\]\s*$/m)[1] ?? "";
  return {
    folder,
    name: value(extension, "name"),
    type: value(extension, "type"),
    handle: value(extension, "handle"),
    fields: fieldTables.map((table) => ({ type: value(table, "type") ?? "", key: value(table, "key") })),
  };
}

const triggerFolders = fs
  .readdirSync(EXTENSIONS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(EXTENSIONS, d.name, "shopify.extension.toml")))
  .map((d) => d.name)
  .filter((name) => /^\s*type\s*=\s*"flow_trigger"/m.test(fs.readFileSync(path.join(EXTENSIONS, name, "shopify.extension.toml"), "utf8")));
const tomls = triggerFolders.map(readTriggerToml);

/** The payload key Shopify gives each field: references as customer_id / order_id, the others their key. */
const payloadKeyOf = (field: { type: string; key: string | undefined }) =>
  field.type === "customer_reference" ? "customer_id" : field.type === "order_reference" ? "order_id" : field.key;

/** A complete event for each trigger (every optional part present), so the payload holds every field. */
const SAMPLES = {
  surveyAnswerReceived: FLOW_TRIGGERS.surveyAnswerReceived.build({
    customerId: "7001",
    orderId: "9001",
    nps: 3,
    npsGroup: "detractor",
    csat: 2,
    ces: 4,
    comment: "Late",
    attribution: "Podcast",
  }),
  loyaltyTierChanged: FLOW_TRIGGERS.loyaltyTierChanged.build({ customerId: "7001", previousTier: "Silver", tier: "Gold", points: 1200 }),
  rewardRedeemed: FLOW_TRIGGERS.rewardRedeemed.build({ customerId: "7001", reward: "$10 off", pointsSpent: 500, points: 700, discountCode: "AG-1234" }),
  followUpStatusChanged: FLOW_TRIGGERS.followUpStatusChanged.build({
    followUpId: 12,
    customerId: "7001",
    orderId: "9001",
    previousStatus: "open",
    status: "contacted",
    owner: "Sam",
  }),
  goodwillGranted: FLOW_TRIGGERS.goodwillGranted.build({
    followUpId: 12,
    customerId: "7001",
    orderId: "9001",
    kind: "code",
    points: 0,
    reward: "$10 off",
    discountCode: "AG-ABCD-EFGH",
  }),
  reviewRequested: FLOW_TRIGGERS.reviewRequested.build({ followUpId: 13, customerId: "7001", orderId: "9001", nps: 10 }),
  thankYouRequested: FLOW_TRIGGERS.thankYouRequested.build({ followUpId: 14, customerId: "7001", orderId: "9001", nps: 8 }),
};

describe("Flow trigger extensions and the registry", () => {
  it("finds the seven trigger extensions, one per registry entry", () => {
    expect(triggerFolders.sort()).toEqual(
      [
        "flow-follow-up-status-changed",
        "flow-goodwill-granted",
        "flow-loyalty-tier-changed",
        "flow-review-requested",
        "flow-reward-redeemed",
        "flow-survey-answer-received",
        "flow-thank-you-requested",
      ].sort(),
    );
    expect(tomls.map((t) => t.handle).sort()).toEqual(Object.values(FLOW_TRIGGERS).map((t) => t.handle).sort());
  });

  it("handles follow Shopify's rules: at most 30 characters, letters, digits and hyphens, unique; folder flow-<handle>", () => {
    const handles = tomls.map((t) => t.handle ?? "");
    for (const t of tomls) {
      expect(t.type).toBe("flow_trigger");
      expect(t.handle, t.folder).toMatch(/^[a-zA-Z0-9-]{1,30}$/);
      expect(t.folder).toBe(`flow-${t.handle}`);
    }
    expect(new Set(handles).size).toBe(handles.length);
  });

  it("names follow Shopify's guideline (sentence case, no punctuation but the hyphen) and match the registry", () => {
    for (const trigger of Object.values(FLOW_TRIGGERS)) {
      const toml = tomls.find((t) => t.handle === trigger.handle)!;
      expect(toml.name).toBe(trigger.name);
      expect(trigger.name).toMatch(/^[A-Z][a-z-]*( [a-z-]+)*$/);
    }
  });

  it("fields: types the Shopify CLI accepts on a trigger, keys of letters and spaces, one key at most once, a reference at most once", () => {
    // The Shopify CLI's types for trigger fields: references (customer, order, product, company, company contact) and
    // boolean, email, single_line_text_field, url, number_decimal (it refuses number_integer on a trigger).
    const known = ["customer_reference", "order_reference", "product_reference", "boolean", "email", "single_line_text_field", "url", "number_decimal"];
    for (const t of tomls) {
      const keys = t.fields.map(payloadKeyOf);
      expect(new Set(keys).size, t.folder).toBe(keys.length);
      for (const field of t.fields) {
        expect(known, t.folder).toContain(field.type);
        if (field.type.endsWith("_reference")) expect(field.key, t.folder).toBeUndefined();
        else expect(field.key, t.folder).toMatch(/^[a-zA-Z][a-zA-Z ]*$/);
      }
    }
  });

  it("the registry's fields are exactly its TOML's, in order", () => {
    for (const trigger of Object.values(FLOW_TRIGGERS)) {
      const toml = tomls.find((t) => t.handle === trigger.handle)!;
      expect(trigger.fields.map((f) => ({ type: f.type, key: f.key }))).toEqual(toml.fields);
    }
  });

  it("each builder's payload keys equal its TOML's field keys", () => {
    for (const [name, payload] of Object.entries(SAMPLES)) {
      const trigger = FLOW_TRIGGERS[name as keyof typeof FLOW_TRIGGERS];
      const toml = tomls.find((t) => t.handle === trigger.handle)!;
      expect(Object.keys(payload).sort(), name).toEqual(toml.fields.map(payloadKeyOf).sort());
    }
  });

  it("builds the follow-up payload exactly, with numeric references", () => {
    expect(SAMPLES.followUpStatusChanged).toEqual({
      customer_id: 7001,
      order_id: 9001,
      "follow up id": 12,
      "previous status": "open",
      status: "contacted",
      owner: "Sam",
    });
  });

  it("builds the goodwill and marked-answer payloads exactly (decision 044)", () => {
    expect(SAMPLES.goodwillGranted).toEqual({
      customer_id: 7001,
      order_id: 9001,
      "follow up id": 12,
      goodwill: "code",
      points: 0,
      reward: "$10 off",
      "discount code": "AG-ABCD-EFGH",
    });
    expect(SAMPLES.reviewRequested).toEqual({ customer_id: 7001, order_id: 9001, "follow up id": 13, "nps score": 10 });
    expect(SAMPLES.thankYouRequested).toEqual({ customer_id: 7001, order_id: 9001, "follow up id": 14, "nps score": 8 });
  });

  it("leaves out a reference it cannot send exactly: a guest (no customer), an id beyond 2^53", () => {
    const guest = FLOW_TRIGGERS.followUpStatusChanged.build({
      followUpId: 1,
      customerId: null,
      orderId: "9007199254740993",
      previousStatus: "open",
      status: "resolved",
      owner: null,
    });
    expect(guest).toEqual({ "follow up id": 1, "previous status": "open", status: "resolved", owner: "" });
  });

  it("size limit: a payload of exactly the limit fits, one byte more does not (bytes, not characters)", () => {
    const overhead = JSON.stringify({ comment: "" }).length;
    expect(fitsFlowPayloadLimit({ comment: "a".repeat(FLOW_PAYLOAD_MAX_BYTES - overhead) })).toBe(true);
    expect(fitsFlowPayloadLimit({ comment: "a".repeat(FLOW_PAYLOAD_MAX_BYTES - overhead + 1) })).toBe(false);
    // "é" is two bytes in UTF-8.
    expect(fitsFlowPayloadLimit({ comment: "é".repeat(Math.floor((FLOW_PAYLOAD_MAX_BYTES - overhead) / 2)) })).toBe(true);
    expect(fitsFlowPayloadLimit({ comment: "é".repeat(Math.floor((FLOW_PAYLOAD_MAX_BYTES - overhead) / 2) + 1) })).toBe(false);
  });

  it("finds a trigger by the lifecycle callback's definition id: its handle or its name, any case; nothing else", () => {
    expect(triggerByDefinitionId("follow-up-status-changed")?.handle).toBe("follow-up-status-changed");
    expect(triggerByDefinitionId("Follow-up status changed")?.handle).toBe("follow-up-status-changed");
    expect(triggerByDefinitionId(" REWARD-REDEEMED ")?.handle).toBe("reward-redeemed");
    expect(triggerByDefinitionId("Add row to spreadsheet")).toBeNull();
    expect(triggerByDefinitionId("")).toBeNull();
  });
});
