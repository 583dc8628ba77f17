import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { log } from "~/logger.server";
import { consumeWebhookMessages, pubsubConsumerConfig, type PubSubMessage, type WebhookConsumer } from "~/pubsub/consumer.server";
import { handleWebhookMessage, UNKNOWN_SHOP_RETRY_MS, type MessageVerdict, type WebhookMessage } from "~/pubsub/webhook-message.server";
import { MAX_WEBHOOK_BYTES } from "~/shopify/webhook-request.server";
import { allowConsoleError } from "../support/console";
import { withConnection } from "../support/connections";
import { databaseState } from "../support/db-state";
import { restOrder } from "../support/orders";
import { ROOT } from "../support/paths";
import { installShop } from "../support/sessions";
import { callAction, shopifyDeliveryHeaders, signedWebhook } from "../support/webhooks";

/**
 * The Pub/Sub consumer (app/pubsub/, docs/decisions/026-pubsub-consumer.md) on a stubbed subscription: an
 * EventEmitter emitting messages shaped like the client library's `Message` (attributes, data, ack, nack); the
 * emulator cannot be installed here. Everything behind it is real: the services, the group commit, PostgreSQL.
 */

/** Stands in for the library's Subscription: the consumer listens to "message" and "error" and calls close(). */
class StubSubscription extends EventEmitter {
  closes = 0;
  close() {
    this.closes++;
    return Promise.resolve();
  }
}

interface StubMessage extends PubSubMessage {
  /** Every ack() and nack() call, in order. */
  calls: ("ack" | "nack")[];
  /** The first settlement. */
  settled: Promise<"ack" | "nack">;
}

interface MessageOptions {
  topic: string;
  shop: string;
  data: string | Uint8Array;
  webhookId?: string;
  /** Replaces or (undefined) removes attributes. */
  attributes?: Record<string, string | undefined>;
  publishTime?: Date;
  /** Runs inside ack(), before it returns. */
  onAck?: () => void;
}

/** A message as Shopify publishes a webhook: the HTTP headers as attributes, the JSON body as data. */
function pubsubMessage({ topic, shop, data, webhookId = randomUUID(), attributes = {}, publishTime = new Date(), onAck }: MessageOptions): StubMessage {
  const merged: Record<string, string | undefined> = {
    ...shopifyDeliveryHeaders(topic, shop, webhookId),
    ...attributes,
  };
  const calls: ("ack" | "nack")[] = [];
  let settle: (how: "ack" | "nack") => void = () => {};
  const settled = new Promise<"ack" | "nack">((resolve) => (settle = resolve));
  return {
    id: String(Math.floor(Math.random() * 1e15)),
    attributes: Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    data: typeof data === "string" ? Buffer.from(data) : data,
    publishTime,
    deliveryAttempt: 0,
    calls,
    settled,
    ack() {
      onAck?.();
      calls.push("ack");
      settle("ack");
    },
    nack() {
      calls.push("nack");
      settle("nack");
    },
  };
}

/** A consumer on a stub subscription, recording the verdict of every message it applied. */
function startConsumer() {
  const subscription = new StubSubscription();
  const verdicts: MessageVerdict[] = [];
  const consumer = consumeWebhookMessages(subscription, {
    handle: async (message: WebhookMessage) => {
      const verdict = await handleWebhookMessage(message);
      verdicts.push(verdict);
      return verdict;
    },
  });
  consumers.push(consumer);
  const deliver = (message: StubMessage) => {
    subscription.emit("message", message);
    return message.settled;
  };
  return { subscription, consumer, verdicts, deliver };
}

const consumers: WebhookConsumer[] = [];
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
});

const FIXTURES = path.join(ROOT, "tests", "fixtures", "shopify-webhooks");
/** Shopify's published sample for `topic`, its `{shop}` placeholder (compliance samples) filled with the shop's name. */
const sample = (topic: string, shop: string) =>
  fs.readFileSync(path.join(FIXTURES, `${topic.replace("/", "__")}.json`), "utf8").replaceAll("{shop}", shop.replace(/\.myshopify\.com$/, ""));

const SAMPLE_ORDER_ID = "820982911946154508";

let shops = 0;
/** A fresh shop name for each test (one database per file). */
const newShop = (prefix = "pubsub") => `${prefix}-${++shops}.myshopify.com`;

describe("Pub/Sub consumer: acknowledgement", () => {
  it("acks an order only once its rows are committed, with 64-bit ids exact", async () => {
    // GIVEN an installed shop and Shopify's orders/create sample (ids above 2^53)
    const shop = newShop();
    await installShop(shop);
    const { deliver, verdicts } = startConsumer();
    let seenAtAck: Promise<unknown> | undefined;
    const message = pubsubMessage({
      topic: "orders/create",
      shop,
      data: sample("orders/create", shop),
      // What another connection reads at the moment the consumer acknowledges.
      onAck: () => (seenAtAck = withConnection(async (sql) => sql.$queryRaw`SELECT "id", "customerId" FROM "Order" WHERE "shop" = ${shop}`)),
    });

    // WHEN it is delivered
    expect(await deliver(message)).toBe("ack");

    // THEN the order was committed before the ack, its ids exact, and the message settled once
    expect(await seenAtAck).toEqual([{ id: SAMPLE_ORDER_ID, customerId: "115310627314723954" }]);
    expect(message.calls).toEqual(["ack"]);
    expect(verdicts).toEqual([{ ack: true, outcome: "applied" }]);
    expect(await prisma.webhookDelivery.count({ where: { shop, webhookId: message.attributes["X-Shopify-Webhook-Id"] } })).toBe(1);
  });

  it("nacks when the database fails, writes nothing, and applies the redelivery once the database is back", async () => {
    allowConsoleError(); // the failure is logged as an error on purpose
    const shop = newShop();
    await installShop(shop);
    const { deliver, verdicts } = startConsumer();
    // GIVEN the database refuses every order row (a real PostgreSQL error, raised inside the ingest transaction)
    await prisma.$executeRawUnsafe(`CREATE FUNCTION pubsub_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER pubsub_test_refuse BEFORE INSERT ON "Order" FOR EACH ROW EXECUTE FUNCTION pubsub_test_refuse()`);
    const before = await databaseState(shop);
    const webhookId = randomUUID();
    const body = JSON.stringify(restOrder({ id: 7001 }));

    try {
      // WHEN the message arrives
      const first = pubsubMessage({ topic: "orders/create", shop, webhookId, data: body });
      expect(await deliver(first)).toBe("nack");

      // THEN it is nacked, not acked, and nothing of it was written (not even the delivery's id)
      expect(first.calls).toEqual(["nack"]);
      expect(verdicts).toEqual([{ ack: false, retry: expect.stringMatching(/\bP0001\b/) }]);
      expect(await databaseState(shop)).toEqual(before);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER pubsub_test_refuse ON "Order"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION pubsub_test_refuse()`);
    }

    // WHEN Pub/Sub delivers it again, the database answering
    const again = pubsubMessage({ topic: "orders/create", shop, webhookId, data: body });
    expect(await deliver(again)).toBe("ack");

    // THEN it is applied (not taken for a duplicate of the failed attempt)
    expect(verdicts[1]).toEqual({ ack: true, outcome: "applied" });
    expect(await prisma.order.count({ where: { shop, id: "7001" } })).toBe(1);
  });

  it("changes nothing on a repeat, sequential or delivered to two consumers at once", async () => {
    const shop = newShop();
    await installShop(shop);
    const one = startConsumer();
    const two = startConsumer();
    const webhookId = randomUUID();
    const body = JSON.stringify(restOrder({ id: 7101, total_price: "80.00" }));
    const message = () => pubsubMessage({ topic: "orders/create", shop, webhookId, data: body });

    // WHEN the same delivery reaches two consumers at the same moment (Pub/Sub delivers at least once)
    const settled = await Promise.all([one.deliver(message()), two.deliver(message())]);

    // THEN both ack, one applied it and the other saw a duplicate
    expect(settled).toEqual(["ack", "ack"]);
    expect([...one.verdicts, ...two.verdicts].map((v) => ("outcome" in v ? v.outcome : v)).sort()).toEqual(["applied", "duplicate"]);
    const after = await databaseState(shop);
    expect(await prisma.order.count({ where: { shop } })).toBe(1);
    expect(await prisma.customer.findMany({ where: { shop }, select: { id: true, orderCount: true, lifetimeNetMinor: true } })).toEqual([
      { id: "501", orderCount: 1, lifetimeNetMinor: 8000n },
    ]);

    // WHEN it comes a third time
    expect(await one.deliver(message())).toBe("ack");

    // THEN nothing changes
    expect(one.verdicts.at(-1)).toEqual({ ack: true, outcome: "duplicate" });
    expect(await databaseState(shop)).toEqual(after);
  });
});

describe("Pub/Sub consumer: refusals (acked, logged, nothing written)", () => {
  const HOSTILE = "<img src=x onerror=alert(1)> Robert'); DROP TABLE";

  interface Refusal {
    name: string;
    /** The message, for an installed shop `shop` whose Shopify id is 548380009. */
    message: (shop: string) => StubMessage;
    reason: string;
  }

  const order = JSON.stringify(restOrder({ id: 7201 }));
  const REFUSALS: Refusal[] = [
    {
      name: "a customers/redact whose body names another shop than its attributes",
      message: (shop) => pubsubMessage({ topic: "customers/redact", shop, data: sample("customers/redact", "someone-else.myshopify.com") }),
      reason: "shop_domain does not match X-Shopify-Shop-Domain",
    },
    {
      name: "an app/uninstalled whose body names another shop id than the shop's",
      message: (shop) => pubsubMessage({ topic: "app/uninstalled", shop, data: sample("app/uninstalled", shop).replace('"id": 548380009', '"id": 548380010') }),
      reason: "id does not match the shop's id",
    },
    {
      name: "a message without X-Shopify-Webhook-Id",
      message: (shop) => pubsubMessage({ topic: "orders/create", shop, data: order, attributes: { "X-Shopify-Webhook-Id": undefined } }),
      reason: "missing attribute x-shopify-webhook-id",
    },
    {
      name: "a message without X-Shopify-Topic",
      message: (shop) => pubsubMessage({ topic: "orders/create", shop, data: order, attributes: { "X-Shopify-Topic": undefined } }),
      reason: "missing attribute x-shopify-topic",
    },
    {
      name: "a shop attribute that is no shop domain",
      message: () => pubsubMessage({ topic: "orders/create", shop: `${HOSTILE}.myshopify.com`, data: order }),
      reason: "invalid X-Shopify-Shop-Domain",
    },
    {
      name: "a topic Afterglow does not handle",
      message: (shop) => pubsubMessage({ topic: "carts/create", shop, data: order }),
      reason: "topic not handled",
    },
    {
      name: "a hostile topic",
      message: (shop) => pubsubMessage({ topic: `${HOSTILE}/x`, shop, data: order }),
      reason: "topic not handled",
    },
    {
      name: "data that is not JSON",
      message: (shop) => pubsubMessage({ topic: "orders/create", shop, data: `{"id": ${HOSTILE}` }),
      reason: "data is not valid JSON",
    },
    {
      name: "data that is JSON but no object",
      message: (shop) => pubsubMessage({ topic: "app/scopes_update", shop, data: "null" }),
      reason: "data is not a JSON object",
    },
    {
      name: "data larger than an HTTP delivery may be",
      message: (shop) => pubsubMessage({ topic: "orders/create", shop, data: new Uint8Array(MAX_WEBHOOK_BYTES + 1) }),
      reason: `data larger than ${MAX_WEBHOOK_BYTES} bytes`,
    },
    {
      name: "an order its parser rejects",
      message: (shop) => pubsubMessage({ topic: "orders/create", shop, data: JSON.stringify({ id: 7202, note: HOSTILE }) }),
      reason: "", // the parser's own reason, naming fields (checked below to be non-empty)
    },
    {
      name: "a shop Afterglow does not know, published longer ago than the retry window",
      message: () =>
        pubsubMessage({ topic: "orders/create", shop: "never-installed.myshopify.com", data: order, publishTime: new Date(Date.now() - UNKNOWN_SHOP_RETRY_MS - 1000) }),
      reason: "shop is not one of Afterglow's",
    },
  ];

  it.each(REFUSALS.map((r) => [r.name, r] as const))("refuses %s", async (_name, { message: build, reason }) => {
    // GIVEN an installed shop whose id is known
    const shop = newShop();
    await installShop(shop);
    await prisma.shop.create({ data: { shop, shopifyId: "548380009" } });
    const before = await databaseState();
    const warn = vi.spyOn(log, "warn");
    const { deliver, verdicts } = startConsumer();
    const message = build(shop);

    // WHEN it arrives
    const settled = await deliver(message);

    // THEN it is acked (redelivering it would loop for ever), logged with its reason, and nothing is written
    expect(settled).toBe("ack");
    expect(message.calls).toEqual(["ack"]);
    expect(verdicts).toHaveLength(1);
    const verdict = verdicts[0] as { ack: true; refused: string };
    if (reason) expect(verdict).toEqual({ ack: true, refused: reason });
    else expect(verdict.refused).toMatch(/\S/);
    expect(await databaseState()).toEqual(before);
    const logged = warn.mock.calls.filter(([msg]) => msg === "webhook message refused");
    expect(logged).toHaveLength(1);
    expect(logged[0]![1]).toMatchObject({ reason: verdict.refused, via: "pubsub" });
    // The publisher's free text never reaches the log
    expect(JSON.stringify(warn.mock.calls)).not.toContain("onerror");
    expect(JSON.stringify(warn.mock.calls)).not.toContain("DROP TABLE");
    warn.mockRestore();
  });

  it("retries a message for a shop it does not know yet while the install may be finishing, then applies it", async () => {
    const shop = newShop();
    const { deliver, verdicts } = startConsumer();
    const webhookId = randomUUID();
    const body = JSON.stringify(restOrder({ id: 7301 }));

    // WHEN an order arrives, just published, for a shop with no session yet
    const early = pubsubMessage({ topic: "orders/create", shop, webhookId, data: body });
    expect(await deliver(early)).toBe("nack");
    expect(verdicts).toEqual([{ ack: false, retry: "shop not known yet" }]);
    expect(await prisma.order.count({ where: { shop } })).toBe(0);

    // WHEN the install completes and Pub/Sub delivers the message again
    await installShop(shop);
    expect(await deliver(pubsubMessage({ topic: "orders/create", shop, webhookId, data: body }))).toBe("ack");

    // THEN it is applied
    expect(verdicts[1]).toEqual({ ack: true, outcome: "applied" });
    expect(await prisma.order.count({ where: { shop } })).toBe(1);
  });
});

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;

async function routeAction(topic: string): Promise<Action> {
  const module = (await import(/* @vite-ignore */ path.join(ROOT, "app", "routes", `webhooks.${topic.replace("/", ".")}.tsx`))) as { action: Action };
  return module.action;
}

/** What a sample needs in the shop before it arrives: the Shop row's id and earlier samples (same path). */
const GIVEN: Record<string, { shopifyId?: string; shopRow?: Record<string, string>; earlier?: string[] }> = {
  "refunds/create": { earlier: ["orders/create"] },
  "products/delete": { earlier: ["products/create"] },
  "customers/data_request": { shopifyId: "954889" },
  "customers/redact": { shopifyId: "954889", earlier: ["orders/create"] },
  "shop/redact": { shopifyId: "954889", earlier: ["orders/create"] },
  "app/uninstalled": { shopifyId: "548380009" },
  "app/scopes_update": { shopifyId: "548380009" },
  "shop/update": { shopRow: { name: "Old name", currency: "EUR", timezone: "Europe/Paris" } },
};

/**
 * The shop's rows of every table, comparable across two shops: the shop's domain replaced, the instants written
 * while the test ran (receivedAt, installedAt…) and the numbers a sequence gave (`id` as a number: Shopify's ids are
 * stored as text) replaced by markers.
 */
async function comparableRows(shop: string, since: Date): Promise<Record<string, unknown>> {
  const state = await databaseState(shop);
  const mask = (value: unknown, key?: string): unknown => {
    if (key === "id" && typeof value === "number") return "<sequence>";
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(value) && new Date(value) >= since) return "<during the test>";
    if (Array.isArray(value)) return value.map((item) => mask(item));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, k)]));
    return value;
  };
  return Object.fromEntries(Object.entries(state).map(([table, json]) => [table, mask(JSON.parse(json.replaceAll(shop, "<shop>")))]));
}

describe("Shopify's sample of every subscribed topic: Pub/Sub leaves the rows the HTTP route leaves", () => {
  const toml = fs.readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8");
  const topics = [...new Set([...toml.matchAll(/(?:topics|compliance_topics)\s*=\s*\[([^\]]*)\]/g)].flatMap((m) => [...m[1]!.matchAll(/"([^"]+)"/g)].map((t) => t[1]!)))];

  it("finds the topics of shopify.app.toml", () => {
    expect(topics.length).toBeGreaterThanOrEqual(14);
  });

  it.each(topics)("%s", async (topic) => {
    const since = new Date(Date.now() - 1000);
    const httpShop = newShop("via-http"); // (sorts after "offline_", as the other shop does: the Session rows compare in the same order)
    const pubsubShop = newShop("pubsub");
    const { deliver, verdicts } = startConsumer();
    // The same webhook ids on both paths (different shops): the delivery rows compare equal.
    const ids = new Map<string, string>();
    const idOf = (t: string) => ids.get(t) ?? (ids.set(t, randomUUID()), ids.get(t)!);

    const viaHttp = async (t: string) => {
      const response = await callAction(await routeAction(t), signedWebhook({ topic: t, shop: httpShop, body: null, rawBody: sample(t, httpShop), webhookId: idOf(t) }));
      expect(response.status, `${t} over HTTP`).toBe(200);
    };
    const viaPubSub = async (t: string) => {
      expect(await deliver(pubsubMessage({ topic: t, shop: pubsubShop, data: sample(t, pubsubShop), webhookId: idOf(t) })), `${t} over Pub/Sub`).toBe("ack");
      expect(verdicts.at(-1), `${t} over Pub/Sub`).toMatchObject({ ack: true, outcome: expect.any(String) });
    };

    // GIVEN two shops in the same state
    const given = GIVEN[topic] ?? {};
    for (const shop of [httpShop, pubsubShop]) {
      await installShop(shop);
      if (given.shopifyId || given.shopRow) await prisma.shop.create({ data: { shop, shopifyId: given.shopifyId, ...given.shopRow } });
    }
    for (const earlier of given.earlier ?? []) {
      await viaHttp(earlier);
      await viaPubSub(earlier);
    }

    // WHEN the sample arrives over HTTP for one and over Pub/Sub for the other
    await viaHttp(topic);
    await viaPubSub(topic);

    // THEN both shops hold the same rows
    expect(await comparableRows(pubsubShop, since)).toEqual(await comparableRows(httpShop, since));
  });
});

describe("Pub/Sub consumer: graceful stop (SIGTERM)", () => {
  it("stops taking messages, finishes the one in flight, acks it, then closes the subscription", async () => {
    const shop = newShop();
    await installShop(shop);
    const { subscription, consumer, deliver } = startConsumer();
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // GIVEN another transaction holds the order table, so the message's ingest waits for it
    const holder = withConnection(async (sql) => {
      await sql.$executeRaw`BEGIN`;
      await sql.$executeRaw`LOCK TABLE "Order" IN ACCESS EXCLUSIVE MODE`;
      locked();
      await released;
      await sql.$executeRaw`COMMIT`;
    });
    await isLocked;
    try {
      const inFlight = pubsubMessage({ topic: "orders/create", shop, data: JSON.stringify(restOrder({ id: 7401 })) });
      const settled = deliver(inFlight);
      expect(consumer.inFlight()).toBe(1);

      // WHEN the process is told to stop while that message is in flight
      let stopped = false;
      const stopping = consumer.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 200));

      // THEN the subscription stops pulling at once, the message in flight is not settled, the stop waits for it
      expect(subscription.closes).toBe(1);
      expect(inFlight.calls).toEqual([]);
      expect(stopped).toBe(false);
      // and a message that still arrives is handed back at once, untouched
      const late = pubsubMessage({ topic: "orders/create", shop, data: JSON.stringify(restOrder({ id: 7402 })) });
      expect(await deliver(late)).toBe("nack");

      // WHEN the lock goes
      release();
      await holder;

      // THEN the message in flight is applied and acked before the stop completes
      expect(await settled).toBe("ack");
      await stopping;
      expect(inFlight.calls).toEqual(["ack"]);
      expect(subscription.listenerCount("message")).toBe(0);
      expect(await prisma.order.findMany({ where: { shop }, select: { id: true } })).toEqual([{ id: "7401" }]);
    } finally {
      release();
      await holder;
    }
  });
});

describe("pubsubConsumerConfig", () => {
  it("needs the subscription and defaults the rest", () => {
    expect(pubsubConsumerConfig({ PUBSUB_SUBSCRIPTION: "shopify-webhooks" })).toEqual({
      PUBSUB_SUBSCRIPTION: "shopify-webhooks",
      PUBSUB_MAX_MESSAGES: 100,
      PUBSUB_SHUTDOWN_SECONDS: 30,
    });
    expect(
      pubsubConsumerConfig({
        PUBSUB_SUBSCRIPTION: "projects/afterglow-prod/subscriptions/shopify-webhooks",
        GOOGLE_CLOUD_PROJECT: "afterglow-prod",
        PUBSUB_MAX_MESSAGES: "20",
        PUBSUB_SHUTDOWN_SECONDS: "",
      }),
    ).toEqual({ PUBSUB_SUBSCRIPTION: "projects/afterglow-prod/subscriptions/shopify-webhooks", GOOGLE_CLOUD_PROJECT: "afterglow-prod", PUBSUB_MAX_MESSAGES: 20, PUBSUB_SHUTDOWN_SECONDS: 30 });
  });

  it("refuses to start without a subscription or with a bad value, naming each", () => {
    expect(() => pubsubConsumerConfig({})).toThrow(/PUBSUB_SUBSCRIPTION: is required/);
    expect(() => pubsubConsumerConfig({ PUBSUB_SUBSCRIPTION: "a b", PUBSUB_MAX_MESSAGES: "0" })).toThrow(
      /PUBSUB_SUBSCRIPTION: is not a Pub\/Sub subscription id or name\n {2}PUBSUB_MAX_MESSAGES/,
    );
  });
});
