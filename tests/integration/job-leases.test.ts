import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_PROGRAM } from "~/domain/loyalty/program";
import { claimExpiredJobs, createJob, finishJob, renewLease, updateJobProgress } from "~/models/jobs.server";
import { storeProgram } from "~/models/loyalty.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { acceptJobs, JobStopped, runUnderLease, stopJobs } from "~/services/job-runner.server";
import { takeOverJobs } from "~/services/scheduler.server";
import { adminCalls, stubAdminOperation } from "../support/admin-api";
import { bulkOrderLine, restOrder } from "../support/orders";
import { installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * Job leases (docs/decisions/027-job-leases.md): two "instances" here are two lease owners in one process, each
 * statement on its own pool connection, against the real database.
 */
const SHOP = "leases.myshopify.com";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const jobRow = (id: number) =>
  prisma.job.findUniqueOrThrow({ where: { id }, select: { status: true, leaseOwner: true, leaseUntil: true, claims: true, done: true, detail: true, checkpoint: true } });

/** A running job whose instance is gone: its lease ran out a minute ago. */
async function abandonedJob(kind: "tier-recompute" | "order-import", checkpoint: unknown = null, shop = SHOP) {
  const { id } = await createJob(shop, kind, 0, new Date(), { owner: "dead-instance", checkpoint });
  await prisma.$executeRaw`UPDATE "Job" SET "leaseUntil" = now() - interval '1 minute' WHERE "id" = ${id}::int`;
  return id;
}

afterEach(() => acceptJobs());

describe("job leases", () => {
  it("two workers racing for the same jobs: each job is claimed by exactly one", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(await abandonedJob("tier-recompute"));
    // WHEN two instances claim at the same moment, over and over, a few jobs at a time
    const [a, b] = await Promise.all(
      ["instance-a", "instance-b"].map(async (owner) => {
        const got: number[] = [];
        for (let round = 0; round < 6; round++) got.push(...(await claimExpiredJobs(["tier-recompute"], owner, 60_000, 3)).map((j) => j.id));
        return got;
      }),
    );
    // THEN every job went to one of them, none to both
    expect([...a!, ...b!].sort((x, y) => x - y)).toEqual(ids);
    expect(a!.filter((id) => b!.includes(id))).toEqual([]);
    const rows = await prisma.job.findMany({ where: { id: { in: ids } }, select: { id: true, leaseOwner: true, claims: true } });
    for (const row of rows) {
      expect(row.leaseOwner).toBe(a!.includes(row.id) ? "instance-a" : "instance-b");
      expect(row.claims).toBe(2);
    }
  });

  it("a live lease is not taken over, and nobody but its owner can write the job", async () => {
    const { id } = await createJob(SHOP, "tier-recompute", 10, new Date(), { owner: "instance-a", leaseMs: 60_000 });
    expect(await claimExpiredJobs(["tier-recompute"], "instance-b")).toEqual([]);
    expect(await renewLease(SHOP, id, "instance-b")).toBe(false);
    expect(await updateJobProgress(SHOP, id, { done: 5 }, "instance-b")).toBe(false);
    expect(await finishJob(SHOP, id, "done", new Date(), undefined, "instance-b")).toBe(false);
    expect(await jobRow(id)).toMatchObject({ status: "running", leaseOwner: "instance-a", done: 0, claims: 1 });
  });

  it("an expired lease is taken over; the old owner's writes are refused from then on", async () => {
    // GIVEN instance A's job, whose lease (200 ms) A did not renew (it stopped answering)
    const { id } = await createJob(SHOP, "tier-recompute", 10, new Date(), { owner: "instance-a", leaseMs: 200 });
    expect(await claimExpiredJobs(["tier-recompute"], "instance-b")).toEqual([]);
    await sleep(400);
    // WHEN B looks for jobs whose lease ran out
    const [taken] = await claimExpiredJobs(["tier-recompute"], "instance-b", 60_000);
    // THEN B owns it, and A can no longer record progress or finish it
    expect(taken).toMatchObject({ id, shop: SHOP, kind: "tier-recompute", claims: 2 });
    expect(await updateJobProgress(SHOP, id, { done: 3 }, "instance-a")).toBe(false);
    expect(await finishJob(SHOP, id, "failed", new Date(), "late", "instance-a")).toBe(false);
    expect(await updateJobProgress(SHOP, id, { done: 4 }, "instance-b")).toBe(true);
    expect(await jobRow(id)).toMatchObject({ status: "running", leaseOwner: "instance-b", done: 4 });
  });

  it("the heartbeat keeps a lease alive for longer than the lease while the work runs", async () => {
    const { id } = await createJob(SHOP, "tier-recompute", 0, new Date(), { owner: "instance-a", leaseMs: 300 });
    let stolen = 0;
    const result = await runUnderLease(
      { id, shop: SHOP, kind: "tier-recompute" },
      async () => {
        // The work takes five leases' time; another instance keeps trying to take the job meanwhile.
        for (let i = 0; i < 15; i++) {
          await sleep(100);
          stolen += (await claimExpiredJobs(["tier-recompute"], "instance-b")).length;
        }
        return { detail: "finished" };
      },
      { owner: "instance-a", leaseMs: 300, heartbeatMs: 60 },
    );
    expect(result).toEqual({ detail: "finished" });
    expect(stolen).toBe(0);
    expect(await jobRow(id)).toMatchObject({ status: "done", leaseOwner: null, leaseUntil: null, detail: "finished", claims: 1 });
  });

  it("without a heartbeat the lease runs out, another instance takes over, and the first stops at its next step", async () => {
    const { id } = await createJob(SHOP, "tier-recompute", 0, new Date(), { owner: "instance-a", leaseMs: 150 });
    let steps = 0;
    const run = runUnderLease(
      { id, shop: SHOP, kind: "tier-recompute" },
      async (lease) => {
        for (;;) {
          await sleep(100);
          if (steps === 2) await prisma.$executeRaw`UPDATE "Job" SET "leaseUntil" = now() - interval '1 second' WHERE "id" = ${id}::int`;
          if (steps === 2) expect(await claimExpiredJobs(["tier-recompute"], "instance-b", 60_000)).toHaveLength(1);
          steps += 1;
          await lease.progress(steps);
        }
      },
      // (the heartbeat is slower than the test)
      { owner: "instance-a", leaseMs: 150, heartbeatMs: 60_000 },
    );
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobStopped);
    expect((error as JobStopped).reason).toBe("lost");
    // B's job, still running, not marked failed by A; A's last write (step 3) refused
    expect(await jobRow(id)).toMatchObject({ status: "running", leaseOwner: "instance-b", done: 2, claims: 2 });
  });

  it("shutdown: the job stops at its next step and releases its lease, and another instance takes it at once", async () => {
    const { id } = await createJob(SHOP, "tier-recompute", 0, new Date(), { owner: "instance-a", leaseMs: 60_000 });
    let steps = 0;
    const run = runUnderLease(
      { id, shop: SHOP, kind: "tier-recompute" },
      async (lease) => {
        for (;;) {
          await sleep(20);
          await lease.progress(steps + 1, { after: String(steps + 1), done: steps + 1 });
          steps += 1;
        }
      },
      { owner: "instance-a", leaseMs: 60_000 },
    );
    await sleep(100);
    await stopJobs();
    expect(await run.catch((e: unknown) => (e as JobStopped).reason)).toBe("shutdown");
    expect(await jobRow(id)).toMatchObject({ status: "running", leaseOwner: null, leaseUntil: null, done: steps, checkpoint: { after: String(steps), done: steps } });
    // the lease had 59 seconds to go: another instance does not wait for them
    expect(await claimExpiredJobs(["tier-recompute"], "instance-b")).toMatchObject([{ id, checkpoint: { after: String(steps), done: steps } }]);
  });

  it("a job taken over five times without finishing is marked failed instead of claimed again", async () => {
    const id = await abandonedJob("tier-recompute");
    await prisma.job.update({ where: { id }, data: { claims: 5 } });
    expect((await claimExpiredJobs(["tier-recompute"], "instance-b")).map((j) => j.id)).not.toContain(id);
    expect(await jobRow(id)).toMatchObject({ status: "failed", leaseOwner: null, detail: "Stopped: interrupted 5 times without finishing." });
  });
});

describe("takeover of recompute and import jobs", () => {
  const deliverOrder = async (shop: string, n: number, customerId: number) => {
    const order = restOrder({ id: 9100 + n, total_price: "300.00", customer: { id: customerId, first_name: "J", last_name: "L", email: `j${customerId}@example.com` } });
    expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body: order }))).status).toBe(200);
  };

  it("a recompute whose instance died is resumed after its checkpoint, and finished", async () => {
    const shop = "leases-recompute.myshopify.com";
    // GIVEN four Silver customers (300.00 each, Silver from 250.00)
    for (const [n, id] of [901, 902, 903, 904].entries()) await deliverOrder(shop, n, id);
    // AND a program raising Silver to 500.00, whose recompute got through 901 and 902 before its instance died
    await storeProgram(shop, { ...DEFAULT_PROGRAM, tiers: DEFAULT_PROGRAM.tiers.map((t) => (t.name === "Silver" ? { ...t, threshold: 50000 } : t)) });
    const id = await abandonedJob("tier-recompute", { after: "902", done: 2 }, shop);
    // WHEN another instance's takeover check runs
    const { claimed, finished } = await takeOverJobs({ owner: "instance-b" });
    expect(claimed.map((j) => j.id)).toEqual([id]);
    await finished;
    // THEN it finished the job from where it stopped: 903 and 904 recomputed, 901 and 902 left as the dead run had them
    expect(await jobRow(id)).toMatchObject({ status: "done", leaseOwner: null, done: 4, claims: 2 });
    const tiers = await prisma.customer.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { id: true, tierSlug: true } });
    expect(tiers).toEqual([
      { id: "901", tierSlug: "silver" },
      { id: "902", tierSlug: "silver" },
      { id: "903", tierSlug: "bronze" },
      { id: "904", tierSlug: "bronze" },
    ]);
    // AND a second check finds nothing left to take over
    expect((await takeOverJobs({ owner: "instance-c" })).claimed).toEqual([]);
  });

  describe("an import interrupted by a crash", () => {
    const OP = "gid://shopify/BulkOperation/77";
    const orderLine = (n: number) =>
      bulkOrderLine(n, "20.00", { customer: { id: `gid://shopify/Customer/${700 + n}`, firstName: "I", lastName: "B", email: `i${n}@example.com` } });
    const JSONL = [1, 2, 3].map((n) => JSON.stringify(orderLine(n))).join("\n");
    let server: http.Server | undefined;

    /** The bulk operation's result file, served on loopback as Shopify's storage would. */
    async function resultUrl(): Promise<string> {
      server = http.createServer((_req, res) => res.writeHead(200, { "Content-Type": "application/jsonl" }).end(JSONL));
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/result.jsonl`;
    }

    afterEach(async () => {
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      server = undefined;
    });

    const stubProducts = () => stubAdminOperation("AfterglowProducts", () => ({ products: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }));
    const importedOrders = (shop: string) => prisma.order.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { id: true } }).then((rows) => rows.map((r) => r.id));

    it("resumes from its checkpoint in the same bulk operation: the orders applied before are not read again", async () => {
      const shop = "leases-import.myshopify.com";
      await installShop(shop);
      const url = await resultUrl();
      stubAdminOperation("AfterglowBulkOperationStatus", () => ({ node: { id: OP, status: "COMPLETED", errorCode: null, objectCount: "3", url } }));
      stubProducts();
      // GIVEN an import that had applied the file's first order when its instance died
      const checkpoint = { since: null, operationId: OP, progress: { position: 1, orders: 1, refunds: 0, skipped: 0 }, ordersDone: false };
      const id = await abandonedJob("order-import", checkpoint, shop);
      // WHEN another instance takes it over
      const { claimed, finished } = await takeOverJobs({ owner: "instance-b" });
      expect(claimed.map((j) => j.id)).toEqual([id]);
      await finished;
      // THEN it polled the same operation (no new one), applied orders 2 and 3 only, and finished with the total
      expect(adminCalls.map((c) => c.operation)).toEqual(["AfterglowBulkOperationStatus", "AfterglowProducts"]);
      expect(adminCalls[0]!.variables).toEqual({ id: OP });
      expect(await importedOrders(shop)).toEqual(["2", "3"]);
      expect(await jobRow(id)).toMatchObject({
        status: "done",
        leaseOwner: null,
        done: 3,
        detail: "3 orders, 0 refunds, 0 products imported",
        checkpoint: { operationId: OP, progress: { position: 3, orders: 3, refunds: 0, skipped: 0 }, ordersDone: true },
      });
    });

    it("starts a new bulk operation when Shopify no longer has the old one's result, and applies it from the start", async () => {
      const shop = "leases-import-expired.myshopify.com";
      await installShop(shop);
      const url = await resultUrl();
      const NEW_OP = "gid://shopify/BulkOperation/78";
      stubAdminOperation("AfterglowBulkOrders", () => ({ bulkOperationRunQuery: { bulkOperation: { id: NEW_OP, status: "CREATED" }, userErrors: [] } }));
      stubAdminOperation("AfterglowBulkOperationStatus", (call) =>
        call.variables?.id === OP
          ? { node: { id: OP, status: "EXPIRED", errorCode: null, objectCount: "3", url: null } }
          : { node: { id: NEW_OP, status: "COMPLETED", errorCode: null, objectCount: "3", url } },
      );
      stubProducts();
      const checkpoint = { since: "2026-01-01T00:00:00.000Z", operationId: OP, progress: { position: 2, orders: 2, refunds: 0, skipped: 0 }, ordersDone: false };
      const id = await abandonedJob("order-import", checkpoint, shop);
      await (await takeOverJobs({ owner: "instance-b" })).finished;
      expect(adminCalls.map((c) => [c.operation, c.variables?.id ?? null])).toEqual([
        ["AfterglowBulkOperationStatus", OP],
        ["AfterglowBulkOrders", null],
        ["AfterglowBulkOperationStatus", NEW_OP],
        ["AfterglowProducts", null],
      ]);
      // the new operation covers what the first one asked for (orders updated since the import's date)
      expect(String(adminCalls[1]!.variables?.query)).toContain(`updated_at:>='2026-01-01T00:00:00.000Z'`);
      expect(await importedOrders(shop)).toEqual(["1", "2", "3"]);
      expect(await jobRow(id)).toMatchObject({ status: "done", done: 3, detail: "3 orders, 0 refunds, 0 products imported" });
    });
  });
});
