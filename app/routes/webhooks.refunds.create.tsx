// POST /webhooks/refunds/create: verified and applied as its entry in the topic table says (app/webhooks/topics.server.ts).
export { webhookAction as action } from "~/webhooks/action.server";
