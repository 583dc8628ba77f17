import { describe, expect, it } from "vitest";
import { DEFAULT_RETURN_POLICY, validateReturnPolicy } from "./policy";
import { readStoredPolicy, StoredPolicyInvalid, storedPolicyText } from "./stored";

describe("stored return policy versions", () => {
  it("read back as the policy that was stored", () => {
    const policy = { ...DEFAULT_RETURN_POLICY, windowDays: null, finalSaleTags: ["final-sale"] };
    expect(readStoredPolicy(storedPolicyText(policy))).toEqual(policy);
  });

  it("are the same text for the same settings, however the input was ordered or spelled", () => {
    const shuffled = Object.fromEntries(Object.entries({ ...DEFAULT_RETURN_POLICY, windowDays: "30" }).reverse());
    const checked = validateReturnPolicy(shuffled);
    if (!checked.ok) throw new Error("fixture should be valid");
    expect(storedPolicyText(checked.policy)).toBe(storedPolicyText(DEFAULT_RETURN_POLICY));
  });

  it("fail loudly when a stored version is not JSON or no longer validates", () => {
    expect(() => readStoredPolicy("{")).toThrow(StoredPolicyInvalid);
    expect(() => readStoredPolicy(JSON.stringify({ ...DEFAULT_RETURN_POLICY, windowDays: 999 }))).toThrow(/windowDays/);
  });
});
