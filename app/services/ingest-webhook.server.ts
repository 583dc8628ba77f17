import {
  parseOrderPayload,
  parseRefundShape,
  refundNeedsShopCurrency,
  toRefundFacts,
  type OrderFacts,
  type RefundFacts,
} from "~/domain/orders/order-payload";
import { parseProductDeletePayload, parseProductPayload, type ProductFacts } from "~/domain/products/product-payload";
import { claimWebhookDelivery, committedShopCurrency, insertRefund, settleRefundAmounts, upsertOrderIfNewer } from "~/models/orders.server";
import { claimAndUpsertProduct, markProductDeleted } from "~/models/products.server";
import { linkSurveyResponsesToOrderCustomer } from "~/models/survey-responses.server";
import { createGroupCommit, type SqlTx } from "~/models/transaction.server";
import { applyOrderLoyalty, moveOrderLoyalty } from "./loyalty-ledger.server";

/**
 * One webhook event, independent of how it arrived: the HTTP webhook routes, the historical import and the demo
 * seed all call `ingestEvent`, and a Pub/Sub or EventBridge consumer could call it unchanged.
 */
export interface IngestEvent {
  shop: string;
  topic: string;
  /** X-Shopify-Webhook-Id: the idempotency key. */
  webhookId: string;
  payload: unknown;
}

type IngestOutcome = "applied" | "duplicate" | "stale" | "ignored";

const ORDER_TOPICS = ["orders/create", "orders/updated", "orders/paid", "orders/cancelled"] as const;
const PRODUCT_TOPICS = ["products/create", "products/update", "products/delete"] as const;
const INGEST_TOPICS = [...ORDER_TOPICS, "refunds/create", ...PRODUCT_TOPICS] as const;
type IngestTopic = (typeof INGEST_TOPICS)[number];

/** A topic the ingest service does not ingest (the topic table, app/webhooks/topics.server.ts, sends it none). */
class UnsupportedTopicError extends Error {
  override name = "UnsupportedTopicError";
}

function normaliseTopic(topic: string): string {
  // The library reports topics as ORDERS_CREATE; the toml and routes use orders/create.
  return topic.includes("/") ? topic.toLowerCase() : topic.toLowerCase().replace("_", "/");
}

type ParsedEvent =
  | { kind: "order"; order: OrderFacts }
  | { kind: "refund"; refund: RefundFacts }
  | { kind: "product"; product: ProductFacts }
  | { kind: "product-deleted"; productId: string };

/**
 * A refund's facts. A refund line with a bare `subtotal` (no `subtotal_set`) in a refund that names no shop currency
 * is read in the shop currency: its order's when the order is known, else the shop profile's (committed reads,
 * outside the transaction: neither currency ever changes for an order).
 */
async function parseRefund(shop: string, payload: unknown): Promise<RefundFacts> {
  const raw = parseRefundShape(payload);
  if (!refundNeedsShopCurrency(raw)) return toRefundFacts(raw);
  return toRefundFacts(raw, await committedShopCurrency(shop, raw.order_id));
}

/** The payload parsed for its topic; throws `InvalidPayloadError` naming the fields. */
async function parseEvent(shop: string, topic: IngestTopic, payload: unknown): Promise<ParsedEvent> {
  if (topic === "refunds/create") return { kind: "refund", refund: await parseRefund(shop, payload) };
  if (topic === "products/delete") return { kind: "product-deleted", productId: parseProductDeletePayload(payload).id };
  if (topic === "products/create" || topic === "products/update") return { kind: "product", product: parseProductPayload(payload) };
  return { kind: "order", order: parseOrderPayload(payload) };
}

/** Events arriving together share a transaction, each in its own savepoint, and are acknowledged after its commit. */
const inGroupCommit = createGroupCommit();

/** The order whose lock an event takes (every event that writes an order or one of its refunds). */
function orderOf(parsed: ParsedEvent): string | undefined {
  if (parsed.kind === "order") return parsed.order.id;
  if (parsed.kind === "refund") return parsed.refund.orderId;
  return undefined;
}

/** An event checked and parsed, ready to be applied (`parseIngestEvent`). */
interface ParsedIngestEvent {
  shop: string;
  webhookId: string;
  topic: IngestTopic;
  parsed: ParsedEvent;
}

/**
 * Checks the topic and parses the payload, before any transaction: throws `UnsupportedTopicError`, or
 * `InvalidPayloadError` naming the fields (the caller answers 4xx).
 */
export async function parseIngestEvent(event: IngestEvent): Promise<ParsedIngestEvent> {
  const topic = normaliseTopic(event.topic);
  if (!(INGEST_TOPICS as readonly string[]).includes(topic)) {
    throw new UnsupportedTopicError(`topic ${topic} is not ingested`);
  }
  const parsed = await parseEvent(event.shop, topic as IngestTopic, event.payload);
  return { shop: event.shop, webhookId: event.webhookId, topic: topic as IngestTopic, parsed };
}

/**
 * Applies one event inside a single transaction (shared with events that arrive at the same moment, each in its own
 * savepoint): the delivery is claimed and its effects (order facts, customer facts, points, tier, and the outbox
 * rows that mirror them into Shopify) are written together, so a crash either loses both (Shopify retries) or keeps
 * both (the retry is recognised as a duplicate). Resolves only after the commit.
 * Throws `InvalidPayloadError` (caller answers 4xx) before anything is written.
 */
export async function ingestEvent(event: IngestEvent): Promise<IngestOutcome> {
  const parsed = await parseIngestEvent(event);
  return inGroupCommit((tx) => applyIngestEvent(tx, parsed), parsed.shop);
}

/**
 * The event's writes, on the caller's transaction. Safe with other transactions applying events at the same time
 * (other app instances): an order's events take the order's lock first, a customer's recomputation runs under their
 * row lock, and every "newer wins" write guards its version in the statement.
 *
 * Round trips of an orders/create (new order, no refund, no survey answer yet): the claim (with the order's lock),
 * the order's upsert (line items, customer, and the reads the points need, as CTEs), the ledger booking with the
 * customer's recomputed facts and balance, and the tier/outbox write when the standing changed: four statements,
 * plus BEGIN and COMMIT (shared by a group). A repeat delivery: one statement.
 */
export async function applyIngestEvent(tx: SqlTx, { shop, webhookId, topic, parsed }: ParsedIngestEvent): Promise<IngestOutcome> {
  if (parsed.kind === "product") {
    const outcome = await claimAndUpsertProduct(tx, shop, webhookId, topic, parsed.product);
    return outcome === "written" ? "applied" : outcome;
  }
  const fresh = await claimWebhookDelivery(tx, shop, webhookId, topic, orderOf(parsed));
  if (!fresh) return "duplicate";
  const now = new Date();
  switch (parsed.kind) {
    case "product-deleted":
      await markProductDeleted(tx, shop, parsed.productId, now);
      return "applied";
    case "refund": {
      const { inserted, state } = await insertRefund(tx, shop, parsed.refund);
      if (!inserted) return "duplicate";
      // Nothing more until the order is known: its arrival converts and counts the refund.
      if (!state.order) return "applied";
      const owner = state.order.customerId && !state.order.test ? state.order.customerId : null;
      const settled = await settleRefundAmounts(tx, shop, state.order, state.refunds, owner);
      await applyOrderLoyalty(tx, shop, { ...state, refunds: settled.refunds }, settled.customer, now);
      return "applied";
    }
    case "order": {
      const { order } = parsed;
      const result = await upsertOrderIfNewer(tx, shop, order);
      if (result.outcome === "stale") return "stale";
      let { state } = result;
      // Survey answers given before this order arrived get its customer now.
      if (result.surveyed) await linkSurveyResponsesToOrderCustomer(shop, order.id, tx);
      // Refunds that arrived before this order are converted and counted now.
      if (state.order && state.refunds.length) {
        state = { ...state, refunds: (await settleRefundAmounts(tx, shop, state.order, state.refunds)).refunds };
      }
      // An order moved to another customer (or to or from a guest) takes its points, facts and tier along.
      if (result.outcome === "updated" && result.previousCustomerId !== (order.customer?.id ?? null)) {
        await moveOrderLoyalty(tx, shop, state, result.previousCustomerId, now);
      }
      await applyOrderLoyalty(tx, shop, state, result.customer, now);
      return "applied";
    }
  }
}

