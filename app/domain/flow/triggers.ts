/**
 * The Shopify Flow triggers Afterglow sends (issue 22): one entry per trigger extension under `extensions/flow-*`,
 * with the fields its `shopify.extension.toml` declares and the builder of the payload `flowTriggerReceive` sends.
 * Zod-free and pure: the single source of truth for a trigger's shape on the app side; a test
 * (triggers.test.ts) reads every trigger TOML and checks that each builder's keys are exactly its TOML's fields.
 *
 * Shopify's rules this follows:
 * - A handle has at most 30 characters, letters, digits and hyphens, unique within the app.
 * - A field's `key` holds letters and spaces only (the Shopify CLI refuses anything else); the payload's keys are the
 *   fields' keys. A reference field (`customer_reference`, `order_reference`) has no key: it is sent as
 *   `customer_id` / `order_id`, the resource's numeric id.
 * - The payload is limited in size (FLOW_PAYLOAD_MAX_BYTES); a payload above it is not sent.
 */

/**
 * The field types a trigger may declare, as the Shopify CLI accepts them for `flow_trigger` (it refuses
 * `number_integer` and `multi_line_text_field` on triggers): counts and scores are `number_decimal`, sent as numbers.
 */
type FlowFieldType = "customer_reference" | "order_reference" | "single_line_text_field" | "number_decimal" | "boolean" | "email" | "url";

interface FlowTriggerField {
  type: FlowFieldType;
  /** Absent for reference fields, sent as `customer_id` / `order_id`. */
  key?: string;
}

type FlowPayload = Record<string, string | number | boolean | null>;

/** Shopify Flow's documented limit for a trigger's payload: 50 KB, counted here as 50,000 bytes of UTF-8 JSON. */
export const FLOW_PAYLOAD_MAX_BYTES = 50_000;

/**
 * A Shopify id (exact digits, as stored) as the number a reference field takes, or undefined when it cannot be one
 * exactly (not digits, or beyond 2^53: a JSON number would round it and point Flow at another resource).
 */
function referenceId(id: string | null | undefined): number | undefined {
  if (!id || !/^\d{1,16}$/.test(id)) return undefined;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Adds the references that are known: a guest order has no customer, so `customer_id` is left out rather than sent wrong. */
function withReferences(refs: { customerId?: string | null; orderId?: string | null }, fields: FlowPayload): FlowPayload {
  const customer = referenceId(refs.customerId);
  const order = referenceId(refs.orderId);
  return {
    ...(customer !== undefined ? { customer_id: customer } : {}),
    ...(order !== undefined ? { order_id: order } : {}),
    ...fields,
  };
}

interface SurveyAnswerEvent {
  customerId: string | null;
  orderId: string;
  nps: number | null;
  npsGroup: "detractor" | "passive" | "promoter" | null;
  csat: number | null;
  ces: number | null;
  comment: string | null;
  attribution: string | null;
}

interface TierChangeEvent {
  customerId: string;
  previousTier: string | null;
  tier: string | null;
  points: number;
}

interface RewardRedeemedEvent {
  customerId: string;
  reward: string;
  pointsSpent: number;
  points: number;
  discountCode: string;
}

interface FollowUpStatusEvent {
  followUpId: number;
  customerId: string | null;
  orderId: string;
  previousStatus: string;
  status: string;
  owner: string | null;
}

interface GoodwillEvent {
  followUpId: number;
  customerId: string;
  orderId: string;
  /** "points" | "code" */
  kind: string;
  points: number;
  reward: string | null;
  discountCode: string | null;
}

interface MarkedAnswerEvent {
  followUpId: number;
  customerId: string | null;
  orderId: string;
  nps: number | null;
}

interface FlowTrigger<E> {
  /** The extension's `handle` (and its folder, `extensions/flow-<handle>`). */
  handle: string;
  /** The extension's `name`, as the merchant sees it in Flow. */
  name: string;
  fields: readonly FlowTriggerField[];
  build: (event: E) => FlowPayload;
}

const text = (key: string): FlowTriggerField => ({ type: "single_line_text_field", key });
const numeric = (key: string): FlowTriggerField => ({ type: "number_decimal", key });
const CUSTOMER: FlowTriggerField = { type: "customer_reference" };
const ORDER: FlowTriggerField = { type: "order_reference" };

/** Every trigger, by the name the code uses. "Survey answer received" is sent by the survey service; the others by the loyalty, rewards and follow-ups services (decision 040). */
export const FLOW_TRIGGERS: {
  surveyAnswerReceived: FlowTrigger<SurveyAnswerEvent>;
  loyaltyTierChanged: FlowTrigger<TierChangeEvent>;
  rewardRedeemed: FlowTrigger<RewardRedeemedEvent>;
  followUpStatusChanged: FlowTrigger<FollowUpStatusEvent>;
  goodwillGranted: FlowTrigger<GoodwillEvent>;
  reviewRequested: FlowTrigger<MarkedAnswerEvent>;
  thankYouRequested: FlowTrigger<MarkedAnswerEvent>;
} = {
  surveyAnswerReceived: {
    handle: "survey-answer-received",
    name: "Survey answer received",
    fields: [CUSTOMER, ORDER, numeric("nps score"), text("nps group"), numeric("csat score"), numeric("ces score"), text("comment"), text("attribution")],
    build: (e) =>
      withReferences(e, {
        "nps score": e.nps,
        "nps group": e.npsGroup,
        "csat score": e.csat,
        "ces score": e.ces,
        comment: e.comment ?? "",
        attribution: e.attribution ?? "",
      }),
  },
  loyaltyTierChanged: {
    handle: "loyalty-tier-changed",
    name: "Loyalty tier changed",
    fields: [CUSTOMER, text("previous tier"), text("tier"), numeric("points")],
    build: (e) => withReferences(e, { "previous tier": e.previousTier ?? "", tier: e.tier ?? "", points: e.points }),
  },
  rewardRedeemed: {
    handle: "reward-redeemed",
    name: "Reward redeemed",
    fields: [CUSTOMER, text("reward"), numeric("points spent"), numeric("points"), text("discount code")],
    build: (e) =>
      withReferences(e, { reward: e.reward, "points spent": e.pointsSpent, points: e.points, "discount code": e.discountCode }),
  },
  followUpStatusChanged: {
    handle: "follow-up-status-changed",
    name: "Follow-up status changed",
    fields: [CUSTOMER, ORDER, numeric("follow up id"), text("previous status"), text("status"), text("owner")],
    build: (e) =>
      withReferences(e, {
        "follow up id": e.followUpId,
        "previous status": e.previousStatus,
        status: e.status,
        owner: e.owner ?? "",
      }),
  },
  // Decision 044: goodwill from a follow-up, and the two asks staff make of a passive or promoter.
  goodwillGranted: {
    handle: "goodwill-granted",
    name: "Goodwill granted",
    fields: [CUSTOMER, ORDER, numeric("follow up id"), text("goodwill"), numeric("points"), text("reward"), text("discount code")],
    build: (e) =>
      withReferences(e, {
        "follow up id": e.followUpId,
        goodwill: e.kind,
        points: e.points,
        reward: e.reward ?? "",
        "discount code": e.discountCode ?? "",
      }),
  },
  reviewRequested: {
    handle: "review-requested",
    name: "Review requested",
    fields: [CUSTOMER, ORDER, numeric("follow up id"), numeric("nps score")],
    build: (e) => withReferences(e, { "follow up id": e.followUpId, "nps score": e.nps }),
  },
  thankYouRequested: {
    handle: "thank-you-requested",
    name: "Thank-you requested",
    fields: [CUSTOMER, ORDER, numeric("follow up id"), numeric("nps score")],
    build: (e) => withReferences(e, { "follow up id": e.followUpId, "nps score": e.nps }),
  },
};

/**
 * The trigger a lifecycle callback's `flow_trigger_definition_id` names: matched on the handle, or on the trigger's
 * name (the form Shopify's own example shows); null for a trigger that is not Afterglow's.
 */
export function triggerByDefinitionId(definitionId: string): { handle: string } | null {
  const wanted = definitionId.trim().toLowerCase();
  return Object.values(FLOW_TRIGGERS).find((t) => t.handle === wanted || t.name.toLowerCase() === wanted) ?? null;
}

/** Whether a payload fits Flow's size limit once serialised as the mutation's JSON variable. */
export function fitsFlowPayloadLimit(payload: FlowPayload): boolean {
  return new TextEncoder().encode(JSON.stringify(payload)).byteLength <= FLOW_PAYLOAD_MAX_BYTES;
}
