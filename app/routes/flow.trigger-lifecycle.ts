import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveTriggerLifecycle } from "~/services/flow-triggers.server";

/**
 * POST /flow/trigger-lifecycle: Shopify Flow's trigger lifecycle callback (which shops have an enabled workflow using
 * one of Afterglow's triggers). Signed with the app secret over the raw body; see services/flow-triggers.server.ts.
 */
export async function action({ request }: ActionFunctionArgs) {
  return receiveTriggerLifecycle(request);
}
