import { isFinalSaleOnly, type ReturnPolicy, type WindowStart } from "./policy";

/**
 * Shopify's own return rules (return policy profiles, Admin API 2026-10, `read_legal_policies`): what customers may
 * request in their Shopify account, per profile (the default one, and named ones assigned to markets). Afterglow's
 * policy decides return eligibility, the points that wait out the return window and the text it publishes; when the
 * two windows differ, the Returns and Loyalty pages say so (docs/decisions/046-shopify-return-rules.md).
 */
export interface ShopifyReturnProfile {
  /** The profile's name; null for the shop's default profile. */
  name: string | null;
  isDefault: boolean;
  /** The window as Shopify states it: no returns, no limit, or days from delivery. */
  window: { kind: "none" } | { kind: "unlimited" } | { kind: "days"; days: number; from: "item_delivery" | "last_delivery" };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The profiles as the Admin API answered `returnPolicyProfiles { nodes { … } }`; null when the answer holds none
 * (not asked, or Shopify left the field out). A profile whose rules are null has no restrictions (Shopify: "customers
 * can return items without restrictions"); a window of -1 days is unlimited. Unreadable nodes are left out.
 */
export function readReturnProfiles(raw: unknown): ShopifyReturnProfile[] | null {
  const nodes = isObject(raw) && Array.isArray(raw.nodes) ? raw.nodes : null;
  if (!nodes) return null;
  const profiles: ShopifyReturnProfile[] = [];
  for (const node of nodes) {
    if (!isObject(node) || typeof node.default !== "boolean") continue;
    const name = typeof node.name === "string" && node.name.trim() ? node.name.trim().slice(0, 100) : null;
    const rules = node.returnRules;
    let window: ShopifyReturnProfile["window"];
    if (rules === null || rules === undefined) window = { kind: "unlimited" };
    else if (!isObject(rules) || typeof rules.canAcceptReturns !== "boolean") continue;
    else if (!rules.canAcceptReturns) window = { kind: "none" };
    else if (rules.returnWindowDays === -1 || rules.returnWindowDays === null || rules.returnWindowDays === undefined) window = { kind: "unlimited" };
    else if (Number.isInteger(rules.returnWindowDays) && (rules.returnWindowDays as number) >= 0) {
      window = { kind: "days", days: rules.returnWindowDays as number, from: rules.returnWindowStartingFrom === "ITEM_DELIVERY_DATE" ? "item_delivery" : "last_delivery" };
    } else continue;
    profiles.push({ name, isDefault: node.default, window });
  }
  return profiles;
}

const START_WORDS: Record<WindowStart, string> = { order: "the order", fulfillment: "fulfillment", delivery: "delivery" };

/** Afterglow's window in words: "No returns", "No time limit", "30 days from delivery". */
export function afterglowWindowText(policy: ReturnPolicy): string {
  if (isFinalSaleOnly(policy)) return "No returns";
  if (policy.windowDays === null) return "No time limit";
  return `${policy.windowDays} ${policy.windowDays === 1 ? "day" : "days"} from ${START_WORDS[policy.windowStart]}`;
}

/** Shopify's window in words, as the Returns page shows it. */
function shopifyWindowText(window: ShopifyReturnProfile["window"]): string {
  if (window.kind === "none") return "No returns";
  if (window.kind === "unlimited") return "No time limit";
  return `${window.days} ${window.days === 1 ? "day" : "days"} from ${window.from === "item_delivery" ? "each item's delivery" : "delivery"}`;
}

/** Shopify's window in days from delivery: 0 takes no returns, null has no limit. */
function shopifyDays(window: ShopifyReturnProfile["window"]): number | null {
  return window.kind === "none" ? 0 : window.kind === "unlimited" ? null : window.days;
}

/** Whether a Shopify profile's window is the same as the policy's (Afterglow counts delivery as the last item's). */
function sameWindow(policy: ReturnPolicy, window: ShopifyReturnProfile["window"]): boolean {
  const days = policy.windowDays;
  if (days !== shopifyDays(window)) return false;
  // A limit counted from the order or from fulfilment is another window than Shopify's, counted from delivery.
  return days === null || days === 0 || policy.windowStart === "delivery";
}

export interface ReturnRuleDifference {
  /** "Default" or the profile's name. */
  profile: string;
  shopify: string;
  afterglow: string;
}

/** The Shopify profiles whose window differs from the policy's, default profile first. */
export function returnRuleDifferences(policy: ReturnPolicy, profiles: readonly ShopifyReturnProfile[]): ReturnRuleDifference[] {
  return [...profiles]
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
    .filter((p) => !sameWindow(policy, p.window))
    .map((p) => ({ profile: p.isDefault ? "Default" : (p.name ?? "Unnamed"), shopify: shopifyWindowText(p.window), afterglow: afterglowWindowText(policy) }));
}
