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

  const thrownBy = (settings: string): unknown => {
    try {
      readStoredPolicy(settings);
    } catch (error) {
      return error;
    }
    throw new Error("expected readStoredPolicy to throw");
  };

  it.each([
    // [what, stored text, the whole message]
    ["text that is not JSON", "{", "A stored return policy version is not JSON"],
    ["an empty text", "", "A stored return policy version is not JSON"],
    ["JSON that is no policy at all", "null", "A stored return policy version no longer validates: policy"],
    [
      "two fields the schema no longer accepts, each named",
      JSON.stringify({ ...DEFAULT_RETURN_POLICY, windowDays: 999, restockingFeePercent: -1 }),
      "A stored return policy version no longer validates: windowDays, restockingFeePercent",
    ],
  ])("GIVEN %s WHEN read THEN a StoredPolicyInvalid says exactly why", (_what, settings, message) => {
    const error = thrownBy(settings);
    expect(error).toBeInstanceOf(StoredPolicyInvalid);
    expect(error).toMatchObject({ name: "StoredPolicyInvalid", message });
  });

  it("the stored text is the policy's JSON, key for key", () => {
    expect(JSON.parse(storedPolicyText(DEFAULT_RETURN_POLICY))).toEqual(DEFAULT_RETURN_POLICY);
    expect(Object.keys(JSON.parse(storedPolicyText(DEFAULT_RETURN_POLICY)) as object)).toEqual(Object.keys(DEFAULT_RETURN_POLICY));
  });
});
