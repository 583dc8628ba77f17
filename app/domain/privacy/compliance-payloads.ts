import { z } from "zod";

/**
 * The mandatory compliance webhooks' payloads (customers/data_request, customers/redact), parsed into the ids
 * Afterglow keeps. The shopper's email and phone in `customer` are read past, never kept: the customer id identifies
 * them in this shop. Unknown fields are ignored (Shopify adds fields without notice).
 */
// Ids as in the order payloads (order-payload.ts `id`): webhook bodies are parsed losslessly, so an id beyond 2^53
// arrives as its exact digit string and is kept digit for digit (no sign, no leading zero, at most 2^64 - 1); a JSON
// number beyond 2^53 has already lost digits and is refused.
const MAX_ID = 18446744073709551615n;
const idDigits = z
  .string()
  .regex(/^(0|[1-9]\d{0,19})$/)
  .refine((digits) => !/^\d+$/.test(digits) || BigInt(digits) <= MAX_ID);
const id = z.union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), idDigits]).transform(String);
/** Order ids Shopify names; more than this many in one request is not a real payload. */
export const MAX_ORDER_IDS = 10_000;
const orderIds = z.array(id).max(MAX_ORDER_IDS).nullish().transform((ids) => [...new Set(ids ?? [])]);
const customer = z.object({ id });

const DataRequestPayloadSchema = z.object({
  customer,
  orders_requested: orderIds,
  data_request: z.object({ id }),
});

const CustomerRedactPayloadSchema = z.object({
  customer,
  orders_to_redact: orderIds,
});

interface DataRequestFacts {
  customerId: string;
  dataRequestId: string;
  orderIds: string[];
}

interface CustomerRedactFacts {
  customerId: string;
  orderIds: string[];
}

/** Field paths and messages only, never the values (they may be the shopper's email or phone). */
function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.code}`)
    .join("; ");
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseDataRequestPayload(payload: unknown): Parsed<DataRequestFacts> {
  const result = DataRequestPayloadSchema.safeParse(payload);
  if (!result.success) return { ok: false, reason: describe(result.error) };
  const { customer, orders_requested, data_request } = result.data;
  return { ok: true, value: { customerId: customer.id, dataRequestId: data_request.id, orderIds: orders_requested } };
}

export function parseCustomerRedactPayload(payload: unknown): Parsed<CustomerRedactFacts> {
  const result = CustomerRedactPayloadSchema.safeParse(payload);
  if (!result.success) return { ok: false, reason: describe(result.error) };
  return { ok: true, value: { customerId: result.data.customer.id, orderIds: result.data.orders_to_redact } };
}
