import type { ActionFunctionArgs } from "@remix-run/node";
import { ingestEvent } from "~/services/ingest-webhook.server";
import { handleWebhook } from "./webhook-request.server";
import { verifyWebhookSignature } from "./webhook-signature.server";

/**
 * The action of every order, refund and product webhook route: verify (lean: these never need the shop's session),
 * then hand the event to the ingest service.
 */
export const ingestWebhookAction = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, ({ shop, topic, webhookId, payload }) => ingestEvent({ shop, topic, webhookId, payload }), verifyWebhookSignature);
