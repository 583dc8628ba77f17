import { randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { log } from "~/logger.server";
import { countOrders } from "~/models/orders.server";
import { applyFollowUpAction, followUpQueuePage, markCandidatesPage } from "~/services/followups.server";
import { ingestEvent } from "~/services/ingest-webhook.server";
import { recordDataRequest } from "~/services/compliance.server";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { recordSeen } from "~/services/survey-seen.server";
import { noteStaffVisit } from "~/services/staff.server";
import { publishSurvey } from "~/services/survey-settings.server";
import { ensureShopProfile } from "~/services/shop-profile.server";
import { env } from "~/env.server";
import { sessionStorage } from "~/shopify.server";
import { findPolicyPublication, latestPolicyVersion } from "~/models/return-policy.server";
import { publishReturnPolicy, saveReturnPolicy } from "~/services/return-policy.server";
import { redeemReward, saveReward } from "~/services/rewards.server";
import { sweepRewardCodes } from "~/services/rewards-sweep.server";
import { findCustomer } from "~/models/customer-queries.server";
import { queueTierPerks } from "~/services/tier-perks.server";
import { applyFlowActionRun } from "~/services/flow-actions.server";
import { recentFlowActionRuns } from "~/models/flow-actions.server";
import { flowTriggerUses, recordFlowTriggerUse } from "~/models/flow-triggers.server";
import { customersWithMostPoints, listRewards } from "~/models/rewards.server";
import { listTierPerks } from "~/models/tier-perks.server";
import { storeProgram } from "~/models/loyalty.server";
import { DEFAULT_PROGRAM } from "~/domain/loyalty/program";
import { primeDemoRefundPolicy, recordingGraphql } from "./admin-recorder.server";
import { DEMO_SHOP } from "./constants";
import { planDemoReturnPolicy } from "./seed-return-policy";
import { DEMO_SURVEY_CONFIG, generateDemoAnswers } from "./seed-answers";
import { asGiven, generateDemoSeen } from "./seed-seen";
import { generateDemoHistory } from "./seed-data";
import { DEMO_STAFF, planDemoFollowUpWork, type SeedFollowUp, type SeedPromoter } from "./seed-followups";
import { planDemoDataRequest } from "./seed-privacy";
import { DEMO_REWARDS, demoOrderUsingCode, planDemoRedemptions } from "./seed-rewards";
import { DEMO_FLOW_TRIGGERS, planDemoFlowRuns } from "./seed-flow";

/**
 * Makes the demo shop ready: an offline session, the shop profile (through the recorder) and, on an empty
 * database, months of history fed through the same ingest service the webhooks use, and the survey answers
 * shoppers gave on those orders, through the survey service (which opens the follow-ups of unhappy answers); then
 * staff's work on that queue, through the follow-ups service; a customer's data request, through the compliance
 * service. A shop without a return policy gets two saved versions and the second published, through the return
 * policy service (its Admin API calls go to the recorder). The rewards catalogue and a few redemptions, through the
 * rewards service. The default programme's tier perks, queued as a save would (the outbox sends them to the recorder).
 * Shopify Flow: five triggers in use, and a few action runs, through the Flow services. The demo staff (owners). The
 * programme holds points pending until their orders' return windows close, so recent buyers have pending points.
 */
export async function prepareDemoShop() {
  const now = new Date();
  const sessionId = `offline_${DEMO_SHOP}`;
  if (!(await sessionStorage.loadSession(sessionId))) {
    const session = new Session({ id: sessionId, shop: DEMO_SHOP, state: "demo", isOnline: false });
    session.scope = env.SCOPES;
    session.accessToken = "demo-token-never-sent-anywhere";
    await sessionStorage.storeSession(session);
  }
  await ensureShopProfile(DEMO_SHOP, recordingGraphql);
  await prepareReturnPolicy(now);

  // Once: later starts find the perks' rows and leave them to the daily renewal.
  if (!(await listTierPerks(DEMO_SHOP)).length) await queueTierPerks(DEMO_SHOP, now, { evenDefault: true });
  await prepareStaff(now);
  if ((await countOrders(DEMO_SHOP)) > 0) {
    await prepareFlowTriggers(now);
    await prepareRewards(now);
    await prepareFlowRuns(now);
    return { seeded: false };
  }
  const events = generateDemoHistory({ now });
  // Points wait out the return window (decision 043): on before the history arrives, so the orders still inside their
  // window (the last weeks') hold their points as pending, and older ones were available at once. The hourly sweep
  // then releases them as their dates pass.
  await storeProgram(DEMO_SHOP, DEMO_PROGRAM);
  const started = Date.now();
  for (const [index, event] of events.entries()) {
    await ingestEvent({ shop: DEMO_SHOP, topic: event.topic, webhookId: event.webhookId, payload: event.payload });
    if ((index + 1) % 1000 === 0 || index + 1 === events.length) {
      log.info("seeding demo shop", { done: index + 1, total: events.length });
    }
  }
  // The demo's survey, with three questions of the merchant's own, published through the survey service (its
  // metafield write goes to the recorder); then the answers, through the same service the checkout endpoint uses,
  // dated when the shopper answered, as shoppers met the survey (decision 041): seen records from 60 days back, and
  // some sets left after the first question.
  const published = await publishSurvey(DEMO_SHOP, recordingGraphql, DEMO_SURVEY_CONFIG);
  if (!published.ok) throw new Error(`demo survey not published: ${JSON.stringify(published.errors)}`);
  const answers = generateDemoAnswers(events, { now }).map(asGiven);
  for (const seen of generateDemoSeen(events, answers, now)) await recordSeen(DEMO_SHOP, seen.orderNumericId, seen.surface, seen.at);
  for (const answer of answers) {
    await recordSurveyAnswer(DEMO_SHOP, answer.submission, { surface: answer.surface, now: answer.at });
  }
  // The shop's Flow workflows use five triggers from here on: staff's follow-up work (status changes, goodwill, review
  // requests) and the rewards queue them.
  await prepareFlowTriggers(now);
  const followUpSteps = await seedFollowUpWork(now);
  // A customer's request for their data, so the Privacy page has a request to show and an export to download.
  const dataRequest = planDemoDataRequest(events, DEMO_SHOP);
  if (dataRequest) await recordDataRequest({ shop: DEMO_SHOP, ...dataRequest }, new Date(now.getTime() - 2 * 3600_000));
  await prepareRewards(now);
  await prepareFlowRuns(now);
  log.info("demo shop seeded", { events: events.length, answers: answers.length, followUpSteps, ms: Date.now() - started });
  return { seeded: true };
}

/** The demo's loyalty programme: the default one with points waiting out the return window, 60 days at most. */
const DEMO_PROGRAM = { ...DEFAULT_PROGRAM, pending: { enabled: true, maxDays: 60 } };

/**
 * The rewards catalogue, seeded once (also into a demo database seeded before rewards existed), and a few shoppers'
 * redemptions through the rewards service (codes created by the recorder).
 */
async function prepareRewards(now: Date) {
  if ((await listRewards(DEMO_SHOP)).length) return;
  const ids: number[] = [];
  for (const form of DEMO_REWARDS) {
    const saved = await saveReward(DEMO_SHOP, null, form, now);
    if (!saved.ok) throw new Error(`demo reward refused: ${JSON.stringify(saved.errors)}`);
    ids.push(saved.id);
  }
  let ordersUsingCodes = 0;
  for (const step of planDemoRedemptions(await customersWithMostPoints(DEMO_SHOP, 4), { now })) {
    const redeemed = await redeemReward(DEMO_SHOP, step.customerId, ids[step.reward]!, step.key, { graphql: recordingGraphql, now: step.at });
    if (step.fate !== "used" || redeemed.outcome !== "redeemed" || !redeemed.redemption.code) continue;
    // The shopper uses the code: the order webhook carrying it, through the ingest the webhooks use, marks it used.
    const customer = await findCustomer(DEMO_SHOP, step.customerId);
    if (!customer) continue;
    const payload = demoOrderUsingCode({ customer, code: redeemed.redemption.code, reward: step.reward, at: step.usedAt, number: ordersUsingCodes++ });
    await ingestEvent({ shop: DEMO_SHOP, topic: "orders/create", webhookId: randomUUID(), payload });
  }
  // Codes whose validity (and the two-day grace) ended expire and give their points back: the sweep that runs every
  // ten minutes, run once now rather than waiting for its first period.
  await sweepRewardCodes(DEMO_SHOP, now);
}

/**
 * Shopify Flow: the triggers the shop's workflows use, as Flow's lifecycle callback would have recorded them (once,
 * also into a demo database seeded before Flow existed). The outbox sends their triggers to the recorder.
 */
async function prepareFlowTriggers(now: Date) {
  const known = new Set((await flowTriggerUses(DEMO_SHOP)).map((u) => u.handle));
  const callbackAt = new Date(now.getTime() - 30 * 86_400_000);
  // Only the triggers not recorded yet (a demo database seeded before a trigger existed gets it; none is re-enabled).
  for (const handle of DEMO_FLOW_TRIGGERS) if (!known.has(handle)) await recordFlowTriggerUse(DEMO_SHOP, handle, true, callbackAt, now);
}

/** The Flow action runs of the shop's workflows (seed-flow.ts), once, through the service Flow's requests reach. */
async function prepareFlowRuns(now: Date) {
  if ((await recentFlowActionRuns(DEMO_SHOP, 1)).length) return;
  const customers = await customersWithMostPoints(DEMO_SHOP, 5);
  const open = (await followUpQueuePage(DEMO_SHOP, { status: "open", kind: "recovery", after: null, before: null }, 5)).rows.map((r) => r.orderId);
  for (const run of planDemoFlowRuns(customers, open, { now })) await applyFlowActionRun(DEMO_SHOP, run.handle, run.actionRunId, run.properties, run.at);
}

/**
 * The return policy: seeded once (two versions, the second published); on every start, the recorder's "Shopify" copy
 * of the refund policy is restored from what was last published, as a real shop would still have it.
 */
async function prepareReturnPolicy(now: Date) {
  if (!(await latestPolicyVersion(DEMO_SHOP))) {
    const plan = planDemoReturnPolicy({ now });
    for (const version of plan.versions) {
      const saved = await saveReturnPolicy(DEMO_SHOP, version.policy, version.savedBy, version.at);
      if (!saved.ok) throw new Error(`demo return policy refused: ${JSON.stringify(saved.errors)}`);
    }
    const published = await publishReturnPolicy(DEMO_SHOP, recordingGraphql, plan.publishAt);
    if (!published.ok) throw new Error(`demo return policy not published: ${JSON.stringify(published.errors)}`);
    return;
  }
  const publication = await findPolicyPublication(DEMO_SHOP);
  if (publication?.shopifyBody) primeDemoRefundPolicy(publication.shopifyBody, publication.shopifyUpdatedAt ?? publication.publishedAt ?? now);
}

/**
 * The demo staff who have opened the app (decisions 044, 049), recorded as the admin layout records a visit with the
 * names their online access token gave; idempotent, so also into a demo database seeded before staff were recorded.
 */
async function prepareStaff(now: Date) {
  for (const staff of DEMO_STAFF) {
    await noteStaffVisit({ shop: DEMO_SHOP, userId: staff.userId, staff: { firstName: staff.firstName, lastName: staff.lastName } }, now);
  }
}

/** Works the queue the answers opened, as staff would have: the same validated actions the follow-ups page posts. */
async function seedFollowUpWork(now: Date): Promise<number> {
  const followUps: SeedFollowUp[] = [];
  let after: string | null = null;
  do {
    const page = await followUpQueuePage(DEMO_SHOP, { status: "open", kind: "recovery", after, before: null }, 100);
    followUps.push(...page.rows.map((r) => ({ id: r.id, createdAt: new Date(r.createdAt), customerId: r.customerId })));
    after = page.pageInfo.nextCursor;
  } while (after);
  const promoters: SeedPromoter[] = (await markCandidatesPage(DEMO_SHOP, { band: "promoter", after: null, before: null }, 100)).rows.map(
    (r) => ({ responseId: r.responseId, createdAt: new Date(r.createdAt) }),
  );
  const steps = planDemoFollowUpWork(followUps, promoters, { now });
  const names = new Map(DEMO_STAFF.map((s) => [s.userId as string, `${s.firstName} ${s.lastName}`]));
  for (const step of steps) {
    const actor = { staff: { userId: step.by, name: names.get(step.by) ?? null }, graphql: recordingGraphql };
    const result = await applyFollowUpAction(DEMO_SHOP, step.fields, step.at, actor);
    if (!result.ok) throw new Error(`demo follow-up step refused: ${JSON.stringify(result.errors)}`);
  }
  return steps.length;
}
