import { expect } from "vitest";
import { prisma } from "~/db.server";
import { markDelivered } from "./outbox";
import { action as followUpsAction } from "~/routes/app.followups/route";
import { action as flowTriggerLifecycle } from "~/routes/flow.trigger-lifecycle";
import { flowLifecycleRequest } from "./flow";
import { callHandler } from "./handlers";
import { postForm, type SeededShop } from "./shop-seed";
import { callAction } from "./webhooks";

/**
 * Shopify Flow trigger messages about a seeded shop's customers (decision 050), made through the admin actions a
 * merchant uses while workflows of the shop use "Follow-up status changed" and "Thank-you requested":
 * - 501's recovery follow-up (order 1001) resolved, and that message sent; then reopened (a message still queued);
 * - 502's recovery follow-up (order 1004) contacted: another customer's;
 * - the guest answer to 1003 (named in the seed's data request) marked for a thank-you again: a guest message;
 * - the guest recovery follow-up of 1005 (never named) contacted: a guest message of another order.
 * Returns the message ids by what they are about.
 */
export async function seedFlowTriggerMessages(seeded: SeededShop) {
  const { shop, store } = seeded;
  const ok = (label: string) => (result: { status: number; text: string }) => expect(result.status, `${label}: ${result.text}`).toBe(200);
  const lifecycle = { flow_trigger_definition_id: "thank-you-requested", has_enabled_flow: true, shop_id: 1, shopify_domain: shop, timestamp: "2026-10-07T10:00:00.000Z" };
  expect((await callAction(flowTriggerLifecycle, flowLifecycleRequest(lifecycle))).status).toBe(200);
  const followUp = (orderId: string, kind = "recovery") => prisma.followUp.findFirstOrThrow({ where: { shop, orderId, kind } });
  const update = async (orderId: string, status: string) =>
    ok(`${orderId} ${status}`)(await callHandler(followUpsAction, await postForm(store, "/app/followups", { intent: "update", id: String((await followUp(orderId)).id), status })));
  const newest = async () => (await prisma.outboxMessage.findFirstOrThrow({ where: { shop, operation: "flowTriggerReceive" }, orderBy: { id: "desc" } })).id;

  await update("1001", "resolved");
  const sent = await newest();
  expect(await markDelivered(shop, sent, new Date("2026-10-07T11:00:00.000Z"))).toBe(true);
  await update("1001", "open");
  const queued = await newest();
  await update("1004", "contacted");
  const otherCustomer = await newest();
  const guestAnswer = (await followUp("1003", "thank-you")).responseId;
  for (const intent of ["unmark", "mark"]) {
    ok(`guest ${intent}`)(await callHandler(followUpsAction, await postForm(store, "/app/followups", { intent, responseId: String(guestAnswer), action: "thank-you" })));
  }
  const guest = await newest();
  await update("1005", "contacted");
  const unnamedGuest = await newest();
  return { sent, queued, otherCustomer, guest, unnamedGuest };
}
