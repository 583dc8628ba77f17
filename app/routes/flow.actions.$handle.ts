import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveFlowAction } from "~/services/flow-actions.server";

/**
 * POST /flow/actions/<handle>: Shopify Flow runs one of Afterglow's actions ("Award loyalty points",
 * "Set follow-up status"). Signed with the app secret over the raw body; applied once per action run id; see
 * services/flow-actions.server.ts.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  return receiveFlowAction(request, params.handle);
}
