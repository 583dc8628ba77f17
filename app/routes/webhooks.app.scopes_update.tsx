import type { ActionFunctionArgs } from "@remix-run/node";
import { handleScopesUpdate } from "~/services/app-lifecycle.server";
import { handleWebhook } from "~/shopify/webhook-request.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, ({ shop, session, payload }) =>
    handleScopesUpdate(shop, session?.id, (payload as { current?: unknown }).current),
  );
