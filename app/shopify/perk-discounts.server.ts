import { requestedCost, type ThrottleStatus } from "~/domain/admin-cost";
import type { DiscountSpec, SegmentSpec } from "~/domain/loyalty/perk-discounts";
import { AdminApiError, runAdminQueryMetered, type AdminGraphql } from "./admin-client.server";
import { PermanentAdminError } from "./customer-mirror.server";
import type { AdminUserError } from "./user-errors";

/**
 * Tier perks in Shopify (docs/decisions/039-tier-perk-discounts.md): customer segments on the tier tags
 * (`segmentCreate` / `segmentUpdate` / `segmentDelete`, scope `write_customers`) and automatic discounts limited to
 * them by `context.customerSegments` (`discountAutomaticBasic*`, `discountAutomaticFreeShipping*`,
 * `discountAutomaticDelete`, scope `write_discounts`). Only the outbox calls these (services/tier-perks.server.ts).
 * A refusal (`userErrors`, e.g. the shop already has 25 active automatic discounts) throws a `PermanentAdminError`
 * carrying Shopify's text; anything else propagates for the outbox to retry.
 */

const SEGMENT_CREATE = `#graphql
  mutation AfterglowPerkSegmentCreate($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment { id }
      userErrors { field message }
    }
  }`;

const SEGMENT_UPDATE = `#graphql
  mutation AfterglowPerkSegmentUpdate($id: ID!, $name: String, $query: String) {
    segmentUpdate(id: $id, name: $name, query: $query) {
      segment { id }
      userErrors { field message }
    }
  }`;

const SEGMENT_DELETE = `#graphql
  mutation AfterglowPerkSegmentDelete($id: ID!) {
    segmentDelete(id: $id) {
      deletedSegmentId
      userErrors { field message }
    }
  }`;

const BASIC_CREATE = `#graphql
  mutation AfterglowPerkDiscountBasicCreate($automaticBasicDiscount: DiscountAutomaticBasicInput!) {
    discountAutomaticBasicCreate(automaticBasicDiscount: $automaticBasicDiscount) {
      automaticDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const BASIC_UPDATE = `#graphql
  mutation AfterglowPerkDiscountBasicUpdate($id: ID!, $automaticBasicDiscount: DiscountAutomaticBasicInput!) {
    discountAutomaticBasicUpdate(id: $id, automaticBasicDiscount: $automaticBasicDiscount) {
      automaticDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const FREE_SHIPPING_CREATE = `#graphql
  mutation AfterglowPerkDiscountFreeShippingCreate($freeShippingAutomaticDiscount: DiscountAutomaticFreeShippingInput!) {
    discountAutomaticFreeShippingCreate(freeShippingAutomaticDiscount: $freeShippingAutomaticDiscount) {
      automaticDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const FREE_SHIPPING_UPDATE = `#graphql
  mutation AfterglowPerkDiscountFreeShippingUpdate($id: ID!, $freeShippingAutomaticDiscount: DiscountAutomaticFreeShippingInput!) {
    discountAutomaticFreeShippingUpdate(id: $id, freeShippingAutomaticDiscount: $freeShippingAutomaticDiscount) {
      automaticDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const DISCOUNT_DELETE = `#graphql
  mutation AfterglowPerkDiscountDelete($id: ID!) {
    discountAutomaticDelete(id: $id) {
      deletedAutomaticDiscountId
      userErrors { field message code }
    }
  }`;

/**
 * The app-owned metafield that marks a perk discount as Afterglow's (docs/decisions/048-perk-discounts-across-reinstalls.md):
 * set on the discount right after it is created, valued with the perk's key. It lives on the discount in Shopify, so it
 * outlasts the app's own rows (shop/redact deletes them 48 hours after an uninstall; the discount lives on until its end).
 */
const PERK_MARK = { namespace: "$app", key: "tier_perk", type: "single_line_text_field" } as const;

const DISCOUNT_MARK = `#graphql
  mutation AfterglowPerkDiscountMark($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { id }
      userErrors { field message code }
    }
  }`;

/**
 * The shop's automatic discounts that can still apply (active or scheduled), with Afterglow's mark and when each was
 * created: 50 a page (a shop has at most 25 active automatic discounts). `automaticDiscountNodes` is deprecated from
 * 2026-10 in favour of `discountNodes`, whose nodes carry DiscountNode ids rather than the ids the automatic discount
 * mutations take; it still answers in the app's API version.
 */
const EARLIER_PERK_DISCOUNTS = `#graphql
  query AfterglowEarlierPerkDiscounts($after: String) {
    automaticDiscountNodes(first: 50, after: $after, query: "status:active OR status:scheduled") {
      nodes {
        id
        mark: metafield(namespace: "$app", key: "tier_perk") { value }
        automaticDiscount {
          ... on DiscountAutomaticBasic { createdAt }
          ... on DiscountAutomaticFreeShipping { createdAt }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`;

/** A discount Afterglow marked as a tier perk: its id, the perk key it was marked with, when Shopify created it. */
interface MarkedPerkDiscount {
  id: string;
  key: string;
  createdAt: Date | null;
}

interface EarlierPage {
  automaticDiscountNodes?: {
    nodes?: { id?: unknown; mark?: { value?: unknown } | null; automaticDiscount?: { createdAt?: unknown } | null }[];
    pageInfo?: { hasNextPage?: boolean; endCursor?: string | null };
  } | null;
}

/** At most this many pages are read (500 discounts): far beyond what a shop holds active or scheduled. */
const EARLIER_PAGES = 10;

/** The shop's active or scheduled automatic discounts that carry Afterglow's perk mark. */
export async function markedPerkDiscounts(graphql: AdminGraphql): Promise<MarkedPerkDiscount[]> {
  const marked: MarkedPerkDiscount[] = [];
  let after: string | null = null;
  for (let page = 0; page < EARLIER_PAGES; page++) {
    const result: { data: EarlierPage } = await runAdminQueryMetered<EarlierPage>(graphql, EARLIER_PERK_DISCOUNTS, { after });
    const connection: EarlierPage["automaticDiscountNodes"] = result.data.automaticDiscountNodes;
    for (const node of connection?.nodes ?? []) {
      const key = node.mark?.value;
      if (typeof node.id !== "string" || typeof key !== "string") continue;
      const created = node.automaticDiscount?.createdAt;
      marked.push({ id: node.id, key, createdAt: typeof created === "string" ? new Date(created) : null });
    }
    if (!connection?.pageInfo?.hasNextPage || !connection.pageInfo.endCursor) break;
    after = connection.pageInfo.endCursor;
  }
  return marked;
}

/** Marks discount `id` as the perk `key`'s (a refusal throws a PermanentAdminError). */
export async function markPerkDiscount(graphql: AdminGraphql, id: string, key: string): Promise<Answer> {
  const variables = { metafields: [{ ownerId: id, ...PERK_MARK, value: key }] };
  return run(graphql, "metafieldsSet", DISCOUNT_MARK, variables, () => id);
}

/** Whether Shopify still holds a segment or discount: asked only after Shopify refused a call naming it. */
const PERK_NODE_QUERY = `#graphql
  query AfterglowPerkNode($id: ID!) {
    node(id: $id) { id }
  }
`;

/** Whether Shopify holds `id` (a Segment or DiscountAutomaticNode GID); false when it is gone (deleted in the Shopify admin). */
export async function perkNodeExists(graphql: AdminGraphql, id: string): Promise<boolean> {
  const { data } = await runAdminQueryMetered<{ node?: { id?: unknown } | null }>(graphql, PERK_NODE_QUERY, { id });
  return typeof data.node?.id === "string";
}

/** The points one perk call asks of the shop's bucket (the largest of the documents: one mutation each). */
export const PERK_CALL_COST = Math.max(...[SEGMENT_CREATE, BASIC_CREATE, FREE_SHIPPING_CREATE].map((d) => requestedCost(d)));

interface Answer {
  /** Shopify's id of what was created, updated or deleted. */
  id: string;
  throttle: ThrottleStatus | null;
}

type Payload = Record<string, unknown> & { userErrors?: AdminUserError[] };

/** Runs `document`; the payload's `userErrors` throw a PermanentAdminError, its id (at `idOf`) is returned. */
async function run(
  graphql: AdminGraphql,
  field: string,
  document: string,
  variables: Record<string, unknown>,
  idOf: (payload: Payload) => unknown,
): Promise<Answer> {
  const { data, throttle } = await runAdminQueryMetered<Record<string, Payload | null | undefined>>(graphql, document, variables);
  const payload = data[field];
  if (!payload) throw new AdminApiError(`${field} returned no payload`, null);
  if (payload.userErrors?.length) throw new PermanentAdminError(field, payload.userErrors);
  const id = idOf(payload);
  if (typeof id !== "string") throw new AdminApiError(`${field} returned no id`, null);
  return { id, throttle };
}

const nodeId = (key: string) => (payload: Payload) => (payload[key] as { id?: unknown } | null | undefined)?.id;

/** A segment's name in Shopify: the spec's, with the row's number, since names are unique per shop and a reinstall starts afresh. */
function segmentName(spec: SegmentSpec, rowId: number): string {
  return `${spec.name} (#${rowId})`;
}

export function createSegment(graphql: AdminGraphql, spec: SegmentSpec, rowId: number): Promise<Answer> {
  return run(graphql, "segmentCreate", SEGMENT_CREATE, { name: segmentName(spec, rowId), query: spec.query }, nodeId("segment"));
}

export function updateSegment(graphql: AdminGraphql, id: string, spec: SegmentSpec, rowId: number): Promise<Answer> {
  return run(graphql, "segmentUpdate", SEGMENT_UPDATE, { id, name: segmentName(spec, rowId), query: spec.query }, nodeId("segment"));
}

export function deleteSegment(graphql: AdminGraphql, id: string): Promise<Answer> {
  return run(graphql, "segmentDelete", SEGMENT_DELETE, { id }, (p) => p.deletedSegmentId);
}

/**
 * The discount's input. A percentage perk takes its percent off every item (Shopify is sent the fraction); free
 * shipping applies to every destination. Both combine with order and product discounts (a shopper's reward code
 * keeps working with their tier perk); the percentage one with shipping discounts too, free shipping with no other
 * shipping discount (one applies per delivery). No minimum. `context.customerSegments` adds the segments the perk
 * has gained and removes those it lost since the last call (`add` / `remove`).
 */
function discountInput(spec: DiscountSpec, segments: { add: string[]; remove: string[] }, dates: { startsAt?: Date; endsAt: Date }) {
  const customerSegments = segments.remove.length ? { add: segments.add, remove: segments.remove } : { add: segments.add };
  const common = {
    title: spec.title,
    ...(dates.startsAt ? { startsAt: dates.startsAt.toISOString() } : {}),
    endsAt: dates.endsAt.toISOString(),
    context: { customerSegments },
    minimumRequirement: null,
  };
  if (spec.perk === "free_shipping") {
    return {
      field: "freeShippingAutomaticDiscount",
      input: { ...common, destination: { all: true }, combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false } },
    };
  }
  return {
    field: "automaticBasicDiscount",
    input: {
      ...common,
      customerGets: { value: { percentage: (spec.percent ?? 0) / 100 }, items: { all: true } },
      combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: true },
    },
  };
}

export function createPerkDiscount(graphql: AdminGraphql, spec: DiscountSpec, segmentIds: string[], startsAt: Date, endsAt: Date): Promise<Answer> {
  const { field, input } = discountInput(spec, { add: segmentIds, remove: [] }, { startsAt, endsAt });
  return spec.perk === "free_shipping"
    ? run(graphql, "discountAutomaticFreeShippingCreate", FREE_SHIPPING_CREATE, { [field]: input }, nodeId("automaticDiscountNode"))
    : run(graphql, "discountAutomaticBasicCreate", BASIC_CREATE, { [field]: input }, nodeId("automaticDiscountNode"));
}

export function updatePerkDiscount(
  graphql: AdminGraphql,
  id: string,
  spec: DiscountSpec,
  segments: { add: string[]; remove: string[] },
  endsAt: Date,
): Promise<Answer> {
  const { field, input } = discountInput(spec, segments, { endsAt });
  return spec.perk === "free_shipping"
    ? run(graphql, "discountAutomaticFreeShippingUpdate", FREE_SHIPPING_UPDATE, { id, [field]: input }, nodeId("automaticDiscountNode"))
    : run(graphql, "discountAutomaticBasicUpdate", BASIC_UPDATE, { id, [field]: input }, nodeId("automaticDiscountNode"));
}

export function deletePerkDiscount(graphql: AdminGraphql, id: string): Promise<Answer> {
  return run(graphql, "discountAutomaticDelete", DISCOUNT_DELETE, { id }, (p) => p.deletedAutomaticDiscountId);
}
