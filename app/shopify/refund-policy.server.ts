import { readReturnProfiles, type ShopifyReturnProfile } from "~/domain/returns/shopify-rules";
import { AdminApiError, runAdminQuery, type AdminGraphql } from "./admin-client.server";
import { userErrorsMessage, type AdminUserError } from "./user-errors";

/**
 * The shop's refund policy in Shopify: written with `shopPolicyUpdate` (type REFUND_POLICY, scope
 * write_legal_policies, which also grants reading it) and read back from `shop.shopPolicies`, in the same query as
 * Shopify's own return rules (`returnPolicyProfiles`, API 2026-10, read_legal_policies: decision 046).
 */

export const REFUND_POLICY_UPDATE_MUTATION = `#graphql
  mutation AfterglowRefundPolicyUpdate($shopPolicy: ShopPolicyInput!) {
    shopPolicyUpdate(shopPolicy: $shopPolicy) {
      shopPolicy { type body updatedAt }
      userErrors { field message code }
    }
  }
`;

export const SHOP_POLICIES_QUERY = `#graphql
  query AfterglowShopPolicies {
    shop {
      shopPolicies { type body updatedAt }
    }
    returnPolicyProfiles(first: 25) {
      nodes {
        name
        default
        returnRules { canAcceptReturns returnWindowDays returnWindowStartingFrom }
      }
    }
  }
`;

/** Shopify's copy of the refund policy: its body and when it last changed. */
export interface RefundPolicyCopy {
  body: string;
  updatedAt: Date | null;
}

interface ShopPolicyNode {
  type?: string | null;
  body?: string | null;
  updatedAt?: string | null;
}

function toCopy(node: ShopPolicyNode | null | undefined): RefundPolicyCopy | null {
  if (!node || typeof node.body !== "string") return null;
  const updatedAt = node.updatedAt ? new Date(node.updatedAt) : null;
  return { body: node.body, updatedAt: updatedAt && !Number.isNaN(updatedAt.getTime()) ? updatedAt : null };
}

/** The variables of the one publish call: the full HTML text as the shop's refund policy. */
function refundPolicyVariables(body: string) {
  return { shopPolicy: { type: "REFUND_POLICY", body } };
}

/** Shopify refused the policy (`userErrors`); the message carries Shopify's own text only. */
export class RefundPolicyRejected extends Error {
  override name = "RefundPolicyRejected";
  constructor(readonly userErrors: AdminUserError[]) {
    super(userErrorsMessage(userErrors));
  }
}

/**
 * Sends exactly one `shopPolicyUpdate`. Returns Shopify's copy as it answered (or null when it answered without
 * one). Throws `RefundPolicyRejected` on userErrors and `AdminApiError` (or the client's own error) otherwise.
 */
export async function updateRefundPolicy(graphql: AdminGraphql, body: string): Promise<RefundPolicyCopy | null> {
  const data = await runAdminQuery<{ shopPolicyUpdate: { shopPolicy?: ShopPolicyNode | null; userErrors?: AdminUserError[] } | null }>(
    graphql,
    REFUND_POLICY_UPDATE_MUTATION,
    refundPolicyVariables(body),
  );
  if (!data.shopPolicyUpdate) throw new AdminApiError("shopPolicyUpdate returned no payload", null);
  if (data.shopPolicyUpdate.userErrors?.length) throw new RefundPolicyRejected(data.shopPolicyUpdate.userErrors);
  return toCopy(data.shopPolicyUpdate.shopPolicy);
}

/**
 * The shop's refund policy as Shopify holds it now (null when the shop has none, or an empty one), and its return
 * rules (null when the answer holds no profiles).
 */
export async function readShopPolicies(graphql: AdminGraphql): Promise<{ refund: RefundPolicyCopy | null; returnRules: ShopifyReturnProfile[] | null }> {
  const data = await runAdminQuery<{ shop: { shopPolicies?: ShopPolicyNode[] | null } | null; returnPolicyProfiles?: unknown }>(graphql, SHOP_POLICIES_QUERY);
  if (!data.shop) throw new AdminApiError("shop returned nothing", null);
  const copy = toCopy((data.shop.shopPolicies ?? []).find((p) => p.type === "REFUND_POLICY"));
  return { refund: copy && copy.body.trim() !== "" ? copy : null, returnRules: readReturnProfiles(data.returnPolicyProfiles) };
}
