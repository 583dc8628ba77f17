import { afterAll, describe, expect, it } from "vitest";
import { AdminStub, type Failure } from "./support/admin-stub";
import { expectSentOnce } from "./support/outbox-checks";
import { AppServer, freshDatabase, installShops, pointsAvailableAtOnce, removeDatabase, waitFor } from "./support/server";
import { rows, scalar } from "./support/snapshot";
import { delivery, pool, send, type Delivery } from "./support/webhooks";

/**
 * The Admin API fails for a while, each shop in one of the ways Shopify (or the network) fails: 5xx, 429 with
 * Retry-After, GraphQL THROTTLED, connections reset, calls that never answer. Webhooks keep being acknowledged
 * meanwhile; the outbox retries with backoff; after recovery everything is delivered, in order, nothing twice.
 * Two server processes share the database, as app instances do: both outbox workers compete for the same queue,
 * so the per-shop order, the backoff and Retry-After must hold across processes (they live in the database).
 */
const TIME_SCALE = 0.05; // outbox: worker every 750 ms, backoff from 1.5 s, call timeout 1.5 s
const MODES: Record<string, (n: number) => Failure> = {
  "outage-5xx.myshopify.com": (n) => ({ kind: "status", status: n % 2 ? 500 : 503 }),
  "outage-429.myshopify.com": () => ({ kind: "status", status: 429, retryAfter: 1 }),
  "outage-throttled.myshopify.com": () => ({ kind: "throttled" }),
  "outage-reset.myshopify.com": () => ({ kind: "reset" }),
  "outage-timeout.myshopify.com": () => ({ kind: "hang" }),
};
const SHOPS = Object.keys(MODES);
/** Shops whose failure is throttling: it delays a message without using its attempts up. */
const THROTTLING = new Set(["outage-429.myshopify.com", "outage-throttled.myshopify.com"]);
const CUSTOMERS = [801, 802, 803, 804, 805, 806];
const FAILURES_PER_SHOP = 3;

const databases: string[] = [];
afterAll(async () => {
  for (const db of databases) await removeDatabase(db);
});

const iso = (ms: number) => new Date(ms).toISOString();

/** Each customer climbs Bronze → Silver → Gold with three orders: $100, $200, $800. */
function deliveries(): Delivery[] {
  const out: Delivery[] = [];
  const placed = Date.now() - 40 * 86_400_000;
  for (const [step, total] of ["100.00", "200.00", "800.00"].entries()) {
    for (const shop of SHOPS) {
      for (const customerId of CUSTOMERS) {
        const id = customerId * 10 + step;
        const at = iso(placed + step * 86_400_000);
        out.push(
          delivery(shop, "orders/create", {
            id,
            name: `#${id}`,
            created_at: at,
            processed_at: at,
            updated_at: at,
            currency: "USD",
            total_price: total,
            financial_status: "paid",
            customer: { id: customerId, first_name: "Ada", last_name: "Lovelace", email: `c${customerId}@example.com` },
            line_items: [],
          }),
        );
      }
    }
  }
  return out;
}

describe("the Admin API fails for a while", () => {
  it("the outbox keeps everything, retries as told, and delivers all of it once after recovery", async () => {
    const dbUrl = await freshDatabase("admin-outage");
    databases.push(dbUrl);
    await installShops(dbUrl, SHOPS);
    await pointsAvailableAtOnce(dbUrl, SHOPS);
    const stub = new AdminStub(3350);
    let outage = true;
    const failuresSeen = new Map<string, number>();
    stub.failWith = (call) => {
      if (!outage) return null;
      const n = failuresSeen.get(call.shop) ?? 0;
      failuresSeen.set(call.shop, n + 1);
      return MODES[call.shop]!(n);
    };
    await stub.start();
    const servers = [3340, 3341].map(
      (port, i) => new AppServer({ name: `admin-outage-${i + 1}`, port, dbUrl, adminOrigin: stub.origin, timeScale: TIME_SCALE }),
    );
    try {
      await Promise.all(servers.map((s) => s.start()));

      // GIVEN webhooks arriving during the outage, at either process: all acknowledged, whatever the Admin API does
      const sent = await pool(deliveries(), 6, (d, i) => send(servers[i % servers.length]!.url, d));
      expect(sent.filter((r) => r.status !== 200)).toEqual([]);

      // WHEN each shop's calls have failed a few times
      await waitFor(
        "every shop to see its failures",
        () => SHOPS.every((shop) => (failuresSeen.get(shop) ?? 0) >= FAILURES_PER_SHOP),
        120_000,
      );
      // THEN nothing reached Shopify, nothing was given up, and each shop's head message says why it waits
      expect(stub.applied).toEqual([]);
      expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "OutboxMessage" WHERE "status" <> 'pending'`)).toBe(0);
      const heads = Object.fromEntries(
        (await rows(dbUrl, `SELECT DISTINCT ON ("shop") "shop", "lastError", "attempts" FROM "OutboxMessage" WHERE "lastError" IS NOT NULL ORDER BY "shop", "attempts" DESC`)).map((r) => [
          r.shop,
          `${String(r.lastError)} (attempts ${String(r.attempts)})`,
        ]),
      );
      expect(heads).toEqual({
        "outage-5xx.myshopify.com": expect.stringMatching(/^tagsAdd: HTTP 50[03]/),
        "outage-429.myshopify.com": expect.stringMatching(/^tagsAdd: HTTP 429/),
        "outage-throttled.myshopify.com": expect.stringMatching(/^tagsAdd: GraphQL THROTTLED/),
        "outage-reset.myshopify.com": expect.stringMatching(/^tagsAdd: .*(fetch failed|socket|ECONNRESET|network)/i),
        "outage-timeout.myshopify.com": expect.stringMatching(/^tagsAdd: timed out after 1\.5s/),
      });
      // Per shop, later messages wait behind the failing head: only one distinct message was ever tried.
      for (const shop of SHOPS) {
        const tried = new Set(stub.calls.filter((c) => c.shop === shop).map((c) => JSON.stringify(c.variables)));
        expect(tried.size, shop).toBe(1);
      }

      // WHEN Shopify recovers
      outage = false;
      const total = await scalar(dbUrl, `SELECT COUNT(*) FROM "OutboxMessage"`);
      await waitFor("the outbox to deliver everything", async () => (await scalar(dbUrl, `SELECT COUNT(*) FROM "OutboxMessage" WHERE "status" = 'delivered'`)) === total, 120_000);

      // THEN everything was delivered once, in each customer's order, and Shopify holds what the database holds
      const messages = await rows(dbUrl, `SELECT "shop", "operation", "variables", "attempts" FROM "OutboxMessage" ORDER BY "id"`);
      expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "OutboxMessage" WHERE "status" = 'failed'`)).toBe(0);
      expectSentOnce(stub, messages);
      for (const shop of SHOPS) {
        for (const customerId of CUSTOMERS) {
          const gid = `gid://shopify/Customer/${customerId}`;
          const tagCalls = stub.applied
            .filter((c) => c.shop === shop && c.operation !== "AfterglowMetafieldsSet" && c.variables.id === gid)
            .map((c) => `${c.operation === "AfterglowTagsAdd" ? "+" : "-"}${(c.variables.tags as string[]).join()}`);
          expect(tagCalls).toEqual([
            "+afterglow-tier-bronze",
            "-afterglow-tier-bronze",
            "+afterglow-tier-silver",
            "-afterglow-tier-silver",
            "+afterglow-tier-gold",
          ]);
          expect(stub.mirror()[`${shop} ${gid}`]).toEqual({
            tags: ["afterglow-tier-gold"],
            metafield: { tier: "Gold", tierSlug: "gold", points: 1100 },
          });
        }
        // The failing head was tried several times and not given up (10 attempts); throttling (429, THROTTLED)
        // used no attempt up: only the successful call counts.
        const attempts = Math.max(...messages.filter((m) => m.shop === shop).map((m) => Number(m.attempts)));
        expect(stub.calls.filter((c) => c.shop === shop && c.outcome !== "ok").length, shop).toBeGreaterThanOrEqual(FAILURES_PER_SHOP);
        if (THROTTLING.has(shop)) expect(attempts, shop).toBe(1); // the delivery itself
        else {
          expect(attempts, shop).toBeGreaterThan(FAILURES_PER_SHOP);
          expect(attempts, shop).toBeLessThan(10);
        }
        // Every call carried the shop's offline token.
        expect(new Set(stub.calls.filter((c) => c.shop === shop).map((c) => c.accessToken))).toEqual(new Set([`token-${shop}`]));
      }
      // 429 with Retry-After: 1 — the next attempt came no sooner than a second later.
      const limited = stub.calls.filter((c) => c.shop === "outage-429.myshopify.com");
      for (let i = 0; i + 1 < limited.length; i++) {
        if (limited[i]!.outcome === "status") expect(limited[i + 1]!.at - limited[i]!.at).toBeGreaterThanOrEqual(1000);
      }
      for (const server of servers) expect(server.logRecords("error")).toEqual([]);
      const retried = servers.flatMap((server) => server.logRecords("warn").filter((r) => r.msg === "outbox message will be retried"));
      expect(retried.length).toBeGreaterThanOrEqual(SHOPS.length * FAILURES_PER_SHOP);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      await stub.close();
    }
  });
});
