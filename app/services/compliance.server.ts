import { log } from "~/logger.server";
import { deleteShopData, erasePersonalData } from "~/models/privacy.server";

const idOf = (value: unknown): string | null =>
  typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value)) ? String(value) : null;

/** customers/redact: erase what identifies the customer in this shop. Safe to apply twice. */
export async function redactCustomer(shop: string, payload: unknown) {
  const customerId = idOf((payload as { customer?: { id?: unknown } } | null)?.customer?.id);
  if (!customerId) return { redacted: 0 };
  return { redacted: await erasePersonalData(shop, customerId) };
}

/** shop/redact (48 h after uninstall): delete everything Afterglow holds for the shop. */
export async function redactShop(shop: string) {
  return { rows: await deleteShopData(shop) };
}

/**
 * customers/data_request: acknowledged and logged (ids only). The downloadable export for the merchant is
 * tracked in the privacy issue; until then the merchant can read the customer's data in the admin pages.
 */
export async function acknowledgeDataRequest(shop: string, payload: unknown) {
  const requestId = idOf((payload as { data_request?: { id?: unknown } } | null)?.data_request?.id);
  log.info("customer data request received", { shop, dataRequestId: requestId });
  return { acknowledged: true };
}
