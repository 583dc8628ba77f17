import { describe, expect, it } from "vitest";
import { DEFAULT_RETURN_POLICY, type ReturnPolicy } from "~/domain/returns/policy";
import { errorsToShow } from "~/components/use-dirty-form";
import {
  defaultPolicyForm,
  FIELD_ERROR_KEYS,
  finalSaleTagsError,
  formFromPolicy,
  readPolicyForm,
  samePolicyForm,
  splitTags,
  validatePolicyForm,
  type PolicyForm,
} from "./policy-form";

const FULL: ReturnPolicy = {
  windowDays: 14,
  windowStart: "fulfillment",
  shipping: { kind: "flat", feeMinor: 595 },
  restockingFeePercent: 15,
  exchanges: false,
  storeCredit: { offered: true, bonusPercent: 10 },
  finalSaleTags: ["Final Sale", "clearance"],
  conditions: { unused: true, originalPackaging: true, tagsAttached: false },
  note: "Gift returns:\nbring the receipt.",
  publishLocale: "fr",
};

const ok = (form: PolicyForm, currency = "USD") => {
  const checked = validatePolicyForm(form, currency);
  if (!checked.ok) throw new Error(`expected a valid form: ${JSON.stringify(checked.errors)}`);
  return checked.policy;
};
const errorsOf = (form: PolicyForm, currency = "USD") => {
  const checked = validatePolicyForm(form, currency);
  if (checked.ok) throw new Error("expected errors");
  return checked.errors;
};

describe("the return policy form", () => {
  it("round-trips every setting: policy → form → the same policy", () => {
    expect(ok(defaultPolicyForm("USD"))).toEqual(DEFAULT_RETURN_POLICY);
    expect(ok(formFromPolicy(FULL, "USD"))).toEqual(FULL);
    expect(formFromPolicy(FULL, "USD")).toMatchObject({ shippingFee: "5.95", finalSaleTags: "Final Sale, clearance", unlimited: false, windowDays: "14" });
    const yen = { ...FULL, shipping: { kind: "flat" as const, feeMinor: 500 } };
    expect(formFromPolicy(yen, "JPY").shippingFee).toBe("500");
    expect(ok(formFromPolicy(yen, "JPY"), "JPY")).toEqual(yen);
  });

  it("'No time limit' becomes windowDays null, whatever the days field holds", () => {
    const form = { ...defaultPolicyForm("USD"), unlimited: true, windowDays: "not a number" };
    expect(ok(form).windowDays).toBeNull();
    expect(formFromPolicy({ ...FULL, windowDays: null }, "USD")).toMatchObject({ unlimited: true, windowDays: "30" });
  });

  it("reports the days and percentages with the domain's messages, under the schema's paths", () => {
    const form = { ...defaultPolicyForm("USD"), windowDays: "400", restockingFeePercent: "12.5", storeCreditOffered: true, storeCreditBonusPercent: "" };
    expect(errorsOf(form)).toEqual({
      windowDays: "Enter a whole number of days from 0 to 365, or choose unlimited",
      restockingFeePercent: "Restocking fee must be a whole number between 0 and 100 %",
      "storeCredit.bonusPercent": "Store credit bonus must be a whole number between 0 and 100 %",
    });
    expect(ok({ ...defaultPolicyForm("USD"), windowDays: " 0 " }).windowDays).toBe(0);
  });

  it.each([
    ["", "USD", "Enter the return shipping fee, e.g. 5.00"],
    ["five", "USD", "Enter the fee as an amount, e.g. 5.00"],
    ["5.955", "USD", "Use at most 2 decimals"],
    ["5.5", "JPY", "JPY amounts have no decimals"],
    ["-2.00", "USD", "Enter a return shipping fee of 0 or more"],
    ["1000000.01", "USD", "That return shipping fee is too large"],
  ])("a flat fee of %j in %s: %s", (fee, currency, message) => {
    const form = { ...defaultPolicyForm(currency), shippingKind: "flat", shippingFee: fee };
    expect(errorsOf(form, currency)).toEqual({ "shipping.feeMinor": message });
  });

  it("converts the fee from decimals to minor units without floats, and drops it for other kinds", () => {
    expect(ok({ ...defaultPolicyForm("USD"), shippingKind: "flat", shippingFee: "0.29" }).shipping).toEqual({ kind: "flat", feeMinor: 29 });
    expect(ok({ ...defaultPolicyForm("KWD"), shippingKind: "flat", shippingFee: "1.250" }, "KWD").shipping).toEqual({ kind: "flat", feeMinor: 1250 });
    expect(ok({ ...defaultPolicyForm("USD"), shippingKind: "free", shippingFee: "garbage" }).shipping).toEqual({ kind: "free" });
    expect(errorsOf({ ...defaultPolicyForm("USD"), shippingKind: "drone" })).toEqual({
      "shipping.kind": "Choose free return shipping, a flat fee, or return shipping paid by the customer",
    });
  });

  it("splits tags on commas, drops blanks, and names the tag a message is about", () => {
    expect(splitTags(" final-sale, ,Clearance,, ")).toEqual(["final-sale", "Clearance"]);
    expect(ok({ ...defaultPolicyForm("USD"), finalSaleTags: "Final Sale, final sale, clearance" }).finalSaleTags).toEqual(["Final Sale", "clearance"]);
    const long = "x".repeat(41);
    const form = { ...defaultPolicyForm("USD"), finalSaleTags: `ok, ${long}` };
    const errors = errorsOf(form);
    expect(errors).toEqual({ "finalSaleTags.1": "Keep each tag to 40 characters or fewer" });
    expect(finalSaleTagsError(form, errors)).toBe(`"${"x".repeat(40)}…": Keep each tag to 40 characters or fewer`);
    const many = { ...defaultPolicyForm("USD"), finalSaleTags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(",") };
    expect(finalSaleTagsError(many, errorsOf(many))).toBe("Use at most 20 final-sale tags");
  });

  it("reads a posted form only when every field has its type", () => {
    const form = formFromPolicy(FULL, "USD");
    expect(readPolicyForm(JSON.parse(JSON.stringify(form)))).toEqual(form);
    expect(readPolicyForm(null)).toBeNull();
    expect(readPolicyForm([form])).toBeNull();
    expect(readPolicyForm({ ...form, exchanges: "true" })).toBeNull();
    expect(readPolicyForm({ ...form, windowDays: 30 })).toBeNull();
    expect(readPolicyForm({ ...form, note: "x".repeat(20_001) })).toBeNull();
    const { note: _note, ...missing } = form;
    expect(readPolicyForm(missing)).toBeNull();
    // Unknown extra fields are not carried over.
    expect(readPolicyForm({ ...form, admin: true })).toEqual(form);
  });

  it("tells an edited form from the saved one by the policy it holds, not by how it is typed", () => {
    const saved = formFromPolicy(FULL, "USD");
    expect(samePolicyForm(saved, { ...saved }, "USD")).toBe(true);
    // The same policy, typed differently: nothing worth saving.
    expect(samePolicyForm(saved, { ...saved, windowDays: " 14 ", shippingFee: "5.950", finalSaleTags: "Final Sale,clearance, " }, "USD")).toBe(true);
    // A different policy, or a form that is not a policy yet: unsaved.
    expect(samePolicyForm(saved, { ...saved, windowDays: "15" }, "USD")).toBe(false);
    expect(samePolicyForm(saved, { ...saved, shippingFee: "" }, "USD")).toBe(false);
    expect(samePolicyForm({ ...saved, shippingFee: "" }, { ...saved, shippingFee: " " }, "USD")).toBe(false);
  });

  it("choosing a flat fee reveals the fee's error only once the fee is touched (or a save is tried)", () => {
    const form: PolicyForm = { ...defaultPolicyForm("USD"), shippingKind: "flat", shippingFee: "" };
    const errors = errorsOf(form);
    expect(errors).toEqual({ "shipping.feeMinor": "Enter the return shipping fee, e.g. 5.00" });
    expect(errorsToShow(errors, new Set(FIELD_ERROR_KEYS.shippingKind), false)).toEqual({});
    expect(errorsToShow(errors, new Set(FIELD_ERROR_KEYS.shippingFee), false)).toEqual(errors);
    expect(errorsToShow(errors, new Set(), true)).toEqual(errors);
  });

  it("every error a form can have belongs to a field that touches it", () => {
    const touchedAll = new Set(Object.values(FIELD_ERROR_KEYS).flat());
    const bad: PolicyForm = {
      ...formFromPolicy(FULL, "USD"),
      windowDays: "400",
      windowStart: "later",
      shippingFee: "x",
      restockingFeePercent: "101",
      storeCreditBonusPercent: "-1",
      finalSaleTags: `ok, ${"y".repeat(41)}`,
      note: "n".repeat(1001),
      publishLocale: "xx",
    };
    const errors = errorsOf(bad);
    expect(Object.keys(errors).length).toBeGreaterThanOrEqual(8);
    expect(errorsToShow(errors, touchedAll, false)).toEqual(errors);
  });
});
