import { parseTriggerLifecycle } from "~/domain/flow/lifecycle";
import { FLOW_TRIGGERS, fitsFlowPayloadLimit, triggerByDefinitionId } from "~/domain/flow/triggers";
import { log } from "~/logger.server";
import { flowShop, isFlowTriggerEnabled, recordFlowTriggerUse } from "~/models/flow-triggers.server";
import { enqueueOutboxMany } from "~/models/outbox.server";
import type { SqlTx } from "~/models/transaction.server";
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

/**
 * Queues "Follow-up status changed" in the caller's transaction (the status change's), when the shop's workflows use
 * it. The caller calls it only for a real change of status. Returns whether a message was queued.
 */
export async function queueFollowUpStatusChanged(
  tx: SqlTx,
  shop: string,
  event: Parameters<typeof FLOW_TRIGGERS.followUpStatusChanged.build>[0],
  now: Date,
): Promise<boolean> {
  return queueTrigger(tx, shop, FLOW_TRIGGERS.followUpStatusChanged, event, now);
}

/**
 * Queues "Survey answer received" in the caller's transaction (the one that passed the set's moment: its last step,
 * or the sweep when its edit window closed; services/survey-answer-events.server.ts), when the shop's workflows use
 * it. Called once per answer set. Returns whether a message was queued.
 */
export async function queueSurveyAnswerReceived(
  tx: SqlTx,
  shop: string,
  event: Parameters<typeof FLOW_TRIGGERS.surveyAnswerReceived.build>[0],
  now: Date,
): Promise<boolean> {
  return queueTrigger(tx, shop, FLOW_TRIGGERS.surveyAnswerReceived, event, now);
}

/** Queues one run of `trigger` in the caller's transaction, when an enabled workflow of the shop uses it. */
async function queueTrigger<E>(
  tx: SqlTx,
  shop: string,
  trigger: { handle: string; build: (event: E) => Parameters<typeof fitsFlowPayloadLimit>[0] },
  event: E,
  now: Date,
): Promise<boolean> {
  if (!(await isFlowTriggerEnabled(tx, shop, trigger.handle))) return false;
  const payload = trigger.build(event);
  if (!fitsFlowPayloadLimit(payload)) {
    log.warn("flow trigger not queued: payload above Flow's size limit", { shop, handle: trigger.handle });
    return false;
  }
  await enqueueOutboxMany(tx, shop, [{ operation: "flowTriggerReceive", variables: { handle: trigger.handle, payload } }], now);
  return true;
}
