import { FLOW_ACTIONS, flowActionByHandle, parseAwardPoints, parseFlowActionRequest, parseSetFollowUpStatus, type FlowActionHandle } from "~/domain/flow/actions";
import { errorName, log } from "~/logger.server";
import { claimFlowActionRun, findFlowActionRun, recordFlowActionRun, type FlowActionRunRecord } from "~/models/flow-actions.server";
import { flowShop } from "~/models/flow-triggers.server";
import { lockCustomerStanding } from "~/models/loyalty.server";
import { inTransaction, type Tx } from "~/models/transaction.server";
import { readSignedFlowRequest } from "~/shopify/flow-triggers.server";
import { isShopDomain } from "~/shopify/webhook-signature.server";
import { setFollowUpStatusFromFlow } from "./followups.server";
import { bookAdjustment } from "./loyalty-ledger.server";

/**
 * Shopify Flow actions (issue 22, docs/decisions/040-flow-actions.md): POST /flow/actions/<handle>.
 *
 * 1. Signed like the lifecycle callback: HMAC-SHA256 of the raw body with the app secret (401 when missing or wrong;
 *    405, 413, 400 for a wrong method, an oversized body, a body that is not JSON).
 * 2. The envelope parsed (400 with a reason naming the field); the handle in the URL must be the signed `handle`.
 * 3. The shop is the signed `shopify_domain`, only an installed shop (404 otherwise), and its `shop_id` must be the
 *    stored one when both are known (401).
 * 4. Once per action run id: one transaction claims the run's row, applies the action and records what came of it;
 *    a retry of the run (Flow retries after a timeout or a 5xx) finds the committed row and gets the same answer,
 *    changing nothing. A refusal after the run id is known (bad properties, another shop's customer or order) is
 *    recorded the same way, so the Flow page shows it and a retry is answered alike.
 *
 * Flow waits 10 s at most; a run is one short transaction. Logs carry the shop, handle and outcome, never the
 * request's text.
 */

/** The name a Flow-awarded ledger entry shows as its author ("by Shopify Flow" on the customer page). */
const FLOW_LEDGER_SOURCE = "Shopify Flow";

function problem(status: number, reason: string): Response {
  return Response.json({ errors: [reason] }, { status });
}

/** The answer to a run, the first time and on every retry. */
function answer(run: FlowActionRunRecord): Response {
  if (run.outcome === "applied") return Response.json({ outcome: "applied", detail: run.detail }, { status: 200 });
  return problem(run.status, run.detail);
}

/** A run's effect, applied in the run's transaction: what to record and answer. */
type Effect = (tx: Tx, now: Date) => Promise<FlowActionRunRecord>;

const refused = (handle: FlowActionHandle, status: number, detail: string, ids: { customerId?: string | null; orderId?: string | null } = {}): FlowActionRunRecord => ({
  handle,
  status,
  outcome: "refused",
  detail,
  customerId: ids.customerId ?? null,
  orderId: ids.orderId ?? null,
  points: null,
  followUpStatus: null,
});

/** "Award loyalty points": a ledger entry "adjust:flow:<run id>" by Shopify Flow with the reason, then balance and tier. */
function awardPoints(shop: string, actionRunId: string, properties: Record<string, unknown>): Effect {
  const handle = FLOW_ACTIONS.awardPoints.handle;
  const parsed = parseAwardPoints(properties);
  return async (tx, now) => {
    if (!parsed.ok) return refused(handle, 400, parsed.reason);
    const { customerId, points, reason } = parsed.value;
    // The customer's row lock, as a staff adjustment takes it; an id this shop does not have changes nothing.
    const customer = (await lockCustomerStanding(tx, shop, [customerId])).get(customerId);
    if (!customer) return refused(handle, 404, "properties.customer_id names no customer Afterglow knows in this shop");
    const balance = await bookAdjustment(tx, shop, customerId, customer, { points, reason, key: `flow:${actionRunId}`, staff: FLOW_LEDGER_SOURCE }, now);
    return {
      handle,
      status: 200,
      outcome: "applied",
      detail: `Awarded ${points} points; balance ${balance ?? customer.pointsBalance + points}`,
      customerId,
      orderId: null,
      points,
      followUpStatus: null,
    };
  };
}

/** "Set follow-up status": the order's recovery follow-up moved like on the follow-ups page, without firing its trigger. */
function setFollowUpStatus(shop: string, properties: Record<string, unknown>): Effect {
  const handle = FLOW_ACTIONS.setFollowUpStatus.handle;
  const parsed = parseSetFollowUpStatus(properties);
  return async (tx, now) => {
    if (!parsed.ok) return refused(handle, 400, parsed.reason);
    const { orderId, status } = parsed.value;
    const result = await setFollowUpStatusFromFlow(tx, shop, orderId, status, now);
    if (result.outcome === "not-found") return refused(handle, 404, "properties.order_id names no order with a follow-up in this shop", { orderId });
    const ids = { customerId: result.customerId, orderId };
    if (result.outcome === "refused") return refused(handle, 422, result.reason, ids);
    const detail = result.outcome === "set" ? `Follow-up ${result.followUpId} moved from ${result.from} to ${status}` : `Follow-up ${result.followUpId} was already ${status}`;
    return { handle, status: 200, outcome: "applied", detail, ...ids, points: null, followUpStatus: status };
  };
}

/**
 * Applies run `actionRunId` of action `handle` for `shop` (already verified as the signed request's), once: one
 * transaction claims the run, applies its effect and records what came of it. Returns that record, or null when the
 * run was claimed before (a retry: the caller answers from the stored row). The demo seeds its runs through this too.
 */
export async function applyFlowActionRun(shop: string, handle: FlowActionHandle, actionRunId: string, properties: Record<string, unknown>, now: Date): Promise<FlowActionRunRecord | null> {
  const effect = handle === FLOW_ACTIONS.awardPoints.handle ? awardPoints(shop, actionRunId, properties) : setFollowUpStatus(shop, properties);
  return inTransaction(async (tx) => {
    if (!(await claimFlowActionRun(tx, shop, actionRunId, handle, now))) return null;
    const result = await effect(tx, now);
    await recordFlowActionRun(tx, shop, actionRunId, result);
    return result;
  });
}

/** POST /flow/actions/<handle>: see the module comment. `urlHandle`: the route's `$handle`. */
export async function receiveFlowAction(request: Request, urlHandle: string | undefined, now = new Date()): Promise<Response> {
  const action = flowActionByHandle(urlHandle ?? "");
  if (!action) return problem(404, "no such Flow action");
  const signed = await readSignedFlowRequest(request);
  if (!signed.ok) {
    if (signed.response.status === 401) log.warn("flow action refused: not signed by Shopify", { handle: action.handle });
    return signed.response;
  }
  const parsed = parseFlowActionRequest(signed.payload);
  if (!parsed.ok) {
    log.warn("flow action rejected", { handle: action.handle, reason: parsed.reason });
    return problem(400, parsed.reason);
  }
  const run = parsed.value;
  if (run.handle !== action.handle) return problem(400, "handle does not match the action's URL");
  if (!isShopDomain(run.shopDomain)) return problem(400, "shopify_domain is not a shop domain");
  const shop = run.shopDomain;
  const stored = await flowShop(shop);
  if (!stored.installed) {
    log.warn("flow action for a shop that has not installed the app", { shop, handle: action.handle });
    return problem(404, "the app is not installed on this shop");
  }
  if (stored.shopifyId && run.shopId && stored.shopifyId !== run.shopId) {
    log.warn("flow action refused: shop_id is not the shop's", { shop, handle: action.handle });
    return problem(401, "shop_id does not match shopify_domain");
  }

  let outcome: FlowActionRunRecord | null;
  try {
    outcome = await applyFlowActionRun(shop, action.handle, run.actionRunId, run.properties, now);
  } catch (error) {
    // Nothing committed: a 5xx, so Flow retries the run later.
    log.error("flow action failed", { shop, handle: action.handle, error: errorName(error) });
    return problem(503, "the action could not be applied now; Flow retries it");
  }
  if (outcome) {
    log.info("flow action run", { shop, handle: action.handle, outcome: outcome.outcome, status: outcome.status });
    return answer(outcome);
  }
  // A retry of a run already applied (or refused): the same answer, nothing changed.
  const previous = await findFlowActionRun(shop, run.actionRunId);
  log.info("flow action run repeated", { shop, handle: action.handle, outcome: previous?.outcome ?? "unknown" });
  return previous ? answer(previous) : problem(409, "this action run is being applied; Flow retries it");
}
