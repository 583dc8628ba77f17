// POST /webhooks/products/create: product title and tags via the ingest service (app/services/ingest-webhook.server.ts).
export { ingestWebhookAction as action } from "~/shopify/ingest-action.server";
