import { z } from "zod/v4";
import { decimalToMinorBig, InvalidAmountError, MAX_MINOR, sumDecimals, sumMinor, toMinorUnits } from "../money";
import { InvalidPayloadError } from "../payload-error";
import { toWellFormedText } from "../text";

/**
 * Shopify's REST order and refund resources, as delivered by the order webhooks and by the historical import,
 * parsed into the facts Afterglow keeps. Amounts become integer minor units of the shop currency.
 * Unknown fields are ignored: Shopify adds fields without notice.
 */
// Shopify's ids are unsigned 64-bit integers, many above 2^53 (its own samples: 820982911946154508). Webhook bodies
// are parsed losslessly (app/domain/lossless-json.ts), so such an id arrives as its exact digit string, kept digit for
// digit; the import's GraphQL GIDs give digit strings too. A JSON *number* above 2^53 can only have lost digits
// already (two orders could collide): it is refused rather than stored wrong. Digit strings: no sign, no leading zero
// (so one id has one text), at most 2^64 - 1.
const MAX_ID = 18446744073709551615n;
const idDigits = z
  .string()
  .regex(/^[1-9]\d{0,19}$/, "id: digits without sign or leading zero")
  // (zod runs this even after the regex failed: only digits reach BigInt)
  .refine((digits) => !/^\d+$/.test(digits) || BigInt(digits) <= MAX_ID, "id above 2^64 - 1");
const id = z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), idDigits]).transform(String);
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, "decimal amount string");
const timestamp = z.string().datetime({ offset: true }).transform((s) => new Date(s));
const currency = z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code");
// Free text is kept, but what PostgreSQL's text cannot hold becomes U+FFFD instead of failing the whole delivery
// (which Shopify would retry until it gives up): a lone UTF-16 surrogate (JSON can carry "\ud800"), as UTF-8 would
// have it, and NUL (U+0000).
const text = z.string().transform((s) => toWellFormedText(s).replaceAll("\u0000", "\ufffd"));
/** The id, timestamp and free-text rules of every REST payload Afterglow reads (orders, refunds, products). */
export { id as restId, timestamp as restTimestamp, text as restText };
const moneySet = z.object({
  shop_money: z.object({ amount: decimal, currency_code: currency }),
  presentment_money: z.object({ amount: decimal, currency_code: currency }).optional(),
});

const customerSchema = z.object({
  id,
  first_name: text.nullish(),
  last_name: text.nullish(),
  email: text.nullish(),
});

const quantity = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const lineItemSchema = z.object({
  id,
  product_id: id.nullish(),
  title: text,
  quantity,
  price: decimal,
});

/**
 * A fulfilment as the REST order carries it. `status` is "success" once shipped ("pending", "open", "cancelled",
 * "error", "failure" otherwise); `shipment_status` is the carrier's tracking state ("in_transit", "delivered", …).
 */
const fulfillmentSchema = z.object({
  status: z.string().nullish(),
  created_at: timestamp,
  updated_at: timestamp.nullish(),
  shipment_status: z.string().nullish(),
});

export type RestFulfillment = z.input<typeof fulfillmentSchema>;

export const RestOrderSchema = z.object({
  id,
  name: text,
  created_at: timestamp,
  updated_at: timestamp,
  processed_at: timestamp.nullish(),
  cancelled_at: timestamp.nullish(),
  currency,
  presentment_currency: currency.optional(),
  total_price: decimal,
  total_price_set: moneySet.optional(),
  financial_status: text.nullish(),
  test: z.boolean().default(false),
  customer: customerSchema.nullish(),
  line_items: z.array(lineItemSchema).default([]),
  fulfillments: z.array(fulfillmentSchema).default([]),
  /** The discount codes the order used (`[{ code, amount, type }]`); only the codes are read. */
  discount_codes: z.array(z.looseObject({ code: z.string().nullish() })).nullish(),
});

export type RestOrder = z.input<typeof RestOrderSchema>;

/** Longer than any code Shopify accepts (255): such a text is no code of ours and is not kept. */
const MAX_DISCOUNT_CODE_LENGTH = 255;
/** A bound on what one order's codes can make the ingest look up (Shopify applies a handful per order). */
const MAX_DISCOUNT_CODES = 50;

/**
 * The order's discount codes as Afterglow compares them: trimmed, in capitals (Shopify's codes are case-insensitive),
 * each once, in the order given; empty or overlong entries dropped.
 */
export function orderDiscountCodes(codes: readonly { code?: string | null }[] | null | undefined): string[] {
  const seen = new Set<string>();
  for (const entry of codes ?? []) {
    const code = entry.code?.trim().toUpperCase();
    if (code && code.length <= MAX_DISCOUNT_CODE_LENGTH) seen.add(code);
    if (seen.size === MAX_DISCOUNT_CODES) break;
  }
  return [...seen];
}

/** An order as Afterglow stores it. */
export interface OrderFacts {
  id: string;
  name: string;
  customer: { id: string; firstName: string | null; lastName: string | null; email: string | null } | null;
  currency: string;
  presentmentCurrency: string;
  totalMinor: number;
  /** The same total in the presentment currency (equal to totalMinor for single-currency orders). */
  presentmentTotalMinor: number;
  financialStatus: string | null;
  test: boolean;
  cancelledAt: Date | null;
  placedAt: Date;
  updatedAt: Date;
  /** When the first successful fulfilment was created; null while nothing has shipped. */
  fulfilledAt: Date | null;
  /** When the last shipment was delivered (see `fulfilmentDates`); null until every shipment is delivered. */
  deliveredAt: Date | null;
  lineItems: OrderLineFacts[];
  /** The discount codes the order used (`orderDiscountCodes`): a reward code among them is marked used. */
  discountCodes: string[];
}

interface OrderLineFacts {
  id: string;
  productId: string | null;
  title: string;
  quantity: number;
  /** Unit price before discounts, shop-currency minor units. */
  priceMinor: number;
}

/**
 * Fulfilment and delivery dates of an order from its fulfilments. Only successful fulfilments count (cancelled,
 * failed and pending ones shipped nothing). Fulfilled: the earliest one's `created_at`. Delivered: once every
 * successful fulfilment's `shipment_status` is "delivered", the latest of their `updated_at` (a fulfilment's last
 * change is its delivery update). Shopify's REST order has no delivered-at field, so this is the closest fact it
 * sends (docs/decisions/014-returns-data.md).
 */
export function fulfilmentDates(fulfillments: z.output<typeof fulfillmentSchema>[]): { fulfilledAt: Date | null; deliveredAt: Date | null } {
  const shipped = fulfillments.filter((f) => f.status === "success");
  if (shipped.length === 0) return { fulfilledAt: null, deliveredAt: null };
  const fulfilledAt = new Date(Math.min(...shipped.map((f) => f.created_at.getTime())));
  const delivered = shipped.every((f) => f.shipment_status === "delivered");
  const deliveredAt = delivered ? new Date(Math.max(...shipped.map((f) => (f.updated_at ?? f.created_at).getTime()))) : null;
  return { fulfilledAt, deliveredAt };
}

/** `amount` in minor units of `currency`; an amount it cannot hold (too many decimals, above 2^53) names `field`. */
function minorOf(field: string, amount: string, currency: string): number {
  return withField(field, () => toMinorUnits(amount, currency));
}

function toOrderFacts(raw: z.output<typeof RestOrderSchema>): OrderFacts {
  const shopMoney = raw.total_price_set?.shop_money;
  const currencyCode = shopMoney?.currency_code ?? raw.currency;
  const presentment = raw.total_price_set?.presentment_money;
  const totalField = shopMoney ? "total_price_set.shop_money.amount" : "total_price";
  return {
    id: raw.id,
    name: raw.name,
    customer: raw.customer
      ? {
          id: raw.customer.id,
          firstName: raw.customer.first_name ?? null,
          lastName: raw.customer.last_name ?? null,
          email: raw.customer.email ?? null,
        }
      : null,
    currency: currencyCode,
    presentmentCurrency: raw.presentment_currency ?? currencyCode,
    totalMinor: minorOf(totalField, shopMoney?.amount ?? raw.total_price, currencyCode),
    presentmentTotalMinor: presentment
      ? minorOf("total_price_set.presentment_money.amount", presentment.amount, presentment.currency_code)
      : minorOf(totalField, shopMoney?.amount ?? raw.total_price, currencyCode),
    financialStatus: raw.financial_status ?? null,
    test: raw.test,
    cancelledAt: raw.cancelled_at ?? null,
    placedAt: raw.processed_at ?? raw.created_at,
    updatedAt: raw.updated_at,
    ...fulfilmentDates(raw.fulfillments),
    lineItems: raw.line_items.map((li, i) => ({
      id: li.id,
      productId: li.product_id ?? null,
      title: li.title,
      quantity: li.quantity,
      priceMinor: minorOf(`line_items.${i}.price`, li.price, currencyCode),
    })),
    discountCodes: orderDiscountCodes(raw.discount_codes),
  };
}

/**
 * A refund transaction. Its `currency` can be null (Shopify's own refunds/create sample has `"currency": null`): the
 * amount is then in the currency the order was paid in, known from `amount_set`, the refund lines' presentment money
 * or, failing those, the order once it is known (docs/decisions/021-money-exactness.md).
 */
const transactionSchema = z.object({
  id: id.optional(),
  kind: z.string(),
  status: z.string().nullish(),
  amount: decimal,
  currency: currency.nullish(),
  amount_set: moneySet.nullish(),
});

/**
 * Shopify's REST examples write a refund line's `subtotal` as a JSON number; it is read through its shortest
 * decimal form (what was written), never used in float arithmetic. `subtotal_set` is preferred when present.
 */
const numberAsDecimal = z
  .number()
  .finite()
  .transform((n) => String(n))
  .pipe(decimal);

const refundLineItemSchema = z.object({
  line_item_id: id,
  quantity,
  subtotal: z.union([decimal, numberAsDecimal]).nullish(),
  subtotal_set: moneySet.nullish(),
  line_item: z.object({ product_id: id.nullish(), title: text }),
});

export const RestRefundSchema = z.object({
  id,
  order_id: id,
  created_at: timestamp,
  processed_at: timestamp.nullish(),
  transactions: z.array(transactionSchema).default([]),
  refund_line_items: z.array(refundLineItemSchema).default([]),
});

export type RestRefund = z.input<typeof RestRefundSchema>;
type ParsedRefund = z.output<typeof RestRefundSchema>;

interface RefundLineFacts {
  lineItemId: string;
  productId: string | null;
  title: string;
  quantity: number;
  /** What the refunded units were sold for (before tax), shop-currency minor units. */
  subtotalMinor: number;
}

export interface RefundFacts {
  id: string;
  orderId: string;
  createdAt: Date;
  /** Sum of successful refund transactions as paid, exact decimal text ("41.94"). */
  amountDecimal: string;
  /**
   * The currency they were paid in, when the refund names it (a transaction's `currency` or `amount_set`, or the
   * refund lines' presentment money); null when it does not: the order's presentment currency, once the order is known.
   */
  currency: string | null;
  /** `amountDecimal` in `currency` minor units; null while `currency` is null (converted when the order is known). */
  amountMinor: number | null;
  /** One entry per refunded order line (a line split over several restock locations is summed). */
  lineItems: RefundLineFacts[];
}

const successfulRefunds = (raw: ParsedRefund) => raw.transactions.filter((t) => t.kind === "refund" && (t.status ?? "success") === "success");

/** The shop currency the refund itself names (a line's or a transaction's shop money), or null. */
function namedShopCurrency(raw: ParsedRefund): string | null {
  for (const line of raw.refund_line_items) if (line.subtotal_set) return line.subtotal_set.shop_money.currency_code;
  for (const t of successfulRefunds(raw)) if (t.amount_set) return t.amount_set.shop_money.currency_code;
  return null;
}

/**
 * True when a refund line gives only `subtotal` (no `subtotal_set`) and nothing in the refund says which currency it
 * is in: the caller then passes the shop currency (the order's, or the shop's profile) to `toRefundFacts`.
 */
export function refundNeedsShopCurrency(raw: ParsedRefund): boolean {
  return raw.refund_line_items.some((line) => !line.subtotal_set && line.subtotal) && namedShopCurrency(raw) === null;
}

const amountIssue = (field: string) => (error: unknown) => {
  if (error instanceof InvalidAmountError) return new InvalidPayloadError(`${field}: ${error.message}`);
  return error;
};

function withField<T>(field: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    throw amountIssue(field)(error);
  }
}

/** The currency the refund was paid in, as the refund names it; null when it names none. */
function paidCurrency(raw: ParsedRefund): string | null {
  const named = new Set<string>();
  for (const t of successfulRefunds(raw)) {
    const code = t.currency ?? t.amount_set?.presentment_money?.currency_code ?? null;
    if (code) named.add(code);
  }
  if (named.size > 1) throw new InvalidPayloadError("transactions.currency: refund transactions in more than one currency");
  const [code] = named;
  if (code) return code;
  for (const line of raw.refund_line_items) {
    const presentment = line.subtotal_set?.presentment_money?.currency_code;
    if (presentment) return presentment;
  }
  return null;
}

/**
 * The refund's facts. `shopCurrency` (the order's shop currency, or the shop's) gives the decimals of a line's bare
 * `subtotal` when the refund names no shop currency itself; without either, the refund's own currency does.
 */
export function toRefundFacts(raw: ParsedRefund, shopCurrency: string | null = null): RefundFacts {
  const currencyCode = paidCurrency(raw);
  const amounts = successfulRefunds(raw).map((t) => t.amount);
  // The amounts passed the decimal check, so their exact sum cannot fail ("0" when there are none).
  const amountDecimal = sumDecimals(amounts);
  // Whatever the currency turns out to be (0, 2 or 3 decimals), its minor units must stay below 2^53.
  withField("transactions.amount", () => {
    if (decimalToMinorBig(amountDecimal, 3, "half-up") > BigInt(MAX_MINOR)) throw new InvalidAmountError("above 2^53 minor units");
  });
  const amountMinor = currencyCode ? withField("transactions.amount", () => toMinorUnits(amountDecimal, currencyCode)) : null;
  const subtotalCurrency = namedShopCurrency(raw) ?? shopCurrency ?? currencyCode;
  const lines = new Map<string, RefundLineFacts>();
  raw.refund_line_items.forEach((line, i) => {
    const shopMoney = line.subtotal_set?.shop_money;
    const subtotal = line.subtotal;
    let subtotalMinor = 0;
    if (shopMoney) {
      subtotalMinor = withField(`refund_line_items.${i}.subtotal_set`, () => toMinorUnits(shopMoney.amount, shopMoney.currency_code));
    } else if (subtotal) {
      if (!subtotalCurrency) throw new InvalidPayloadError(`refund_line_items.${i}.subtotal: no currency known for it`);
      subtotalMinor = withField(`refund_line_items.${i}.subtotal`, () => toMinorUnits(subtotal, subtotalCurrency));
    }
    const seen = lines.get(line.line_item_id);
    if (seen) {
      seen.quantity = withField(`refund_line_items.${i}.quantity`, () => sumMinor([seen.quantity, line.quantity]));
      seen.subtotalMinor = withField(`refund_line_items.${i}.subtotal`, () => sumMinor([seen.subtotalMinor, subtotalMinor]));
      return;
    }
    lines.set(line.line_item_id, {
      lineItemId: line.line_item_id,
      productId: line.line_item.product_id ?? null,
      title: line.line_item.title,
      quantity: line.quantity,
      subtotalMinor,
    });
  });
  return {
    id: raw.id,
    orderId: raw.order_id,
    createdAt: raw.processed_at ?? raw.created_at,
    amountDecimal,
    currency: currencyCode,
    amountMinor,
    lineItems: [...lines.values()],
  };
}

/** Up to five issues as "path: message"; never the offending values (they may be customer data). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

export function parseOrderPayload(payload: unknown): OrderFacts {
  const result = RestOrderSchema.safeParse(payload);
  if (!result.success) throw new InvalidPayloadError(describeIssues(result.error));
  // An amount it cannot hold is refused by toOrderFacts itself, as an InvalidPayloadError naming the field.
  return toOrderFacts(result.data);
}

/** The refund's shape checked (throws `InvalidPayloadError` naming the fields); `toRefundFacts` makes facts of it. */
export function parseRefundShape(payload: unknown): ParsedRefund {
  const result = RestRefundSchema.safeParse(payload);
  if (!result.success) throw new InvalidPayloadError(describeIssues(result.error));
  return result.data;
}
