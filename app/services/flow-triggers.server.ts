import { parseTriggerLifecycle } from "~/domain/flow/lifecycle";
import { FLOW_TRIGGERS, fitsFlowPayloadLimit, triggerByDefinitionId } from "~/domain/flow/triggers";
import { log } from "~/logger.server";
import { flowShop, isFlowTriggerEnabled, recordFlowTriggerUse } from "~/models/flow-triggers.server";
import { enqueueOutboxMany, type OutboxEnqueue } from "~/models/outbox.server";
import { readAhead, type SqlTx } from "~/models/transaction.server";
import { readSignedFlowRequest } from "~/shopify/flow-triggers.server";
import { isShopDomain } from "~/shopify/webhook-signature.server";

/**
 * Shopify Flow triggers (issue 22, docs/decisions/038-flow-triggers.md): which shops use which trigger (Flow's
 * lifecycle callback), and queuing a trigger in the transaction of the event that causes it. A trigger is queued only
 * while the shop has an enabled workflow using it; the outbox sends it with `flowTriggerReceive` (retries, pacing,
 * failures shown like every Admin API call), and sends nothing for an uninstalled shop.
 */

function problem(status: number, reason: string): Response {
  return Response.json({ errors: [reason] }, { status });
}

/**
 * POST /flow/trigger-lifecycle: Flow says whether a shop has an enabled workflow using one of the app's triggers.
 * Signed like a webhook (401 forged or unsigned); the shop is the signed body's `shopify_domain` only, and only an
 * installed shop is recorded (404 otherwise). A callback older than the one stored changes nothing, and a repeat is a
 * 200 too, so Flow never sees a failure for a callback already applied. Answers at once: one upsert.
 */
export async function receiveTriggerLifecycle(request: Request, now = new Date()): Promise<Response> {
  const signed = await readSignedFlowRequest(request);
  if (!signed.ok) {
    if (signed.response.status === 401) log.warn("flow lifecycle callback refused: not signed by Shopify");
    return signed.response;
  }
  const parsed = parseTriggerLifecycle(signed.payload);
  if (!parsed.ok) {
    log.warn("flow lifecycle callback rejected", { reason: parsed.reason });
    return problem(400, parsed.reason);
  }
  const callback = parsed.value;
  if (!isShopDomain(callback.shopDomain)) return problem(400, "shopify_domain is not a shop domain");
  const shop = callback.shopDomain;
  const trigger = triggerByDefinitionId(callback.definitionId);
  if (!trigger) {
    log.warn("flow lifecycle callback for a trigger Afterglow does not have", { shop });
    return problem(400, "flow_trigger_definition_id names no trigger of this app");
  }
  const stored = await flowShop(shop);
  if (!stored.installed) {
    log.warn("flow lifecycle callback for a shop that has not installed the app", { shop, handle: trigger.handle });
    return problem(404, "the app is not installed on this shop");
  }
  if (stored.shopifyId && callback.shopId && stored.shopifyId !== callback.shopId) {
    log.warn("flow lifecycle callback refused: shop_id is not the shop's", { shop, handle: trigger.handle });
    return problem(401, "shop_id does not match shopify_domain");
  }
  const changed = await recordFlowTriggerUse(shop, trigger.handle, callback.hasEnabledFlow, callback.timestamp, now);
  log.info("flow trigger use recorded", { shop, handle: trigger.handle, enabled: callback.hasEnabledFlow, outcome: changed ? "changed" : "older or repeat" });
  return new Response(null, { status: 200 });
}

type Triggers = typeof FLOW_TRIGGERS;
type TriggerName = keyof Triggers;
type EventOf<K extends TriggerName> = Parameters<Triggers[K]["build"]>[0];

/** The trigger's payload built from `event`, or null (logged, without its content) when it is above Flow's size limit. */
function payloadOf<K extends TriggerName>(shop: string, name: K, event: EventOf<K>) {
  const trigger = FLOW_TRIGGERS[name];
  const payload = (trigger.build as (e: EventOf<K>) => ReturnType<Triggers[K]["build"]>)(event);
  if (!fitsFlowPayloadLimit(payload)) {
    log.warn("flow trigger not queued: payload above Flow's size limit", { shop, handle: trigger.handle });
    return null;
  }
  return payload;
}

/**
 * The customer and order a trigger's event is about (exact digits; null when it has none), stored on its outbox
 * message: customers/redact deletes the messages about a redacted customer, the data export lists them.
 */
function referencesOf(event: { customerId: string | null; orderId?: string | null }): { customerId: string | null; orderId: string | null } {
  return { customerId: event.customerId, orderId: event.orderId ?? null };
}

/**
 * The outbox message of trigger `name` for `event`, for a statement that queues it together with other writes (the
 * tier changes'): gated on FlowTriggerUse inside that statement (`onlyIfFlowTrigger`), so it costs no round trip and
 * is queued only while an enabled workflow of the shop uses the trigger. Null when the payload is above Flow's limit.
 */
export function flowTriggerMessage<K extends TriggerName>(shop: string, name: K, event: EventOf<K>): OutboxEnqueue | null {
  const payload = payloadOf(shop, name, event);
  if (!payload) return null;
  const { handle } = FLOW_TRIGGERS[name];
  return { operation: "flowTriggerReceive", variables: { handle, payload }, onlyIfFlowTrigger: handle, ...referencesOf(event) };
}

/**
 * Queues trigger `name` in the caller's transaction (the event's), when the shop's workflows use it. The caller calls
 * it only for an event that really happened (a status that changed, a code that was issued). Returns whether a message
 * was queued.
 */
async function queueFlowTrigger<K extends TriggerName>(tx: SqlTx, shop: string, name: K, event: EventOf<K>, now: Date): Promise<boolean> {
  const { handle } = FLOW_TRIGGERS[name];
  if (!(await isFlowTriggerEnabled(tx, shop, handle))) return false;
  const payload = payloadOf(shop, name, event);
  if (!payload) return false;
  await enqueueOutboxMany(tx, shop, [{ operation: "flowTriggerReceive", variables: { handle, payload }, ...referencesOf(event) }], now);
  return true;
}

/**
 * "Survey answer received", queued once per answer set in the transaction that passed the set's moment (its last
 * step, or the sweep when its edit window closed: services/survey-answer-events.server.ts, decision 041).
 */
export function queueSurveyAnswerReceived(tx: SqlTx, shop: string, event: EventOf<"surveyAnswerReceived">, now: Date): Promise<boolean> {
  return queueFlowTrigger(tx, shop, "surveyAnswerReceived", event, now);
}

/** "Follow-up status changed", queued with the status change (services/followups.server.ts; never for a Flow-set status). */
export function queueFollowUpStatusChanged(tx: SqlTx, shop: string, event: EventOf<"followUpStatusChanged">, now: Date): Promise<boolean> {
  return queueFlowTrigger(tx, shop, "followUpStatusChanged", event, now);
}

/** Whether a workflow of `shop` uses "Reward redeemed": read now, on a pipelined transaction, its answer taken later. */
export function rewardRedeemedInUse(tx: SqlTx, shop: string): () => PromiseLike<boolean> {
  return readAhead(tx, () => isFlowTriggerEnabled(tx, shop, FLOW_TRIGGERS.rewardRedeemed.handle));
}

/**
 * "Reward redeemed", queued with the redemption's settling as issued (services/rewards.server.ts): the code exists in
 * Shopify and the shopper holds it. `points` (the balance now) is read only when a workflow uses the trigger
 * (`inUse`: read here unless the caller sent the read ahead).
 */
export async function queueRewardRedeemed(
  tx: SqlTx,
  shop: string,
  event: Omit<EventOf<"rewardRedeemed">, "points">,
  balance: () => Promise<number>,
  now: Date,
  inUse: () => PromiseLike<boolean> = rewardRedeemedInUse(tx, shop),
): Promise<boolean> {
  if (!(await inUse())) return false;
  const message = flowTriggerMessage(shop, "rewardRedeemed", { ...event, points: await balance() });
  if (!message) return false;
  await enqueueOutboxMany(tx, shop, [message], now);
  return true;
}

/** "Goodwill granted", queued with the goodwill's record (services/followup-goodwill.server.ts, decision 044). */
export function queueGoodwillGranted(tx: SqlTx, shop: string, event: EventOf<"goodwillGranted">, now: Date): Promise<boolean> {
  return queueFlowTrigger(tx, shop, "goodwillGranted", event, now);
}

/**
 * "Review requested" / "Thank-you requested", queued with the mark (services/followups.server.ts, decision 044): the
 * merchant's workflow does the asking. Returns whether a message was queued (false: no enabled workflow uses it).
 */
export function queueMarkedAnswerTrigger(
  tx: SqlTx,
  shop: string,
  action: "review-request" | "thank-you",
  event: EventOf<"reviewRequested">,
  now: Date,
): Promise<boolean> {
  return queueFlowTrigger(tx, shop, action === "review-request" ? "reviewRequested" : "thankYouRequested", event, now);
}

/** The handle of a mark's trigger (to find its outbox message). */
export function markedAnswerTriggerHandle(action: "review-request" | "thank-you"): string {
  return (action === "review-request" ? FLOW_TRIGGERS.reviewRequested : FLOW_TRIGGERS.thankYouRequested).handle;
}
