import {
  parseOrderPayload,
  parseRefundShape,
  refundNeedsShopCurrency,
  toRefundFacts,
  type OrderFacts,
  type RefundFacts,
} from "~/domain/orders/order-payload";
import { parseProductDeletePayload, parseProductPayload, type ProductFacts } from "~/domain/products/product-payload";
import { errorName, log } from "~/logger.server";
import {
  claimWebhookDelivery,
  committedShopCurrency,
  insertRefunds,
  lockOrders,
  settleOrdersRefunds,
  settleRefundAmounts,
  upsertOrdersIfNewer,
  type OrderState,
  type OrderWriteResult,
} from "~/models/orders.server";
import { claimAndUpsertProduct, markProductDeleted } from "~/models/products.server";
import { linkSurveyResponsesToOrderCustomer } from "~/models/survey-responses.server";
import { analyseTablesNeverAnalysed, INGEST_TABLES } from "~/models/table-statistics.server";
import { createBatchGroupCommit, type SqlTx } from "~/models/transaction.server";
import { applyOrderLoyalty, applyOrdersLoyalty, moveOrderLoyalty, type OrderLoyaltyItem } from "./loyalty-ledger.server";
import { pendingFactsAhead } from "./pending-points.server";
import { markUsedRewardCodes } from "./rewards-codes-used.server";

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

export type IngestOutcome = "applied" | "duplicate" | "stale" | "ignored";

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

/**
 * Events arriving together share a transaction and are applied together (`applyIngestEvents`), and are acknowledged
 * after its commit; when one fails, the group is applied again one event at a time, each in its own savepoint. Its
 * statements run on generic plans and never read a table whole where an index reaches its rows: each reaches its rows
 * by key, the shop named through `opaqueShop` (decisions 055 and 057).
 */
const inGroupCommit = createBatchGroupCommit(applyIngestEvents, { keyedPlans: true });

/** An event checked and parsed, ready to be applied (`parseIngestEvent`). */
export interface ParsedIngestEvent {
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
 * Applies one event inside a single transaction (shared with the events that arrive at the same moment, applied
 * together: `applyIngestEvents`): the delivery is claimed and its effects (order facts, customer facts, points, tier, and the outbox
 * rows that mirror them into Shopify) are written together, so a crash either loses both (Shopify retries) or keeps
 * both (the retry is recognised as a duplicate). Resolves only after the commit.
 * Throws `InvalidPayloadError` (caller answers 4xx) before anything is written.
 */
export async function ingestEvent(event: IngestEvent): Promise<IngestOutcome> {
  const parsed = await parseIngestEvent(event);
  return (applyElsewhere ?? applyParsedEvent)(parsed);
}

/** Applies an event parsed by `parseIngestEvent`, in this thread's next group (`ingestEvent` without the parsing). */
export async function applyParsedEvent(parsed: ParsedIngestEvent): Promise<IngestOutcome> {
  const outcome = await inGroupCommit(parsed, parsed.shop);
  if (appliedBeforeStatistics < FIRST_STATISTICS_AFTER && ++appliedBeforeStatistics === FIRST_STATISTICS_AFTER) void takeFirstStatistics();
  return outcome;
}

/**
 * After this many events a process has applied, the ingest tables PostgreSQL has never analysed are analysed,
 * once (a brand-new database: docs/decisions/057-plans-for-young-tables.md). The group's cached generic plans, made
 * over the empty tables, are then made again from statistics, instead of at the first automatic ANALYZE (a minute or
 * more later, while the shop's orders pile up).
 */
export const FIRST_STATISTICS_AFTER = 200;
let appliedBeforeStatistics = 0;

async function takeFirstStatistics(): Promise<void> {
  try {
    const analysed = await analyseTablesNeverAnalysed(INGEST_TABLES);
    if (analysed.length) log.info("first statistics of the ingest tables taken", { tables: analysed.length });
  } catch (error) {
    log.warn("first statistics of the ingest tables failed", { error: errorName(error) });
  }
}

/** Where `ingestEvent` applies parsed events instead of this thread's group commit (the ingest worker's bridge), if set. */
let applyElsewhere: ((parsed: ParsedIngestEvent) => Promise<IngestOutcome>) | undefined;

/**
 * From now on `ingestEvent` hands each parsed event to `apply` (the ingest worker thread's bridge:
 * services/ingest-worker.server.ts) instead of applying it in this thread; `undefined` applies them here again.
 */
export function applyIngestEventsWith(apply: ((parsed: ParsedIngestEvent) => Promise<IngestOutcome>) | undefined): void {
  applyElsewhere = apply;
}

/** An order event of a batch, once claimed and upserted. */
type WrittenOrder = { event: ParsedIngestEvent & { parsed: { kind: "order" } }; index: number; result: Exclude<OrderWriteResult, { outcome: "duplicate" | "stale" }> };

/**
 * Events' writes, on the caller's transaction, with the same effect as applying them one after the other (in some
 * order). Safe with other transactions applying events at the same time (other app instances): an order's events take
 * the order's lock first, a customer's recomputation runs under their row lock, and every "newer wins" write guards
 * its version in the statement.
 *
 * A group's order events go together, a fixed number of statements whatever their number (PostgreSQL costs a round
 * trip per statement): the orders' locks and the orders' upsert (their deliveries' claims, line items, customers, and
 * the reads the points need, as CTEs), sent together; the ledger bookings with the customers' recomputed facts and
 * balances; and the tier and outbox writes, sent with the COMMIT: three waits for PostgreSQL, BEGIN included. An
 * order whose stored state needs more (refunds that arrived before it, a survey answer to link, a customer change) is
 * finished on its own after them. The group's refunds of distinct orders then go together the same way
 * (`applyRefundEvents`: five statements whatever their number). Events that cannot share those statements (a second
 * event of one order or one customer, products) are applied one by one after them.
 * Returns each event's outcome, in order (the events were parsed and checked before: `parseIngestEvent`).
 */
export async function applyIngestEvents(tx: SqlTx, events: ParsedIngestEvent[]): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  const now = new Date();
  const together = new Map<string, { event: WrittenOrder["event"]; index: number }[]>();
  const refundsTogether = new Map<string, { event: RefundEvent; index: number }[]>();
  const alone: number[] = [];
  const taken = new Set<string>();
  // An event goes with the group's orders unless an earlier event of the group shares its delivery, order or customer:
  // then it goes after them, with every later event that shares one of its own, so that one order's or one customer's
  // events apply in the order they arrived.
  events.forEach((event, index) => {
    const { parsed } = event;
    const keys =
      parsed.kind === "order"
        ? [`webhook ${event.webhookId}`, `order ${parsed.order.id}`, ...(parsed.order.customer ? [`customer ${parsed.order.customer.id}`] : [])]
        : parsed.kind === "refund"
          ? [`webhook ${event.webhookId}`, `order ${parsed.refund.orderId}`]
          : [];
    const batchable = (parsed.kind === "order" || parsed.kind === "refund") && keys.every((key) => !taken.has(`${event.shop} ${key}`));
    for (const key of keys) taken.add(`${event.shop} ${key}`);
    if (!batchable) {
      alone.push(index);
      return;
    }
    if (parsed.kind === "refund") {
      const shopRefunds = refundsTogether.get(event.shop) ?? [];
      shopRefunds.push({ event: event as RefundEvent, index });
      refundsTogether.set(event.shop, shopRefunds);
      return;
    }
    const shopEvents = together.get(event.shop) ?? [];
    shopEvents.push({ event: event as WrittenOrder["event"], index });
    together.set(event.shop, shopEvents);
  });
  for (const [shop, batch] of byShop(together)) {
    const orders = batch.map(({ event }) => event.parsed.order);
    // The orders' locks, their deliveries' claims and their writes leave together: one round trip.
    await lockOrders(
      tx,
      shop,
      orders.map((order) => order.id),
    );
    const upserting = upsertOrdersIfNewer(
      tx,
      shop,
      orders,
      batch.map(({ event }) => ({ webhookId: event.webhookId, topic: event.topic })),
    );
    // Sent behind the upsert without waiting for it: what the points' return windows need, for every order the
    // group wrote (the ledger takes those that hold points).
    const pendingFacts = pendingFactsAhead(
      tx,
      shop,
      orders.map((order) => order.id),
    );
    const results = await upserting;
    const written: WrittenOrder[] = [];
    batch.forEach(({ event, index }, i) => {
      const result = results[i]!;
      if (result.outcome === "duplicate" || result.outcome === "stale") outcomes[index] = result.outcome;
      else written.push({ event, index, result });
    });
    const plain = written.filter(({ result, event }) => !needsMore(result, event.parsed.order.customer?.id ?? null));
    await applyOrdersLoyalty(
      tx,
      shop,
      plain.map(({ result }): OrderLoyaltyItem => ({ state: result.state, customer: result.customer })),
      now,
      pendingFacts,
    );
    for (const { index } of plain) outcomes[index] = "applied";
    // Alone in its batch, an order's customer is as its upsert locked them; with others, an earlier order's customer
    // change may have refreshed them since: read them again.
    const fresher = written.length > 1;
    for (const order of written.filter((w) => !plain.includes(w))) {
      await finishOrder(tx, order, fresher, now);
      outcomes[order.index] = "applied";
    }
  }
  // A group's refunds of distinct orders, after its orders (a refund of one of them went alone, below).
  for (const [shop, batch] of byShop(refundsTogether)) {
    const refundOutcomes = await applyRefundEvents(
      tx,
      shop,
      batch.map(({ event }) => event),
      now,
    );
    batch.forEach(({ index }, i) => (outcomes[index] = refundOutcomes[i]!));
  }
  for (const index of alone) outcomes[index] = await applyEventAlone(tx, events[index]!, now);
  // Reward codes the orders used (an order applied alone marked its own in its own call).
  await markUsedRewardCodes(tx, events.filter((_, index) => !alone.includes(index)), now);
  return outcomes;
}

/** A group's batches, one per shop, in shop order (the order every group takes the shops' locks in). */
function byShop<T>(batches: Map<string, T>): [string, T][] {
  return [...batches].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Whether a written order needs more than its points: refunds to count, a survey answer to link, a customer change. */
function needsMore(result: WrittenOrder["result"], customerId: string | null): boolean {
  return result.surveyed || result.state.refunds.length > 0 || (result.outcome === "updated" && result.previousCustomerId !== customerId);
}

/** The rest of an order event whose stored state needs more than its points (`needsMore`). */
async function finishOrder(tx: SqlTx, { event, result }: WrittenOrder, relock: boolean, now: Date): Promise<void> {
  const { shop } = event;
  const { order } = event.parsed;
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
  await applyOrderLoyalty(tx, shop, state, relock ? null : result.customer, now);
}

/**
 * An event that does not go with its group's orders or refunds (a product, a second event of one order or customer):
 * its claim, then its writes.
 */
async function applyEventAlone(tx: SqlTx, event: ParsedIngestEvent, now: Date): Promise<IngestOutcome> {
  const { shop, webhookId, topic, parsed } = event;
  if (parsed.kind === "product") {
    const outcome = await claimAndUpsertProduct(tx, shop, webhookId, topic, parsed.product);
    return outcome === "written" ? "applied" : outcome;
  }
  if (parsed.kind === "order") return (await applyIngestEvents(tx, [event]))[0]!;
  if (parsed.kind === "refund") return (await applyRefundEvents(tx, shop, [event as RefundEvent], now))[0]!;
  if (!(await claimWebhookDelivery(tx, shop, webhookId, topic))) return "duplicate";
  await markProductDeleted(tx, shop, parsed.productId, now);
  return "applied";
}

/** A refund event of a group. */
type RefundEvent = ParsedIngestEvent & { parsed: { kind: "refund" } };

/**
 * Refund events of one shop, each of another order, together: their orders' locks, then their inserts (claiming
 * their deliveries and reading their orders' states, in the same round trip), their settlement in shop currency
 * (locking their customers) and their customers' refresh, a statement each however many refunds. A refund whose
 * customer an earlier refund of the batch has is settled and counted on its own after them (the refresh takes each
 * customer once). Returns each event's outcome, in order.
 */
async function applyRefundEvents(tx: SqlTx, shop: string, events: RefundEvent[], now: Date): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = events.map(() => "duplicate");
  // The orders' locks, the deliveries' claims and the refunds' inserts leave together: one round trip.
  await lockOrders(
    tx,
    shop,
    events.map(({ parsed }) => parsed.refund.orderId),
  );
  const inserted = await insertRefunds(
    tx,
    shop,
    events.map(({ parsed }) => parsed.refund),
    events.map(({ webhookId, topic }) => ({ webhookId, topic })),
  );
  const together: { index: number; state: OrderState & { order: NonNullable<OrderState["order"]> }; owner: string | null }[] = [];
  const after: typeof together = [];
  const owners = new Set<string>();
  events.forEach((_, index) => {
    // A repeat delivery (its claim found) or a refund stored before (under another delivery) inserts nothing.
    const { inserted: isNew, state } = inserted[index]!;
    if (!isNew) return;
    outcomes[index] = "applied";
    // Nothing more until the order is known: its arrival converts and counts the refund.
    if (!state.order) return;
    const owner = state.order.customerId && !state.order.test ? state.order.customerId : null;
    const item = { index, state: { ...state, order: state.order }, owner };
    if (owner !== null && owners.has(owner)) after.push(item);
    else {
      if (owner !== null) owners.add(owner);
      together.push(item);
    }
  });
  if (together.length) {
    const settled = await settleOrdersRefunds(
      tx,
      shop,
      together.map(({ state }) => ({ order: state.order, refunds: state.refunds })),
      [...owners],
    );
    await applyOrdersLoyalty(
      tx,
      shop,
      together.map(({ state, owner }, i) => ({
        state: { ...state, refunds: settled.refunds[i]! },
        customer: owner === null ? null : (settled.customers.get(owner) ?? null),
      })),
      now,
    );
  }
  for (const { state, owner } of after) {
    const settled = await settleRefundAmounts(tx, shop, state.order, state.refunds, owner);
    await applyOrderLoyalty(tx, shop, { ...state, refunds: settled.refunds }, settled.customer, now);
  }
  return outcomes;
}
