import http from "node:http";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { AdminStub } from "./support/admin-stub";
import { expectSentOnce } from "./support/outbox-checks";
import { AppServer, freshDatabase, installShops, pointsAvailableAtOnce, removeDatabase, sleep, waitFor } from "./support/server";
import { rows, scalar } from "./support/snapshot";
import { delivery, send } from "./support/webhooks";

/**
 * SIGTERM mid-delivery (a deploy replacing an instance): the real server process, holding a leased import job and in
 * the middle of an outbox call to the Admin API, is sent SIGTERM. It must finish that call and record it, put the
 * messages it claimed but did not start back to pending, release its job lease, close its pools and exit; a second
 * instance then takes the job over at once (not after the lease) and delivers the rest: nothing lost, nothing sent
 * twice.
 */
const SHOP = "faults-sigterm.myshopify.com";
/**
 * Durations at a fifth of production's: the held Admin API call must outlive its hold (the test's polling, SIGTERM and
 * a 300 ms pause) within the call timeout (30 s × scale: 6 s), on a loaded machine too; at 0.02 (0.6 s) it timed out.
 */
const TIME_SCALE = 0.2;
const DAY = 86_400_000;
const databases: string[] = [];

afterAll(async () => {
  for (const db of databases) await removeDatabase(db);
});

/**
 * In front of the Admin API stub: answers the bulk-operation calls of the import itself (an operation that stays
 * RUNNING until `bulkDone`), and holds the first mirror call (tags, metafield) until `release()`.
 */
class HoldingProxy {
  private server: http.Server | undefined;
  holding = true;
  bulkDone = false;
  held: (() => void) | null = null;
  readonly operations: string[] = [];

  constructor(readonly port: number, readonly target: string) {}

  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }

  async close() {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  release() {
    this.holding = false;
    this.held?.();
    this.held = null;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const operation = /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec((JSON.parse(body) as { query: string }).query)?.[1] ?? "anonymous";
    this.operations.push(operation);
    const json = (data: unknown) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ data }));
    if (operation === "AfterglowBulkOrders") return json({ bulkOperationRunQuery: { bulkOperation: { id: "gid://shopify/BulkOperation/9", status: "CREATED" }, userErrors: [] } });
    if (operation === "AfterglowBulkOperationStatus") {
      return json({ node: { id: "gid://shopify/BulkOperation/9", status: this.bulkDone ? "COMPLETED" : "RUNNING", errorCode: null, objectCount: "0", url: null } });
    }
    if (operation === "AfterglowProducts") return json({ products: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } });
    if (this.holding && !this.held) await new Promise<void>((resolve) => (this.held = resolve));
    const answer = await fetch(`${this.target}${req.url}`, { method: "POST", headers: { "Content-Type": "application/json", ...authHeader(req) }, body });
    res.writeHead(answer.status, { "Content-Type": "application/json" }).end(await answer.text());
  }
}

function authHeader(req: http.IncomingMessage): Record<string, string> {
  const token = req.headers["x-shopify-access-token"];
  return typeof token === "string" ? { "X-Shopify-Access-Token": token } : {};
}

const order = (id: number, customerId: number) => {
  const at = new Date(Date.now() - 30 * DAY).toISOString();
  return {
    id,
    name: `#${id}`,
    created_at: at,
    processed_at: at,
    updated_at: at,
    currency: "USD",
    total_price: "300.00",
    financial_status: "paid",
    customer: { id: customerId, first_name: "Grace", last_name: "Hopper", email: `c${customerId}@example.com` },
    line_items: [],
  };
};

/** An import job whose instance died a minute ago (its lease ran out): the server takes it over at start-up. */
async function abandonedImport(dbUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows: [job] } = await client.query<{ id: number }>(
      `INSERT INTO "Job" ("shop", "kind", "status", "total", "done", "startedAt", "leaseOwner", "leaseUntil", "claims", "checkpoint")
       VALUES ($1, 'order-import', 'running', 0, 0, now(), 'dead-instance', now() - interval '1 minute', 1, '{"since": null, "operationId": null}')
       RETURNING "id"`,
      [SHOP],
    );
    return job!.id;
  } finally {
    await client.end();
  }
}

describe("SIGTERM mid-delivery", () => {
  it("finishes the call in flight, puts back what it claimed, releases its job lease, exits; the next instance loses nothing", async () => {
    const dbUrl = await freshDatabase("sigterm");
    databases.push(dbUrl);
    await installShops(dbUrl, [SHOP]);
    await pointsAvailableAtOnce(dbUrl, [SHOP]);
    const stub = new AdminStub(3387);
    await stub.start();
    const proxy = new HoldingProxy(3388, stub.origin);
    await proxy.start();
    const first = new AppServer({ name: "sigterm-1", port: 3385, dbUrl, adminOrigin: proxy.origin, timeScale: TIME_SCALE });
    const second = new AppServer({ name: "sigterm-2", port: 3386, dbUrl, adminOrigin: proxy.origin, timeScale: TIME_SCALE });
    try {
      // GIVEN an import job left by a dead instance, which the first server takes over (its bulk operation runs on)
      const jobId = await abandonedImport(dbUrl);
      await first.start();
      await waitFor("the first server to take the import over", async () => (await rows(dbUrl, `SELECT "leaseOwner" FROM "Job" WHERE "id" = $1`, jobId))[0]?.leaseOwner !== "dead-instance", 30_000);
      // AND five customers turned Silver by their first order: ten mirror messages (tag and metafield each)
      for (let c = 1; c <= 5; c++) expect((await send(first.url, delivery(SHOP, "orders/create", order(7000 + c, 600 + c)))).status).toBe(200);
      await waitFor("the first mirror call to be in flight", () => proxy.held !== null, 30_000);
      const messages = await scalar(dbUrl, `SELECT COUNT(*) FROM "OutboxMessage" WHERE "shop" = $1`, SHOP);
      expect(messages).toBe(10);

      // WHEN the instance is sent SIGTERM while that call is in flight, and Shopify answers the call a moment later
      const stopped = first.stop();
      await sleep(300);
      proxy.release();
      await stopped;

      // THEN it delivered the call in flight and started no other; the rest are pending and due (not leased)
      expect(stub.applied).toHaveLength(1);
      expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "OutboxMessage" WHERE "status" = 'delivered'`)).toBe(1);
      expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "OutboxMessage" WHERE "status" = 'pending' AND "nextAttemptAt" <= now()`)).toBe(messages - 1);
      // AND its job lease is released (the job still running, nobody's)
      expect(await rows(dbUrl, `SELECT "status", "leaseOwner", "leaseUntil", "claims" FROM "Job" WHERE "id" = $1`, jobId)).toEqual([
        { status: "running", leaseOwner: null, leaseUntil: null, claims: 2 },
      ]);
      // AND it stopped in order, by itself
      const log = first.logRecords().map((r) => r.msg);
      expect(log).toEqual(expect.arrayContaining(["shutting down", "job released for another instance", "background work stopped"]));
      // AND the webhooks were applied by its ingest worker thread, which stopped after the last request, in order
      expect(log).toEqual(expect.arrayContaining(["ingest worker started", "ingest worker stopped"]));
      expect(log.indexOf("ingest worker stopped")).toBeGreaterThan(log.indexOf("shutting down"));
      expect(log).not.toContain("shutdown deadline passed; exiting");
      expect(first.logRecords("error")).toEqual([]);

      // WHEN the next instance starts (the bulk operation has finished meanwhile)
      proxy.bulkDone = true;
      const started = Date.now();
      await second.start();
      // THEN it takes the job over at once (the lease was released: no waiting for it to run out) and finishes it
      await waitFor("the import to finish", async () => (await rows(dbUrl, `SELECT "status" FROM "Job" WHERE "id" = $1`, jobId))[0]?.status === "done", 30_000);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(await rows(dbUrl, `SELECT "status", "leaseOwner", "claims" FROM "Job" WHERE "id" = $1`, jobId)).toEqual([{ status: "done", leaseOwner: null, claims: 3 }]);
      // AND delivers the rest: every message once, nothing lost, the mirror equal to the database
      await waitFor("the outbox to drain", async () => (await scalar(dbUrl, `SELECT COUNT(*) FROM "OutboxMessage" WHERE "status" <> 'delivered'`)) === 0, 60_000);
      const outbox = await rows(dbUrl, `SELECT "shop", "operation", "variables" FROM "OutboxMessage" ORDER BY "id"`);
      expectSentOnce(stub, outbox);
      expect(stub.applied).toHaveLength(messages);
      const mirror = stub.mirror();
      for (let c = 1; c <= 5; c++) {
        expect(mirror[`${SHOP} gid://shopify/Customer/${600 + c}`]).toMatchObject({ tags: ["afterglow-tier-silver"], metafield: { tierSlug: "silver", points: 300 } });
      }
    } finally {
      proxy.release();
      await first.stop();
      await second.stop();
      await proxy.close();
      await stub.close();
    }
  });
});
