import { stubAdminOperation, type AdminCall } from "./admin-api";

/** An automatic discount Shopify holds with Afterglow's perk mark (decision 048), as the earlier-discounts query lists it. */
export interface HeldMarkedDiscount {
  id: string;
  mark: string | null;
  createdAt: string;
}

/**
 * Shopify's side of tier perks (decisions 039, 048): every segment and automatic discount created gets the next id from
 * 101 ("gid://shopify/Segment/101", "gid://shopify/DiscountAutomaticNode/102", …), updates and deletes answer with the
 * id they were sent, a mark is accepted. `refuse` makes a call refused with that userError. `held` are the shop's
 * active or scheduled automatic discounts the earlier-discounts query lists (none unless given).
 */
export function stubTierPerks(
  options: {
    refuse?: (operation: string) => { message: string; code: string } | null;
    gone?: (id: string) => boolean;
    firstId?: number;
    held?: HeldMarkedDiscount[];
  } = {},
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
  stubAdminOperation("AfterglowPerkDiscountMark", (call) => {
    const [metafield] = (call.variables?.metafields as { ownerId: string }[] | undefined) ?? [];
    return { metafieldsSet: { metafields: [{ id: `gid://shopify/Metafield/${metafield?.ownerId.split("/").pop()}` }], userErrors: [] } };
  });
  stubAdminOperation("AfterglowEarlierPerkDiscounts", () => ({
    automaticDiscountNodes: {
      nodes: (options.held ?? []).map((d) => ({ id: d.id, mark: d.mark === null ? null : { value: d.mark }, automaticDiscount: { createdAt: d.createdAt } })),
      pageInfo: { hasNextPage: false, endCursor: null },
    },
  }));
  // Everything the app created is still there unless a test says otherwise (`gone`).
  stubAdminOperation("AfterglowPerkNode", (call) => ({ node: options.gone?.(String(call.variables?.id)) ? null : { id: call.variables?.id } }));
}
