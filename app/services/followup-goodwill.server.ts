import type { FollowUpGoodwill } from "~/domain/followups/actions";
import { log } from "~/logger.server";
import { findGoodwillByKey, insertGoodwill, settleGoodwillCode, type GoodwillRow } from "~/models/followup-work.server";
import { findFollowUp } from "~/models/followups.server";
import { lockCustomerStanding } from "~/models/loyalty.server";
import { listRewards, lockRedemptionState } from "~/models/rewards.server";
import { inTransaction } from "~/models/transaction.server";
import { adminGraphqlForShop } from "~/shopify/admin-for-shop.server";
import { queueGoodwillGranted } from "./flow-triggers.server";
import type { ActionResult } from "./followups.server";
import type { FollowUpActor } from "./followup-actor.server";
import { bookAdjustment } from "./loyalty-ledger.server";
import { issueRewardByStaff } from "./rewards.server";

/**
 * Goodwill from a follow-up (decision 044): points, booked through the loyalty ledger's adjustment path (the one
 * Shopify Flow's "Award loyalty points" uses) as "adjust:goodwill:<id>", or a single-use reward code issued through
 * the rewards service's staff path. Either is recorded on the follow-up (FollowUpGoodwill, once per form key) and sent
 * to Shopify Flow as "Goodwill granted" when a workflow of the shop uses it, so the workflow can e-mail it.
 */

/** The author shown on the ledger row when the request names no staff member. */
const UNNAMED_STAFF = "Staff";

type Refusal = Extract<ActionResult, { ok: false }>;

const refusal = (id: number, status: Refusal["status"], errors: Record<string, string>): Refusal => ({ ok: false, status, intent: "goodwill", errors, id, responseId: null });

/** The answer to a repeated post of one goodwill form: what the first one came to. */
function repeatAnswer(id: number, stored: GoodwillRow | null): ActionResult {
  if (stored?.status === "refused") return refusal(id, 422, { goodwill: "This goodwill was refused; see the message shown then" });
  return { ok: true, intent: "goodwill", message: "Goodwill already recorded", id, responseId: null };
}

/** The follow-up's customer, or why goodwill cannot be given from it. */
async function goodwillTarget(shop: string, id: number): Promise<{ ok: true; customerId: string; orderId: string } | { ok: false; refusal: Refusal }> {
  const followUp = await findFollowUp(shop, id);
  if (!followUp) return { ok: false, refusal: refusal(id, 404, { id: "Follow-up not found" }) };
  if (followUp.kind !== "recovery") return { ok: false, refusal: refusal(id, 400, { form: "Goodwill is given from a recovery follow-up" }) };
  if (!followUp.customerId) return { ok: false, refusal: refusal(id, 400, { form: "A guest order has no customer account to give goodwill to" }) };
  return { ok: true, customerId: followUp.customerId, orderId: followUp.orderId };
}

export async function grantGoodwill(shop: string, input: FollowUpGoodwill, actor: FollowUpActor, now: Date): Promise<ActionResult> {
  const target = await goodwillTarget(shop, input.id);
  if (!target.ok) return target.refusal;
  return input.kind === "points" ? grantPoints(shop, input, target, actor, now) : grantCode(shop, input, target, actor, now);
}

/** Points: the goodwill row, the ledger adjustment and the Flow trigger in one transaction, under the customer's lock. */
async function grantPoints(
  shop: string,
  input: Extract<FollowUpGoodwill, { kind: "points" }>,
  target: { customerId: string; orderId: string },
  actor: FollowUpActor,
  now: Date,
): Promise<ActionResult> {
  const staff = actor.staff.name ?? UNNAMED_STAFF;
  const outcome = await inTransaction(async (tx) => {
    const customer = (await lockCustomerStanding(tx, shop, [target.customerId])).get(target.customerId);
    if (!customer) return { kind: "no-customer" as const };
    const goodwill = { followUpId: input.id, ...target, kind: "points" as const, points: input.points, reward: null, reason: input.reason, staff, staffUserId: actor.staff.userId, idempotencyKey: input.key, status: "granted" as const };
    const id = await insertGoodwill(tx, shop, goodwill, now);
    if (id === null) return { kind: "repeat" as const };
    const balance = await bookAdjustment(tx, shop, target.customerId, customer, { points: input.points, reason: `Goodwill: ${input.reason}`, key: `goodwill:${id}`, staff }, now);
    await queueGoodwillGranted(tx, shop, { followUpId: input.id, ...target, kind: "points", points: input.points, reward: null, discountCode: null }, now);
    return { kind: "granted" as const, balance: balance ?? customer.pointsBalance + input.points };
  });
  if (outcome.kind === "no-customer") return refusal(input.id, 400, { form: "Afterglow has no loyalty record of this customer yet" });
  if (outcome.kind === "repeat") return repeatAnswer(input.id, await findGoodwillByKey(shop, input.key));
  log.info("goodwill points granted", { shop, followUpId: input.id, points: input.points });
  return { ok: true, intent: "goodwill", message: `Granted ${input.points.toLocaleString("en-US")} points; balance ${outcome.balance.toLocaleString("en-US")}`, id: input.id, responseId: null };
}

/**
 * A code: the goodwill row first (the form key: a repeated post issues nothing more), then the rewards service's staff
 * path creates the code in Shopify (no lock held meanwhile), then the row is settled and, once Shopify holds the code,
 * "Goodwill granted" is queued with it. A code whose answer is late is linked to its redemption and left to the
 * rewards service, which settles the redemption itself and then sends "Reward redeemed" and, for the goodwill linked
 * to it, "Goodwill granted"; the follow-up reads the code's state from that redemption (decision 050), so it shows
 * issued, or refused with Shopify's reason, once settled.
 */
async function grantCode(
  shop: string,
  input: Extract<FollowUpGoodwill, { kind: "code" }>,
  target: { customerId: string; orderId: string },
  actor: FollowUpActor,
  now: Date,
): Promise<ActionResult> {
  const reward = (await listRewards(shop)).find((r) => r.id === input.rewardId);
  if (!reward || !reward.enabled) return refusal(input.id, 400, { rewardId: "This reward is not offered; turn it on on the Loyalty page first" });
  const staff = actor.staff.name ?? UNNAMED_STAFF;
  const goodwill = { followUpId: input.id, ...target, kind: "code" as const, points: null, reward: reward.title, reason: input.reason, staff, staffUserId: actor.staff.userId, idempotencyKey: input.key, status: "pending" as const };
  const id = await inTransaction((tx) => insertGoodwill(tx, shop, goodwill, now));
  if (id === null) return repeatAnswer(input.id, await findGoodwillByKey(shop, input.key));

  const graphql = actor.graphql ?? (await adminGraphqlForShop(shop));
  const issued = await issueRewardByStaff(shop, target.customerId, { rewardId: String(input.rewardId), reason: `Goodwill: ${input.reason}` }, staff, graphql);
  if (!issued.ok) {
    // Shopify's reason (422), or why the rewards service would not issue it.
    const why = Object.values(issued.errors)[0] ?? null;
    await inTransaction((tx) => settleGoodwillCode(tx, shop, id, { redemptionId: null, status: "refused", refusal: why }));
    log.info("goodwill code refused", { shop, followUpId: input.id, status: issued.status });
    return refusal(input.id, issued.status, issued.errors);
  }
  const { redemption } = issued;
  // The redemption's row is locked and read again: a late answer settling it at this moment either waits for the link
  // (and then finds it, granting the goodwill itself) or has settled it already (and the link sees "issued"), so
  // "Goodwill granted" is queued exactly once, here or by the rewards service.
  const granted = await inTransaction(async (tx) => {
    const state = await lockRedemptionState(tx, shop, redemption.id);
    const issuedNow = state?.status === "issued";
    await settleGoodwillCode(tx, shop, id, { redemptionId: redemption.id, status: issuedNow ? "granted" : "pending" });
    if (issuedNow) {
      const event = { followUpId: input.id, ...target, kind: "code", points: 0, reward: reward.title, discountCode: state.code };
      await queueGoodwillGranted(tx, shop, event, now);
    }
    return issuedNow;
  });
  log.info("goodwill code", { shop, followUpId: input.id, status: redemption.status });
  const message = granted ? `Issued ${reward.title}: code ${redemption.code}` : `${reward.title}: Shopify has not confirmed the code yet`;
  return { ok: true, intent: "goodwill", message, id: input.id, responseId: null };
}
