import { randomUUID } from "node:crypto";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, describe, expect, it } from "vitest";
import { FAULTS_API_KEY, FAULTS_SECRET } from "./support/paths";
import { AppServer, freshDatabase, installShops, removeDatabase } from "./support/server";
import { scalar } from "./support/snapshot";

/**
 * The survey endpoint's rate limits hold across app instances: a shopper (one session token subject) may send 10
 * answers a minute in all, not 10 to each instance behind the load balancer. Two server processes on one database,
 * the shopper's requests alternating between them.
 */
const SHOP = "faults-limits.myshopify.com";
const databases: string[] = [];

afterAll(async () => {
  for (const db of databases) await removeDatabase(db);
});

async function answer(server: AppServer, sub: string, order: number): Promise<number> {
  const nowS = Math.floor(Date.now() / 1000);
  const { token } = await getJwt(SHOP, FAULTS_API_KEY, FAULTS_SECRET, { sub, jti: randomUUID(), iat: nowS - 5, nbf: nowS - 5, exp: nowS + 300, iss: undefined, sid: undefined });
  const response = await fetch(`${server.url}/api/checkout/survey`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      Origin: "https://extensions.shopifycdn.com",
      "Content-Type": "application/json",
      // A shopper's browser: the library answers 410 to user agents it takes for bots (Node's own included).
      "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    },
    body: JSON.stringify({ orderId: `gid://shopify/OrderIdentity/${order}`, locale: "en", answers: { nps: 9 } }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("rate limits shared by two app instances", () => {
  it("one order's answers alternating between two servers: 30 an hour in all, then 429 from either", async () => {
    const dbUrl = await freshDatabase("shared-limits");
    databases.push(dbUrl);
    await installShops(dbUrl, [SHOP]);
    const servers = [3370, 3371].map((port, i) => new AppServer({ name: `shared-limits-${i + 1}`, port, dbUrl }));
    try {
      await Promise.all(servers.map((s) => s.start()));
      // The survey saves each answer as it is given (decision 041): the limit counts per order, 30 an hour
      // (SURVEY_LIMITS in app/services/survey-rate-limits.server.ts), in the database's buckets.
      const statuses: number[] = [];
      for (let i = 0; i < 34; i++) statuses.push(await answer(servers[i % 2]!, "gid://shopify/Customer/77", 5000));
      // Per-process buckets would have let 60 through (30 at each server).
      expect(statuses.slice(0, 30).filter((s) => s === 429)).toEqual([]);
      expect(statuses.slice(30)).toEqual([429, 429, 429, 429]);
      // Another order of the same shopper is not held back: refused requests took nothing from the token's bucket
      expect([201, 202]).toContain(await answer(servers[1]!, "gid://shopify/Customer/77", 6000));
      // One answer set per order: the two orders' sets are stored (pending until their orders arrive), nothing else
      expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "PendingSurveyAnswer"`) + (await scalar(dbUrl, `SELECT COUNT(*) FROM "SurveyResponse"`))).toBe(2);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});
