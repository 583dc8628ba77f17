import { validateReturnPolicy, type ReturnPolicy } from "./policy";

/** Thrown when a stored version no longer validates: the schema changed under saved settings. */
export class StoredPolicyInvalid extends Error {
  override name = "StoredPolicyInvalid";
}

/**
 * A saved version's settings (JSON text) read back through the schema. They were validated when saved, so this only
 * fails when the schema changed under them, and then loudly: judging orders by a guess would be worse.
 */
export function readStoredPolicy(settings: string): ReturnPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(settings);
  } catch {
    throw new StoredPolicyInvalid("A stored return policy version is not JSON");
  }
  const checked = validateReturnPolicy(parsed);
  if (!checked.ok) throw new StoredPolicyInvalid(`A stored return policy version no longer validates: ${Object.keys(checked.errors).join(", ")}`);
  return checked.policy;
}

/** The text a policy is stored as: validateReturnPolicy's output, whose key order is the schema's, so equal policies are equal text. */
export function storedPolicyText(policy: ReturnPolicy): string {
  return JSON.stringify(policy);
}
