import fs from "node:fs";
import path from "node:path";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { parseJsonLossless } from "~/domain/lossless-json";
import { InvalidPayloadError } from "~/domain/payload-error";
import { errorName } from "~/logger.server";
import { applyIngestEventsWith, ingestEvent, parseIngestEvent } from "~/services/ingest-webhook.server";
import { attachIngestWorker, serveIngestRequests } from "~/services/ingest-worker.server";
import { ROOT } from "../support/paths";
import { allowConsoleError } from "../support/console";
import { restOrder } from "../support/orders";

/**
 * The ingest worker thread (docs/decisions/034-ingest-worker-thread.md): the web server's main thread parses each
 * delivery and sends the parsed event to a worker thread, which applies it in its group commit and answers after the
 * commit. Both ends are tested here over real thread messaging: the worker's end (`serveIngestRequests`) against the
 * database over a `MessageChannel`, the main thread's end (`attachIngestWorker`) against a real `Worker` that answers
 * as told. The whole path through `node server.mjs` runs in the fault suite and the browser tests.
 */

const SAMPLE_ORDER_ID = "820982911946154508";
const sampleOrder = () => parseJsonLossless(fs.readFileSync(path.join(ROOT, "tests", "fixtures", "shopify-webhooks", "orders__create.json"), "utf8"));

let shops = 0;
const newShop = () => `ingest-worker-${++shops}.myshopify.com`;

type Reply = { id: number; ok: boolean; outcome?: string; error?: { name: string; message: string; reason?: string } };

/** The first `count` answers the worker's end sends on `port`, in id order. */
function answers(port: MessagePort, count: number): Promise<Reply[]> {
  const replies: Reply[] = [];
  return new Promise((resolve) => {
    port.on("message", (reply: Reply) => {
      replies.push(reply);
      if (replies.length === count) resolve(replies.sort((a, b) => a.id - b.id));
    });
  });
}

afterEach(() => applyIngestEventsWith(undefined));

describe("ingest worker: the worker's end", () => {
  it("applies the events it is sent, answers each after its commit, and stops once every event is answered", async () => {
    // GIVEN the worker's end on one side of a channel
    const { port1, port2 } = new MessageChannel();
    const served = serveIngestRequests(port2);
    const replies = answers(port1, 3);
    const shop = newShop();
    // AND Shopify's sample order (64-bit ids) and an order of ours, parsed as the main thread parses them
    const sample = await parseIngestEvent({ shop, topic: "orders/create", webhookId: "w-sample", payload: sampleOrder() });
    const ours = await parseIngestEvent({ shop, topic: "orders/create", webhookId: "w-ours", payload: restOrder({ id: 4401 }) });

    // WHEN both are sent, then the sample again under its webhook id, then stop
    port1.postMessage({ kind: "apply", id: 1, event: sample });
    port1.postMessage({ kind: "apply", id: 2, event: ours });
    port1.postMessage({ kind: "apply", id: 3, event: sample });
    port1.postMessage({ kind: "stop" });
    await served;

    // THEN each got its answer: applied, applied, and the repeat recognised
    expect(await replies).toEqual([
      { id: 1, ok: true, outcome: "applied" },
      { id: 2, ok: true, outcome: "applied" },
      { id: 3, ok: true, outcome: "duplicate" },
    ]);
    // AND the rows are there, the sample's id exact
    const orders = await prisma.order.findMany({ where: { shop }, select: { id: true }, orderBy: { id: "asc" } });
    expect(orders.map((o) => o.id)).toEqual(["4401", SAMPLE_ORDER_ID]);
    port1.close();
  });

  it("answers a failed event with its error, and the other events of its group still commit", async () => {
    const { port1, port2 } = new MessageChannel();
    const served = serveIngestRequests(port2);
    const replies = answers(port1, 2);
    const shop = newShop();
    const good = await parseIngestEvent({ shop, topic: "orders/create", webhookId: "w-good", payload: restOrder({ id: 4501 }) });
    // An event the database refuses: a total beyond PostgreSQL's bigint (the parser accepts any safe amount of a
    // currency; this one is built by hand to fail inside the transaction).
    const bad = await parseIngestEvent({ shop, topic: "orders/create", webhookId: "w-bad", payload: restOrder({ id: 4502 }) });
    if (bad.parsed.kind !== "order") throw new Error("an order expected");
    bad.parsed.order.totalMinor = 2 ** 70;

    port1.postMessage({ kind: "apply", id: 1, event: good });
    port1.postMessage({ kind: "apply", id: 2, event: bad });
    port1.postMessage({ kind: "stop" });
    await served;

    const [first, second] = await replies;
    expect(first).toEqual({ id: 1, ok: true, outcome: "applied" });
    // PostgreSQL's "bigint out of range", by class name only (its message may carry values)
    expect(second).toEqual({ id: 2, ok: false, error: { name: "error", message: expect.stringContaining("out of range"), code: "22003", routine: expect.any(String) } });
    expect(await prisma.order.count({ where: { shop } })).toBe(1);
    port1.close();
  });
});

/**
 * A worker that answers as the webhook id says: "applied-…" → applied, "invalid-…" → an InvalidPayloadError,
 * "failed-…" → another error, "crash-…" → exits without answering; `stop` → exits 0.
 */
const ANSWERING_WORKER = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", (m) => {
  if (m.kind === "stop") process.exit(0);
  const w = m.event.webhookId;
  if (w.startsWith("applied")) parentPort.postMessage({ id: m.id, ok: true, outcome: "applied" });
  else if (w.startsWith("invalid")) parentPort.postMessage({ id: m.id, ok: false, error: { name: "InvalidPayloadError", message: "line_items: expected an array", reason: "line_items: expected an array" } });
  else if (w.startsWith("failed")) parentPort.postMessage({ id: m.id, ok: false, error: { name: "error", message: "deadlock detected", code: "40P01", routine: "DeadLockReport" } });
  else if (w.startsWith("crash")) process.exit(3);
});
`;

function answeringWorker() {
  return new Worker(ANSWERING_WORKER, { eval: true });
}

describe("ingest worker: the main thread's end", () => {
  it("hands each parsed event to the worker and returns its answer, errors rebuilt as the route needs them", async () => {
    const worker = answeringWorker();
    const attached = attachIngestWorker(worker);
    const shop = newShop();
    try {
      // WHEN events go through ingestEvent (parsed here, applied by the worker)
      expect(await ingestEvent({ shop, topic: "orders/create", webhookId: "applied-1", payload: restOrder({ id: 4601 }) })).toBe("applied");
      const invalid = ingestEvent({ shop, topic: "orders/create", webhookId: "invalid-1", payload: restOrder({ id: 4602 }) });
      // THEN an InvalidPayloadError comes back as one, with its reason (the route answers 400 with it)
      await expect(invalid).rejects.toBeInstanceOf(InvalidPayloadError);
      await expect(invalid).rejects.toMatchObject({ reason: "line_items: expected an array" });
      // AND another error keeps its name and SQLSTATE, which the route's log names (it answers 500; Shopify retries)
      const failed = ingestEvent({ shop, topic: "orders/create", webhookId: "failed-1", payload: restOrder({ id: 4603 }) });
      await expect(failed).rejects.toMatchObject({ name: "error", code: "40P01" });
      expect(errorName(await failed.catch((error: unknown) => error))).toBe("postgres 40P01, at DeadLockReport");
      // AND nothing was written on this thread: the worker answered for all of them
      expect(await prisma.order.count({ where: { shop } })).toBe(0);
    } finally {
      await attached.stop();
    }
  });

  it("when the worker dies, fails the events it held and applies the next ones on the main thread", async () => {
    // The bridge logs the worker's end as an error (an operator must see it).
    allowConsoleError();
    const worker = answeringWorker();
    attachIngestWorker(worker);
    const shop = newShop();
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    // WHEN the worker exits while holding an event
    const held = ingestEvent({ shop, topic: "orders/create", webhookId: "crash-1", payload: restOrder({ id: 4701 }) });
    // THEN that event fails (the webhook answers 500; Shopify delivers it again)
    await expect(held).rejects.toThrow("the ingest worker stopped before answering");
    expect(await exited).toBe(3);
    // AND the redelivery is applied on the main thread and committed
    expect(await ingestEvent({ shop, topic: "orders/create", webhookId: "crash-1", payload: restOrder({ id: 4701 }) })).toBe("applied");
    expect(await prisma.order.findMany({ where: { shop }, select: { id: true } })).toEqual([{ id: "4701" }]);
  });

  it("stop sends events back to the main thread and waits for the worker to exit", async () => {
    const worker = answeringWorker();
    const attached = attachIngestWorker(worker);
    const exitCode = new Promise((resolve) => worker.once("exit", resolve));
    await attached.stop();
    expect(await exitCode).toBe(0);
    const shop = newShop();
    // Not "applied-…" handling by the (gone) worker: a real application on this thread.
    expect(await ingestEvent({ shop, topic: "orders/create", webhookId: "after-stop", payload: restOrder({ id: 4801 }) })).toBe("applied");
    expect(await prisma.order.count({ where: { shop } })).toBe(1);
  });
});
