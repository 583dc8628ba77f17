import { data, type ActionFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { retryFlowTriggerSend } from "~/services/flow-page.server";

const invalid = (errors: Record<string, string>) => data({ ok: false as const, errors }, { status: 400 });

/**
 * POST /app/flow, JSON `{ intent: "retry", id }`: puts a failed Flow trigger send of the shop back in the queue; 400
 * with a reason for anything else (another shop's message, a message that is not a Flow trigger or not failed).
 */
export async function flowAction({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const body: unknown = await request.json().catch(() => null);
  const { intent, id } = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (intent !== "retry") return invalid({ form: "Unknown request" });
  if (typeof id !== "number" || !Number.isSafeInteger(id)) return invalid({ id: "Unknown message" });
  if (!(await retryFlowTriggerSend(shop, id))) return invalid({ id: "That send is no longer failed, or is not a Flow trigger of this shop." });
  return { ok: true as const, retried: id };
}
