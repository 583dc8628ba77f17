import { FLOW_ACTIONS } from "~/domain/flow/actions";
import { FLOW_TRIGGERS } from "~/domain/flow/triggers";
import { recentFlowActionRuns } from "~/models/flow-actions.server";
import { flowTriggerSends, flowTriggerUses, isFailedFlowTriggerSend } from "~/models/flow-triggers.server";
import { retryFailedMessage } from "~/models/outbox.server";
import { shopDisplay } from "./shop-profile.server";

/**
 * The Flow page (/app/flow): Afterglow's Shopify Flow triggers and actions, read from their registries
 * (app/domain/flow/triggers.ts, actions.ts), whether the shop's workflows use each trigger (Flow's lifecycle callback,
 * FlowTriggerUse), what each carries, the recent trigger sends (outbox messages, failures retried from here) and the
 * recent action runs.
 */

const RECENT = 20;

/** A field as the merchant reads it in Flow: a reference is the resource, a typed field its key. */
function fieldLabel(field: { type: string; key?: string }): string {
  if (field.type === "customer_reference") return "Customer";
  if (field.type === "order_reference") return "Order";
  return field.key ?? field.type;
}

export async function flowPage(shop: string) {
  const [uses, sends, runs, { timezone }] = await Promise.all([flowTriggerUses(shop), flowTriggerSends(shop, RECENT), recentFlowActionRuns(shop, RECENT), shopDisplay(shop)]);
  const useOf = new Map(uses.map((u) => [u.handle, u]));
  const names = new Map<string, string>([...Object.values(FLOW_TRIGGERS), ...Object.values(FLOW_ACTIONS)].map((t) => [t.handle, t.name]));
  return {
    timezone,
    triggers: Object.values(FLOW_TRIGGERS).map((t) => ({
      handle: t.handle,
      name: t.name,
      fields: t.fields.map(fieldLabel),
      inUse: useOf.get(t.handle)?.enabled ?? false,
      since: useOf.get(t.handle)?.callbackAt.toISOString() ?? null,
    })),
    actions: Object.values(FLOW_ACTIONS).map((a) => ({ handle: a.handle, name: a.name, fields: a.fields.map(fieldLabel), path: `/flow/actions/${a.handle}` })),
    sends: {
      pending: sends.counts.pending ?? 0,
      delivered: sends.counts.delivered ?? 0,
      failed: sends.counts.failed ?? 0,
      recent: sends.recent.map((s) => ({
        id: s.id,
        trigger: (s.handle && names.get(s.handle)) ?? s.handle ?? "Unknown trigger",
        status: s.status,
        attempts: s.attempts,
        lastError: s.lastError,
        createdAt: s.createdAt.toISOString(),
      })),
    },
    runs: runs.map((r) => ({
      id: r.actionRunId,
      action: names.get(r.handle) ?? r.handle,
      outcome: r.outcome,
      status: r.status,
      detail: r.detail,
      customerId: r.customerId,
      orderId: r.orderId,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

export type FlowPageData = Awaited<ReturnType<typeof flowPage>>;

/** Puts a failed Flow trigger send of `shop` back in the queue; false when `id` is not one (or no longer failed). */
export async function retryFlowTriggerSend(shop: string, id: number, now = new Date()): Promise<boolean> {
  if (!(await isFailedFlowTriggerSend(shop, id))) return false;
  return retryFailedMessage(shop, id, now);
}
