import { minorToDecimal } from "~/domain/money";
import type { RewardCombinesWith, RewardKind } from "~/domain/loyalty/rewards";
import { runAdminQuery, type AdminGraphql } from "./admin-client.server";
import { userErrorsMessage, type AdminUserError } from "./user-errors";

/**
 * Single-use discount codes for one customer: a redeemed reward (services/rewards.server.ts). Amount and percentage
 * rewards are amount-off code discounts (discountCodeBasicCreate), free shipping a free-shipping code discount
 * (discountCodeFreeShippingCreate); both limited by `context` to that one customer, usable once, ending with the
 * reward's validity. Needs `write_discounts` (docs/decisions/004-scopes.md).
 */

const BASIC_CREATE = `#graphql
  mutation AfterglowRewardCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const FREE_SHIPPING_CREATE = `#graphql
  mutation AfterglowRewardCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const BY_CODE = `#graphql
  query AfterglowRewardCodeByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) { id }
  }`;

/** A reward code to create in Shopify. */
interface RewardCodeRequest {
  code: string;
  /** The discount's title in the Shopify admin (the reward's title and the code). */
  title: string;
  /** Numeric customer id (the discount is for this customer only). */
  customerId: string;
  kind: RewardKind;
  amountMinor: number | null;
  percent: number | null;
  minimumMinor: number | null;
  currency: string | null;
  combinesWith: RewardCombinesWith;
  startsAt: Date;
  endsAt: Date;
}

/** Shopify refused the code (userErrors): nothing was created. The message is Shopify's own text. */
export class RewardCodeRefused extends Error {
  override name = "RewardCodeRefused";
}

/** The variables of the create mutation for `request`: `{ basicCodeDiscount }` or `{ freeShippingCodeDiscount }`. */
function codeVariables(request: RewardCodeRequest): { operation: "basic" | "freeShipping"; variables: Record<string, unknown> } {
  const common = {
    title: request.title,
    code: request.code,
    startsAt: request.startsAt.toISOString(),
    endsAt: request.endsAt.toISOString(),
    context: { customers: { add: [`gid://shopify/Customer/${request.customerId}`] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    minimumRequirement:
      request.minimumMinor !== null && request.currency
        ? { subtotal: { greaterThanOrEqualToSubtotal: minorToDecimal(request.minimumMinor, request.currency) } }
        : null,
  };
  const combines = request.combinesWith;
  if (request.kind === "free_shipping") {
    return {
      operation: "freeShipping",
      variables: {
        freeShippingCodeDiscount: {
          ...common,
          destination: { all: true },
          // One shipping discount applies per delivery: a free-shipping code never combines with another.
          combinesWith: { orderDiscounts: combines.order, productDiscounts: combines.product, shippingDiscounts: false },
        },
      },
    };
  }
  const value =
    request.kind === "percentage"
      ? { percentage: (request.percent ?? 0) / 100 }
      : { discountAmount: { amount: minorToDecimal(request.amountMinor ?? 0, request.currency ?? "USD"), appliesOnEachItem: false } };
  return {
    operation: "basic",
    variables: {
      basicCodeDiscount: {
        ...common,
        customerGets: { value, items: { all: true } },
        combinesWith: { orderDiscounts: combines.order, productDiscounts: combines.product, shippingDiscounts: combines.shipping },
      },
    },
  };
}

type CreatePayload = { codeDiscountNode: { id: string } | null; userErrors: AdminUserError[] };

/**
 * Creates the code discount. Resolves to its id; rejects with RewardCodeRefused when Shopify refused it (nothing was
 * created), or with any other error when the outcome is unknown (network, timeout, HTTP or GraphQL error): the caller
 * then looks the code up (`findCodeDiscount`) before deciding.
 */
export async function createRewardCode(graphql: AdminGraphql, request: RewardCodeRequest): Promise<string> {
  const { operation, variables } = codeVariables(request);
  const data =
    operation === "basic"
      ? (await runAdminQuery<{ discountCodeBasicCreate: CreatePayload }>(graphql, BASIC_CREATE, variables)).discountCodeBasicCreate
      : (await runAdminQuery<{ discountCodeFreeShippingCreate: CreatePayload }>(graphql, FREE_SHIPPING_CREATE, variables)).discountCodeFreeShippingCreate;
  if (data.userErrors.length || !data.codeDiscountNode) throw new RewardCodeRefused(userErrorsMessage(data.userErrors));
  return data.codeDiscountNode.id;
}

/** The code discount holding `code` (case-insensitive in Shopify), or null when there is none. */
export async function findCodeDiscount(graphql: AdminGraphql, code: string): Promise<string | null> {
  const data = await runAdminQuery<{ codeDiscountNodeByCode: { id: string } | null }>(graphql, BY_CODE, { code });
  return data.codeDiscountNodeByCode?.id ?? null;
}
