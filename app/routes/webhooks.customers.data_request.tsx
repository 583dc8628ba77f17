import type { ActionFunctionArgs } from "@remix-run/node";
import { acknowledgeDataRequest } from "~/services/compliance.server";
import { handleWebhook } from "~/shopify/webhook-request.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, ({ shop, payload }) => acknowledgeDataRequest(shop, payload));
