import type { ActionFunctionArgs } from "@remix-run/node";
import { log } from "~/logger.server";
import { handleWebhook, routeTopic } from "~/shopify/webhook-request.server";
import { verifyWebhookSignature } from "~/shopify/webhook-signature.server";
import { webhookTopic } from "./topics.server";

/**
 * The action of every webhook route (`app/routes/webhooks.*.tsx` are one line: `export { webhookAction as action }`):
 * the route's topic, from its path, is verified and applied as its entry in the topic table says
 * (app/webhooks/topics.server.ts), through `handleWebhook` (size limit, HMAC, headers, lossless JSON, the body's shop,
 * 200 only after the commit).
 *
 * A route whose topic has no entry answers 404 (logged as an error) rather than failing with 500 on every retry;
 * tests/integration/app-config.test.ts keeps such a route from being shipped.
 */
export function webhookAction({ request }: ActionFunctionArgs): Promise<Response> {
  // Remix matches paths without regard to case or a trailing slash: such a request still finds its topic's entry, and
  // handleWebhook refuses it (400) because X-Shopify-Topic cannot name that path.
  const topic = routeTopic(request);
  const entry = webhookTopic(topic.toLowerCase().replace(/\/+$/, ""));
  if (!entry) {
    log.error("webhook route without an entry in the topic table", { topic: /^[a-z_]{1,40}\/[a-z_]{1,40}$/.test(topic) ? topic : undefined });
    return Promise.resolve(Response.json({ errors: ["no handler for this topic"] }, { status: 404 }));
  }
  if (entry.verify === "hmac") {
    return handleWebhook(request, ({ shop, webhookId, payload }) => entry.handle({ shop, topic, webhookId, payload }), verifyWebhookSignature);
  }
  return handleWebhook(request, ({ shop, webhookId, payload, session }) => entry.handle({ shop, topic, webhookId, payload, sessionId: session?.id }));
}
