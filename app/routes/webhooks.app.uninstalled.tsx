import type { ActionFunctionArgs } from "@remix-run/node";
import { handleAppUninstalled } from "~/services/app-lifecycle.server";
import { handleWebhook } from "~/shopify/webhook-request.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, ({ shop }) => handleAppUninstalled(shop));
