import type { ActionFunctionArgs } from "@remix-run/node";
import { applyShopUpdateWebhook } from "~/services/shop-profile.server";
import { handleWebhook } from "~/shopify/webhook-request.server";

// POST /webhooks/shop/update: keeps the stored shop profile (name, currency, time zone) current.
export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, ({ shop, webhookId, payload }) => applyShopUpdateWebhook({ shop, webhookId, payload }));
