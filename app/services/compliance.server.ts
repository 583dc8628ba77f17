import { InvalidPayloadError } from "~/domain/payload-error";
import { parseCustomerRedactPayload, parseDataRequestPayload } from "~/domain/privacy/compliance-payloads";
import { log } from "~/logger.server";
import { deleteFlowTriggerUses } from "~/models/flow-triggers.server";
import { insertDataRequest } from "~/models/privacy-requests.server";
import { deleteShopData, erasePersonalData } from "~/models/privacy.server";

/**
 * The mandatory compliance webhooks. Each is idempotent (a repeated delivery changes nothing) and logs ids and counts
 * only: the shopper's email and phone in the payload are neither stored nor logged.
 */
interface ComplianceDelivery {
  shop: string;
  webhookId: string;
  payload: unknown;
}

/**
 * customers/redact: erase what identifies the customer in this shop (name, email, answer free text, follow-up
 * notes; scores and figures stay), and list the request on the Privacy page with the rows it changed.
 */
export async function redactCustomer({ shop, webhookId, payload }: ComplianceDelivery) {
  const now = new Date();
  const parsed = parseCustomerRedactPayload(payload);
  if (!parsed.ok) throw new InvalidPayloadError(parsed.reason);
  const { customerId, orderIds } = parsed.value;
  const erased = await erasePersonalData(shop, customerId, orderIds, { webhookId, receivedAt: now });
  log.info("customer redacted", { shop, webhookId, customerId, orders: orderIds.length, ...erased });
  return "redacted";
}

/** shop/redact (48 h after uninstall): delete everything Afterglow holds for the shop, its privacy requests too. */
export async function redactShop(shop: string) {
  const rows = (await deleteShopData(shop)) + (await deleteFlowTriggerUses(shop));
  log.info("shop redacted", { shop, rows });
  return "deleted";
}

/**
 * customers/data_request: record the request (ids only) for the Privacy page, where the merchant downloads the
 * export, assembled from the shop's rows at download time (services/privacy-export.server.ts). Recorded once per
 * webhook id and per data request id.
 */
export async function recordDataRequest({ shop, webhookId, payload }: ComplianceDelivery, now = new Date()) {
  const parsed = parseDataRequestPayload(payload);
  if (!parsed.ok) throw new InvalidPayloadError(parsed.reason);
  const { customerId, dataRequestId, orderIds } = parsed.value;
  const recorded = await insertDataRequest(shop, { webhookId, dataRequestId, customerId, orderIds }, now);
  log.info("customer data request received", { shop, webhookId, dataRequestId, customerId, orders: orderIds.length, recorded });
  return recorded ? "recorded" : "repeat";
}
