import type { ActionFunctionArgs } from "@remix-run/node";
import { redactCustomer } from "~/services/compliance.server";
import { handleWebhook } from "~/shopify/webhook-request.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, ({ shop, webhookId, payload }) => redactCustomer({ shop, webhookId, payload }));
