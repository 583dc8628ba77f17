import { stubAdminOperation, type AdminCall } from "./admin-api";

/**
 * Shopify's side of tier perks (decision 039): every segment and automatic discount created gets the next id from 101
 * ("gid://shopify/Segment/101", "gid://shopify/DiscountAutomaticNode/102", …), updates and deletes answer with the id
 * they were sent. `refuse` makes a call refused with that userError.
 */
export function stubTierPerks(
  options: { refuse?: (operation: string) => { message: string; code: string } | null; gone?: (id: string) => boolean; firstId?: number } = {},
) {
  let n = options.firstId ?? 100;
  const created = (field: string, node: string) => (call: AdminCall) => {
    const refusal = options.refuse?.(call.operation);
    if (refusal) return { [field]: { [node]: null, userErrors: [{ field: null, ...refusal }] } };
    return { [field]: { [node]: { id: `gid://shopify/${node === "segment" ? "Segment" : "DiscountAutomaticNode"}/${++n}` }, userErrors: [] } };
  };
  const echo = (field: string, node: string) => (call: AdminCall) => ({ [field]: { [node]: { id: call.variables?.id }, userErrors: [] } });
  const deleted = (field: string, idField: string) => (call: AdminCall) => ({ [field]: { [idField]: call.variables?.id, userErrors: [] } });
  stubAdminOperation("AfterglowPerkSegmentCreate", created("segmentCreate", "segment"));
  stubAdminOperation("AfterglowPerkSegmentUpdate", echo("segmentUpdate", "segment"));
  stubAdminOperation("AfterglowPerkSegmentDelete", deleted("segmentDelete", "deletedSegmentId"));
  stubAdminOperation("AfterglowPerkDiscountBasicCreate", created("discountAutomaticBasicCreate", "automaticDiscountNode"));
  stubAdminOperation("AfterglowPerkDiscountFreeShippingCreate", created("discountAutomaticFreeShippingCreate", "automaticDiscountNode"));
  stubAdminOperation("AfterglowPerkDiscountBasicUpdate", echo("discountAutomaticBasicUpdate", "automaticDiscountNode"));
  stubAdminOperation("AfterglowPerkDiscountFreeShippingUpdate", echo("discountAutomaticFreeShippingUpdate", "automaticDiscountNode"));
  stubAdminOperation("AfterglowPerkDiscountDelete", deleted("discountAutomaticDelete", "deletedAutomaticDiscountId"));
  // Everything the app created is still there unless a test says otherwise (`gone`).
  stubAdminOperation("AfterglowPerkNode", (call) => ({ node: options.gone?.(String(call.variables?.id)) ? null : { id: call.variables?.id } }));
}
