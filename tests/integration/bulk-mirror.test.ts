import fs from "node:fs";
import os from "node:os";
import { afterEach, describe, expect, it, vi } from "vitest";
import { recorderDownload, recorderUpload, recordingGraphql } from "~/demo/admin-recorder.server";
import { runAdminQuery } from "~/shopify/admin-client.server";
import { connectRaw, prisma } from "~/db.server";
import { BULK_MUTATION_LINES_PER_SECOND, planBucket, requestedCost } from "~/domain/admin-cost";
import { BULK_MIRROR_MAX_CUSTOMERS, BULK_MIRROR_MIN_CUSTOMERS, leaseOpenMirror, shopsWithBulkMirrorWork, startBulkMirror } from "~/models/bulk-mirror.server";
import { claimDueMessages, enqueueOutboxMany, outboxSummary, type OutboxEnqueue } from "~/models/outbox.server";
import { inTransaction } from "~/models/transaction.server";
import { advanceBulkMirrors, STAGE_FILE_PREFIX } from "~/services/bulk-mirror.server";
import { deliverDueOutbox } from "~/services/outbox.server";
import { BULK_CALL_COST, BULK_MUTATION_RUN, BULK_MUTATION_STATUS, STAGED_UPLOAD_MUTATION } from "~/shopify/bulk-mutation.server";
import { bulkMirrorDocument, loyaltyMetafieldVariables, METAFIELDS_PER_CALL, tagVariables } from "~/shopify/customer-mirror.server";
import { MIRROR_MODEL, mirrorModel, queuedMirror } from "../../bench/lib/recompute.mjs";
import type { LoyaltyProgram } from "~/domain/loyalty/program";
import { recomputeTiersPage } from "~/services/loyalty-ledger.server";
import { markShopUninstalled } from "~/models/shops.server";
import { adminCalls, failAdminOperation, meterAdminApi, simulateBulkMutations, stagedUploads, STAGED_UPLOAD_URL, stubAdminOperation } from "../support/admin-api";
import { listOutbox } from "../support/outbox";
import { installNewShop } from "../support/sessions";

/**
 * Large mirror backlogs go to Shopify as bulk mutations (docs/decisions/033-bulk-mirror.md): staged JSONL upload,
 * bulkOperationRunMutation per stage (tagsRemove, tagsAdd, metafieldsSet), no other message for a customer inside an
 * open mirror, results reconciled into delivered / failed / back to the per-customer path. The stub runs each bulk
 * operation at a stated rate on the test's clock (tests/support/admin-api.ts `simulateBulkMutations`).
 */
const T0 = new Date("2026-12-03T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const gid = (customer: number) => `gid://shopify/Customer/${customer}`;
const tag = (slug: string) => `afterglow-tier-${slug}`;

const tags = (operation: "tagsAdd" | "tagsRemove", customer: number, slug: string): OutboxEnqueue => ({
  operation,
  variables: tagVariables(String(customer), tag(slug)),
});
const status = (customer: number, slug: string, points: number): OutboxEnqueue => ({
  operation: "metafieldsSet",
  variables: loyaltyMetafieldVariables(String(customer), { tierName: slug[0]!.toUpperCase() + slug.slice(1), tierSlug: slug, points }),
  coalesceKey: `loyalty-status:${customer}`,
});
const metafieldOf = (customer: number, slug: string, points: number) => (status(customer, slug, points).variables.metafields as unknown[])[0];
/** A tier change as the recompute queues it: the old tier's tag off, the new one's on, the metafield. */
const tierChange = (customer: number, from: string | null, to: string, points = 0): OutboxEnqueue[] => [
  ...(from ? [tags("tagsRemove", customer, from)] : []),
  tags("tagsAdd", customer, to),
  status(customer, to, points),
];

async function enqueue(shop: string, messages: OutboxEnqueue[], now = T0) {
  await inTransaction((tx) => enqueueOutboxMany(tx, shop, messages, now));
}

function stubPerCustomer() {
  stubAdminOperation("AfterglowTagsAdd", () => ({ tagsAdd: { userErrors: [] } }));
  stubAdminOperation("AfterglowTagsRemove", () => ({ tagsRemove: { userErrors: [] } }));
  stubAdminOperation("AfterglowMetafieldsSet", () => ({ metafieldsSet: { metafields: [], userErrors: [] } }));
}

type Report = Awaited<ReturnType<typeof advanceBulkMirrors>>;
/** The runs' reports added up, field by field. */
const sumReports = (reports: Report[]) =>
  reports.reduce(
    (sum, r) => Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, v + r[k as keyof Report]])) as Report,
    { started: 0, submitted: 0, completed: 0, failed: 0, delivered: 0, failedMessages: 0, returned: 0 } as Report,
  );

const mirrors = (shop: string) => prisma.bulkMirrorOperation.findMany({ where: { shop }, orderBy: { id: "asc" } });
const statuses = async (shop: string) => (await listOutbox(shop)).map((m) => [m.operation, m.subjectId, m.status]);

afterEach(async () => {
  await prisma.outboxMessage.deleteMany();
  await prisma.bulkMirrorOperation.deleteMany();
  // Every stage file written to disk (to be uploaded without holding it in memory) is gone, uploaded or not.
  expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(`${STAGE_FILE_PREFIX}${process.pid}-`))).toEqual([]);
});

describe("bulk mirror: staged upload and bulkOperationRunMutation", () => {
  it("sends a backlog as three bulk operations in sequence, with the exact documents and JSONL, processed at the stated rate", async () => {
    const shop = await installNewShop("bulk");
    let now = 0;
    const simulation = simulateBulkMutations({ linesPerSecond: 1, clock: () => now });
    stubPerCustomer();
    // Customer 1 moves bronze → silver, customer 2 enters silver, customer 3's points moved (metafield only).
    await enqueue(shop, [...tierChange(1, "bronze", "silver", 10), ...tierChange(2, null, "silver", 20), status(3, "gold", 30)]);

    const first = await advanceBulkMirrors({ now: at(now), minCustomers: 3 });
    expect(first).toMatchObject({ started: 1, submitted: 1, completed: 0 });
    const [mirror] = await mirrors(shop);
    expect(mirror).toMatchObject({ kind: "tier-mirror", stage: "tagsRemove", status: "running", customers: 3, lines: 1, shopifyId: "gid://shopify/BulkOperation/9000" });
    const name = `afterglow-tier-mirror-${mirror!.id}`;
    expect(adminCalls.map((c) => [c.operation, c.query, c.variables])).toEqual([
      [
        "AfterglowStagedUpload",
        STAGED_UPLOAD_MUTATION,
        { input: [{ resource: "BULK_MUTATION_VARIABLES", filename: `${name}-tagsRemove.jsonl`, mimeType: "text/jsonl", httpMethod: "POST" }] },
      ],
      [
        "AfterglowBulkMutationRun",
        BULK_MUTATION_RUN,
        { mutation: bulkMirrorDocument("tagsRemove").mutation, stagedUploadPath: `tmp/shop-${shop}/bulk/1/${name}-tagsRemove.jsonl`, clientIdentifier: `${name}-tagsRemove` },
      ],
    ]);
    // The mutation is the outbox's own tagsRemove, one execution per line.
    expect(bulkMirrorDocument("tagsRemove").mutation).toBe(
      "mutation AfterglowTagsRemove($id: ID!, $tags: [String!]!) {\n    tagsRemove(id: $id, tags: $tags) {\n      userErrors { field message }\n    }\n  }",
    );
    // The upload: the target's parameters as form fields, then the file; one JSON line per customer.
    expect(stagedUploads).toEqual([
      {
        shop,
        fields: { "Content-Type": "text/jsonl", success_action_status: "201", key: `tmp/shop-${shop}/bulk/1/${name}-tagsRemove.jsonl`, "x-goog-signature": "stub-signature" },
        filename: `${name}-tagsRemove.jsonl`,
        lines: [{ id: gid(1), tags: [tag("bronze")] }],
      },
    ]);
    expect(STAGED_UPLOAD_URL).toMatch(/^https:/);

    // Half a second later the one line is not done (1 line/s): still running, nothing settled.
    adminCalls.length = 0;
    now = 500;
    expect(await advanceBulkMirrors({ now: at(now), minCustomers: 3 })).toMatchObject({ submitted: 0, completed: 0, delivered: 0 });
    expect(adminCalls.map((c) => [c.operation, c.query, c.variables])).toEqual([["AfterglowBulkMutationStatus", BULK_MUTATION_STATUS, { id: "gid://shopify/BulkOperation/9000" }]]);
    expect((await statuses(shop)).every(([, , s]) => s === "bulk")).toBe(true);

    // Done: the tagsRemove message is delivered and the tagsAdd stage goes at once.
    now = 1000;
    expect(await advanceBulkMirrors({ now: at(now), minCustomers: 3 })).toMatchObject({ submitted: 1, delivered: 1 });
    expect(stagedUploads[1]!.lines).toEqual([
      { id: gid(1), tags: [tag("silver")] },
      { id: gid(2), tags: [tag("silver")] },
    ]);
    now = 3000;
    expect(await advanceBulkMirrors({ now: at(now), minCustomers: 3 })).toMatchObject({ submitted: 1, delivered: 2 });
    // Metafields: up to 25 customers' metafields per line (one metafieldsSet execution).
    expect(stagedUploads[2]!.lines).toEqual([{ metafields: [metafieldOf(1, "silver", 10), metafieldOf(2, "silver", 20), metafieldOf(3, "gold", 30)] }]);
    expect(simulation.operations().map((op) => op.mutation)).toEqual([
      bulkMirrorDocument("tagsRemove").mutation,
      bulkMirrorDocument("tagsAdd").mutation,
      bulkMirrorDocument("metafieldsSet").mutation,
    ]);
    now = 4000;
    expect(await advanceBulkMirrors({ now: at(now), minCustomers: 3 })).toMatchObject({ completed: 1, delivered: 3 });
    expect((await mirrors(shop))[0]).toMatchObject({ status: "done", lines: 4, finishedAt: at(4000) });
    expect((await listOutbox(shop)).map((m) => [m.operation, m.status, m.attempts, m.bulkOperationId])).toEqual(
      [
        ["tagsRemove", "delivered", 1, mirror!.id],
        ["tagsAdd", "delivered", 1, mirror!.id],
        ["metafieldsSet", "delivered", 1, mirror!.id],
        ["tagsAdd", "delivered", 1, mirror!.id],
        ["metafieldsSet", "delivered", 1, mirror!.id],
        ["metafieldsSet", "delivered", 1, mirror!.id],
      ],
    );
    // No per-customer call was made for any of them.
    expect(adminCalls.some((c) => ["AfterglowTagsAdd", "AfterglowTagsRemove", "AfterglowMetafieldsSet"].includes(c.operation))).toBe(false);
  });

  it("sends no message for a customer inside an open bulk operation; it goes once the operation has finished", async () => {
    const shop = await installNewShop("bulk");
    let now = 0;
    simulateBulkMutations({ linesPerSecond: 1, clock: () => now });
    stubPerCustomer();
    await enqueue(shop, [...tierChange(1, "bronze", "silver"), ...tierChange(2, "bronze", "gold")]);
    await advanceBulkMirrors({ now: at(0), minCustomers: 2 });
    // While the mirror runs: customer 1's points change again, and customer 9 (not in the mirror) gets a tag.
    await enqueue(shop, [status(1, "silver", 99), tags("tagsAdd", 9, "gold")], at(100));
    adminCalls.length = 0;

    const report = await deliverDueOutbox({ now: at(200) });

    expect(report).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => [c.operation, c.variables])).toEqual([["AfterglowTagsAdd", { id: gid(9), tags: [tag("gold")] }]]);
    expect((await listOutbox(shop)).find((m) => m.subjectId === gid(1) && m.status === "pending")?.variables).toEqual(status(1, "silver", 99).variables);

    // The mirror's three stages complete (2 lines, 2 lines, 1 line at 1 line/s); customer 1's newer metafield then goes.
    for (now = 2000; now <= 8000; now += 2000) await advanceBulkMirrors({ now: at(now), minCustomers: 2 });
    expect((await mirrors(shop))[0]!.status).toBe("done");
    adminCalls.length = 0;
    expect(await deliverDueOutbox({ now: at(9000) })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => [c.operation, c.variables])).toEqual([["AfterglowMetafieldsSet", { metafields: [metafieldOf(1, "silver", 99)] }]]);
  });

  it("reduces each customer's queued tag calls to their net effect (the last call on each tag wins)", async () => {
    const shop = await installNewShop("bulk");
    let now = 0;
    simulateBulkMutations({ linesPerSecond: 100, clock: () => now });
    // Customer 1 went gold → silver, then silver → bronze before anything was sent; customer 2 silver → gold → silver.
    await enqueue(shop, [
      tags("tagsRemove", 1, "gold"),
      tags("tagsAdd", 1, "silver"),
      tags("tagsRemove", 1, "silver"),
      tags("tagsAdd", 1, "bronze"),
      tags("tagsRemove", 2, "silver"),
      tags("tagsAdd", 2, "gold"),
      tags("tagsRemove", 2, "gold"),
      tags("tagsAdd", 2, "silver"),
    ]);
    const reports = [];
    for (now = 0; now <= 3000; now += 1000) reports.push(await advanceBulkMirrors({ now: at(now), minCustomers: 2 }));
    // Two stages sent; the metafield stage has no line, so the mirror is done without a third operation.
    expect(sumReports(reports)).toEqual({ started: 1, submitted: 2, completed: 1, failed: 0, delivered: 8, failedMessages: 0, returned: 0 });

    expect(stagedUploads.map((u) => u.lines)).toEqual([
      [
        { id: gid(1), tags: [tag("gold"), tag("silver")] },
        { id: gid(2), tags: [tag("gold")] },
      ],
      [
        { id: gid(1), tags: [tag("bronze")] },
        { id: gid(2), tags: [tag("silver")] },
      ],
    ]);
    expect((await listOutbox(shop)).every((m) => m.status === "delivered")).toBe(true);
    expect((await mirrors(shop))[0]!.status).toBe("done");
  });
});

describe("bulk mirror: planned a page at a time", () => {
  it("sends the same files and settles every message the same whatever the page size (customers split across pages)", async () => {
    let now = 0;
    simulateBulkMutations({
      linesPerSecond: 1000,
      clock: () => now,
      result: (field, variables) => {
        if (field === "tagsAdd" && variables.id === gid(4)) return { data: { tagsAdd: { userErrors: [{ field: ["id"], message: "Customer does not exist" }] } } };
        if (field === "tagsRemove" && variables.id === gid(5)) return { errors: [{ message: "Internal error" }] };
        if (field === "metafieldsSet" && (variables.metafields as { ownerId: string }[]).some((m) => m.ownerId === gid(6))) {
          return { data: { metafieldsSet: { metafields: null, userErrors: [{ field: ["metafields", "1", "value"], message: "Value is invalid JSON", code: "INVALID_VALUE", elementIndex: 1 }] } } };
        }
        return { data: { [field]: { userErrors: [] } } };
      },
    });
    // 30 customers Bronze → Silver (two metafield lines of 25 and 5, ten customers sorting before customer 2);
    // customer 1 then went on to Gold, customer 2 back down (its Silver tag ends removed: that add rides the remove stage).
    const backlog = [
      ...Array.from({ length: 30 }, (_, i) => tierChange(i + 1, "bronze", "silver", i)).flat(),
      tags("tagsRemove", 1, "silver"),
      tags("tagsAdd", 1, "gold"),
      tags("tagsRemove", 2, "silver"),
    ];
    const outcomes: { pageSize: number; files: unknown[]; rows: unknown[] }[] = [];
    for (const pageSize of [2000, 1, 2, 3, 7]) {
      const shop = await installNewShop("bulk-pages");
      await enqueue(shop, backlog);
      const from = stagedUploads.length;
      for (now = 0; now <= 5000 && !(await mirrors(shop)).some((m) => m.status === "done"); now += 1000) {
        await advanceBulkMirrors({ now: at(now), minCustomers: 30, pageSize });
      }
      expect((await mirrors(shop))[0], `page size ${pageSize}`).toMatchObject({ status: "done" });
      const rows = (await listOutbox(shop)).map((m) => [m.subjectId, m.operation, JSON.stringify(m.variables), m.status, m.lastError]);
      outcomes.push({ pageSize, files: stagedUploads.slice(from).map((u) => u.lines), rows });
      await prisma.outboxMessage.deleteMany({ where: { shop } });
    }
    const [reference, ...others] = outcomes;
    // The reference run did what the plan says: customer 1's gold added, customer 2 has no tagsAdd line.
    const [removes, adds, metafields] = reference!.files as Record<string, unknown>[][];
    expect(removes!.find((l) => l.id === gid(1))).toEqual({ id: gid(1), tags: [tag("bronze"), tag("silver")] });
    expect(adds!.find((l) => l.id === gid(1))).toEqual({ id: gid(1), tags: [tag("gold")] });
    expect(adds!.some((l) => l.id === gid(2))).toBe(false);
    expect([removes!.length, adds!.length, metafields!.map((l) => (l.metafields as unknown[]).length)]).toEqual([30, 29, [25, 5]]);
    const statusOf = (customer: number, operation: string) => reference!.rows.filter((r) => (r as string[])[0] === gid(customer) && (r as string[])[1] === operation).map((r) => (r as string[])[3]);
    expect(statusOf(4, "tagsAdd")).toEqual(["failed"]);
    expect(statusOf(5, "tagsRemove")).toEqual(["pending"]);
    expect(statusOf(2, "tagsAdd")).toEqual(["delivered"]);
    // Customer 6's metafield is the second of the last line (customers 5–9, after 1, 10–19, 2, 20–29, 3, 30, 4).
    expect([5, 6, 7].map((c) => statusOf(c, "metafieldsSet"))).toEqual([["pending"], ["failed"], ["pending"]]);
    expect(statusOf(30, "metafieldsSet")).toEqual(["delivered"]);
    for (const other of others) expect({ pageSize: other.pageSize, files: other.files, rows: other.rows }).toEqual({ ...reference, pageSize: other.pageSize });
  });
});

describe("bulk mirror: reconciliation", () => {
  it("marks each line's messages delivered or failed with Shopify's userErrors, and gives unknown outcomes back", async () => {
    const shop = await installNewShop("bulk");
    let now = 0;
    simulateBulkMutations({
      linesPerSecond: 100,
      clock: () => now,
      result: (field, variables) => {
        if (field === "tagsAdd" && variables.id === gid(2)) return { data: { tagsAdd: { userErrors: [{ field: ["id"], message: "Customer does not exist" }] } } };
        if (field === "tagsAdd" && variables.id === gid(4)) return { errors: [{ message: "Internal error" }] };
        if (field === "tagsAdd" && variables.id === gid(5)) return undefined; // left out of the result file
        if (field === "metafieldsSet") {
          // The line of customers 1–5 (atomic): Shopify names the third metafield, customer 3's.
          return { data: { metafieldsSet: { metafields: null, userErrors: [{ field: ["metafields", "2", "value"], message: "Value is invalid JSON", code: "INVALID_VALUE", elementIndex: 2 }] } } };
        }
        return { data: { [field]: { userErrors: [] } } };
      },
    });
    await enqueue(shop, [1, 2, 3, 4, 5].flatMap((c) => tierChange(c, null, "silver", c)));
    const reports = [];
    for (now = 0; now <= 4000; now += 1000) reports.push(await advanceBulkMirrors({ now: at(now), minCustomers: 5 }));
    // The runs' reports count what the rows below show: 2 delivered, 2 failed, 6 given back.
    expect(sumReports(reports)).toEqual({ started: 1, submitted: 2, completed: 1, failed: 0, delivered: 2, failedMessages: 2, returned: 6 });

    expect((await mirrors(shop))[0]).toMatchObject({ status: "done" });
    const rows = await listOutbox(shop);
    const of = (customer: number, operation: string) => rows.find((m) => m.subjectId === gid(customer) && m.operation === operation)!;
    expect([1, 2, 3, 4, 5].map((c) => of(c, "tagsAdd").status)).toEqual(["delivered", "failed", "delivered", "pending", "pending"]);
    expect(of(2, "tagsAdd")).toMatchObject({ lastError: "tagsAdd (bulk): userErrors: id Customer does not exist", attempts: 1 });
    // metafieldsSet: the named one fails, the others of its line were not set and go back to the per-customer path.
    expect([1, 2, 3, 4, 5].map((c) => of(c, "metafieldsSet").status)).toEqual(["pending", "pending", "failed", "pending", "pending"]);
    expect(of(3, "metafieldsSet").lastError).toBe("metafieldsSet (bulk): userErrors: INVALID_VALUE metafields.2.value Value is invalid JSON");
    // Given back: out of the mirror, due when their stage's results were read.
    expect(rows.filter((m) => m.status === "pending").map((m) => [m.subjectId, m.operation, m.bulkOperationId, m.nextAttemptAt])).toEqual([
      [gid(1), "metafieldsSet", null, at(2000)],
      [gid(2), "metafieldsSet", null, at(2000)],
      [gid(4), "tagsAdd", null, at(1000)],
      [gid(4), "metafieldsSet", null, at(2000)],
      [gid(5), "tagsAdd", null, at(1000)],
      [gid(5), "metafieldsSet", null, at(2000)],
    ]);
    // The failures show on the Loyalty page's outbox card, as any outbox failure.
    const summary = await outboxSummary(shop);
    expect(summary).toMatchObject({ failed: 2, pending: 6, delivered: 2 });
    expect(summary.recentFailures.map((f) => f.lastError)).toEqual([of(3, "metafieldsSet").lastError, of(2, "tagsAdd").lastError]);

    // What went back is sent by the per-customer path, the metafields batched as usual.
    stubPerCustomer();
    adminCalls.length = 0;
    expect(await deliverDueOutbox({ now: at(5000) })).toEqual({ delivered: 6, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => [c.operation, c.variables])).toEqual([
      ["AfterglowMetafieldsSet", { metafields: [metafieldOf(1, "silver", 1), metafieldOf(2, "silver", 2)] }],
      ["AfterglowTagsAdd", { id: gid(4), tags: [tag("silver")] }],
      ["AfterglowMetafieldsSet", { metafields: [metafieldOf(4, "silver", 4)] }],
      ["AfterglowTagsAdd", { id: gid(5), tags: [tag("silver")] }],
      ["AfterglowMetafieldsSet", { metafields: [metafieldOf(5, "silver", 5)] }],
    ]);
  });

  it("gives a FAILED operation's customers back to the per-customer path, which sends them in order", async () => {
    const shop = await installNewShop("bulk");
    let now = 0;
    simulateBulkMutations({ linesPerSecond: 100, clock: () => now, outcome: (n) => (n === 1 ? "FAILED" : "COMPLETED") });
    stubPerCustomer();
    await enqueue(shop, [...tierChange(1, "bronze", "silver", 1), ...tierChange(2, "bronze", "gold", 2)]);
    await advanceBulkMirrors({ now: at(0), minCustomers: 2 }); // tagsRemove submitted
    now = 1000;
    await advanceBulkMirrors({ now: at(now), minCustomers: 2 }); // tagsRemove completed, tagsAdd submitted
    now = 2000;
    const report = await advanceBulkMirrors({ now: at(now), minCustomers: 2 }); // tagsAdd FAILED

    expect(report).toMatchObject({ failed: 1, returned: 4 });
    expect((await mirrors(shop))[0]).toMatchObject({ status: "failed", stage: "tagsAdd", lastError: "tagsAdd: FAILED INTERNAL_SERVER_ERROR", finishedAt: at(2000) });
    expect(await statuses(shop)).toEqual([
      ["tagsRemove", gid(1), "delivered"],
      ["tagsAdd", gid(1), "pending"],
      ["metafieldsSet", gid(1), "pending"],
      ["tagsRemove", gid(2), "delivered"],
      ["tagsAdd", gid(2), "pending"],
      ["metafieldsSet", gid(2), "pending"],
    ]);
    adminCalls.length = 0;
    expect(await deliverDueOutbox({ now: at(3000) })).toEqual({ delivered: 4, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => [c.operation, c.variables])).toEqual([
      ["AfterglowTagsAdd", { id: gid(1), tags: [tag("silver")] }],
      ["AfterglowMetafieldsSet", { metafields: [metafieldOf(1, "silver", 1)] }],
      ["AfterglowTagsAdd", { id: gid(2), tags: [tag("gold")] }],
      ["AfterglowMetafieldsSet", { metafields: [metafieldOf(2, "gold", 2)] }],
    ]);
  });
});

describe("bulk mirror: interruptions", () => {
  it("a throttled or refused start leaves the mirror as it was, with the reason; the next run submits the stage", async () => {
    const shop = await installNewShop("bulk");
    simulateBulkMutations({ clock: () => 0 });
    await enqueue(shop, [...tierChange(1, "bronze", "silver"), ...tierChange(2, "bronze", "silver")]);
    failAdminOperation("AfterglowBulkMutationRun", { status: 200, errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] });

    expect(await advanceBulkMirrors({ now: T0, minCustomers: 2 })).toMatchObject({ started: 1, submitted: 0 });
    expect((await mirrors(shop))[0]).toMatchObject({ status: "preparing", stage: "tagsRemove", shopifyId: null, lastError: "Admin API: THROTTLED", leaseOwner: null });
    expect((await statuses(shop)).every(([, , s]) => s === "bulk")).toBe(true);

    expect(await advanceBulkMirrors({ now: at(15_000), minCustomers: 2 })).toMatchObject({ started: 0, submitted: 1 });
    expect((await mirrors(shop))[0]).toMatchObject({ status: "running", stage: "tagsRemove", lastError: null });
    // The file was staged again for the second try: the first upload is never run.
    expect(stagedUploads.map((u) => u.lines)).toEqual([
      [{ id: gid(1), tags: [tag("bronze")] }, { id: gid(2), tags: [tag("bronze")] }],
      [{ id: gid(1), tags: [tag("bronze")] }, { id: gid(2), tags: [tag("bronze")] }],
    ]);
  });

  it("ends an open mirror of a shop that uninstalled the app: its messages fail as the outbox's do", async () => {
    const shop = await installNewShop("bulk");
    let now = 0;
    simulateBulkMutations({ clock: () => now, linesPerSecond: 1 });
    await enqueue(shop, [...tierChange(1, "bronze", "silver"), ...tierChange(2, "bronze", "silver")]);
    await advanceBulkMirrors({ now: T0, minCustomers: 2 });
    await markShopUninstalled(shop, at(500));
    now = 1000;

    expect(await advanceBulkMirrors({ now: at(now), minCustomers: 2 })).toMatchObject({ failed: 1, failedMessages: 6 });
    expect((await mirrors(shop))[0]).toMatchObject({ status: "failed", lastError: "shop uninstalled" });
    expect((await listOutbox(shop)).map((m) => [m.status, m.lastError])).toEqual(Array.from({ length: 6 }, () => ["failed", "shop uninstalled"]));
  });
});

describe("bulk mirror: when and who", () => {
  it(`starts from ${BULK_MIRROR_MIN_CUSTOMERS} customers waiting, not below`, async () => {
    const shop = await installNewShop("bulk");
    simulateBulkMutations({ clock: () => 0 });
    await enqueue(shop, Array.from({ length: BULK_MIRROR_MIN_CUSTOMERS - 1 }, (_, i) => status(1000 + i, "gold", i)));
    expect(await advanceBulkMirrors({ now: T0 })).toMatchObject({ started: 0 });
    expect(await mirrors(shop)).toEqual([]);

    await enqueue(shop, [status(5000, "gold", 1)]);
    expect(await advanceBulkMirrors({ now: T0 })).toMatchObject({ started: 1, submitted: 1 });
    expect((await mirrors(shop))[0]).toMatchObject({ customers: BULK_MIRROR_MIN_CUSTOMERS, stage: "metafieldsSet", lines: Math.ceil(BULK_MIRROR_MIN_CUSTOMERS / 25) });
  });

  it("waits while a tier recompute of the shop runs, and for a minute after it ended", async () => {
    const shop = await installNewShop("bulk");
    simulateBulkMutations({ clock: () => 0 });
    await enqueue(shop, Array.from({ length: 5 }, (_, i) => status(100 + i, "gold", i)));
    const job = await prisma.job.create({ data: { shop, kind: "tier-recompute", status: "running", startedAt: at(-120_000) } });
    expect(await startBulkMirror(shop, "instance-a", T0, at(60_000), { minCustomers: 5 })).toBeNull();
    await prisma.job.update({ where: { id: job.id }, data: { status: "done", finishedAt: at(-59_000) } });
    expect(await startBulkMirror(shop, "instance-a", T0, at(60_000), { minCustomers: 5 })).toBeNull();
    expect((await listOutbox(shop)).every((m) => m.status === "pending")).toBe(true);
    await prisma.job.update({ where: { id: job.id }, data: { finishedAt: at(-61_000) } });
    expect(await startBulkMirror(shop, "instance-a", T0, at(60_000), { minCustomers: 5 })).toMatchObject({ customers: 5 });
  });

  it("two instances at once start one operation for a shop", async () => {
    const shop = await installNewShop("bulk");
    simulateBulkMutations({ clock: () => 0 });
    await enqueue(shop, Array.from({ length: 40 }, (_, i) => tierChange(100 + i, "bronze", "silver")).flat());

    const reports = await Promise.all([
      advanceBulkMirrors({ now: T0, owner: "instance-a", minCustomers: 10 }),
      advanceBulkMirrors({ now: T0, owner: "instance-b", minCustomers: 10 }),
      startBulkMirror(shop, "instance-c", T0, at(60_000), { minCustomers: 10 }),
    ]);

    expect(await mirrors(shop)).toHaveLength(1);
    expect(reports[0].started + reports[1].started + (reports[2] ? 1 : 0)).toBe(1);
    expect(adminCalls.filter((c) => c.operation === "AfterglowBulkMutationRun").length).toBeLessThanOrEqual(1);
    expect(new Set((await listOutbox(shop)).map((m) => m.bulkOperationId))).toEqual(new Set([(await mirrors(shop))[0]!.id]));
  });

  it("racing the per-customer worker, every customer's calls still go out in order: what went one by one precedes what went in bulk", async () => {
    const shop = await installNewShop("bulk");
    stubPerCustomer();
    simulateBulkMutations({ clock: () => 0 });
    const customers = Array.from({ length: 40 }, (_, i) => 300 + i);
    await enqueue(shop, customers.flatMap((c) => tierChange(c, "bronze", "silver", c)));

    // Two instances at the same moment: one delivering one by one (small claims), one starting a mirror.
    await Promise.all([
      deliverDueOutbox({ now: T0, batch: 7 }),
      advanceBulkMirrors({ now: T0, owner: "instance-b", minCustomers: 1 }),
      deliverDueOutbox({ now: T0, batch: 5 }),
    ]);

    const rows = await listOutbox(shop);
    const inMirror = rows.filter((m) => m.bulkOperationId !== null);
    expect(inMirror.length).toBeGreaterThan(0);
    for (const customer of customers) {
      const own = rows.filter((m) => m.subjectId === gid(customer));
      const sentAlone = own.filter((m) => m.bulkOperationId === null && m.status === "delivered").map((m) => m.id);
      const inBulk = own.filter((m) => m.bulkOperationId !== null).map((m) => m.id);
      // In bulk: the customer's remaining calls, all of them; sent alone: a prefix of the customer's calls.
      expect(Math.max(0, ...sentAlone), `customer ${customer}`).toBeLessThan(Math.min(Infinity, ...inBulk));
      expect(own.filter((m) => m.status === "pending" && m.bulkOperationId === null && inBulk.length > 0)).toEqual([]);
    }
    // Nothing of a customer in the mirror was sent one by one after the take.
    const perCustomerCalls = adminCalls.filter((c) => c.operation.startsWith("AfterglowTags") || c.operation === "AfterglowMetafieldsSet");
    const taken = new Set(inMirror.map((m) => m.subjectId));
    const sentIds = perCustomerCalls.flatMap((c) => [c.variables?.id, ...((c.variables?.metafields as { ownerId: string }[] | undefined) ?? []).map((m) => m.ownerId)]);
    for (const subject of sentIds) {
      if (!taken.has(subject as string)) continue;
      const own = rows.filter((m) => m.subjectId === subject);
      expect(own.some((m) => m.bulkOperationId === null && m.status === "delivered")).toBe(true);
    }
  });

  it("never takes a customer with a message in flight in the per-customer path (a customer is in whole or not at all)", async () => {
    const shop = await installNewShop("bulk");
    await enqueue(shop, [...tierChange(1, "bronze", "silver"), ...tierChange(2, "bronze", "silver"), ...tierChange(3, "bronze", "silver")]);
    // A per-customer worker has claimed customer 1's first message (its call is in flight).
    const claimed = await claimDueMessages(shop, T0, at(300_000), 1);
    expect(claimed.map((m) => m.variables)).toEqual([tagVariables("1", tag("bronze"))]);

    const mirror = await startBulkMirror(shop, "instance-a", T0, at(60_000), { minCustomers: 2 });

    expect(mirror).toMatchObject({ customers: 2 });
    expect((await statuses(shop)).filter(([, subject]) => subject === gid(1)).map(([, , s]) => s)).toEqual(["pending", "pending", "pending"]);
    expect((await statuses(shop)).filter(([, subject]) => subject !== gid(1)).every(([, , s]) => s === "bulk")).toBe(true);
  });
});

describe("bulk mirror: cost", () => {
  it("mirrors 600 tier changes for at most 3 points a customer, ≥ 10× fewer than 3 calls each (30 points)", async () => {
    const shop = await installNewShop("bulk");
    let now = 0;
    meterAdminApi("standard", () => now);
    simulateBulkMutations({ clock: () => now });
    const customers = 600;
    await enqueue(shop, Array.from({ length: customers }, (_, i) => tierChange(10_000 + i, "bronze", "silver", i)).flat());
    for (let run = 0; run < 20 && !(await mirrors(shop)).some((m) => m.status === "done"); run++, now += 10_000) {
      await advanceBulkMirrors({ now: at(now) });
    }
    const [mirror] = await mirrors(shop);
    expect(mirror).toMatchObject({ status: "done", customers, lines: customers * 2 + customers / 25 });
    expect((await listOutbox(shop)).every((m) => m.status === "delivered")).toBe(true);
    // Every call was metered like Shopify (none throttled); its points, as the stub's bucket charged them.
    const points = adminCalls.reduce((sum, c) => sum + requestedCost(c.query, c.variables), 0);
    expect(points).toBe(mirror!.costPoints);
    expect(points / customers).toBeLessThanOrEqual(3);
    expect((3 * 10 * customers) / points).toBeGreaterThanOrEqual(10);
    // The benchmark's model of the same mirror (bench/lib/recompute.mjs), polled every 10 s as here, gives the same.
    const model = mirrorModel({ customers, removes: customers, adds: customers, metafields: customers, calls: 3 * customers }, { ...MIRROR_MODEL, pollSeconds: 10 });
    expect([model.points, model.lines, model.seconds * 1000]).toEqual([points, mirror!.lines, mirror!.finishedAt!.getTime() - T0.getTime()]);
  });
});

describe("bulk mirror: after a programme change", () => {
  it("mirrors what the set-based recompute queued, and the benchmark's reading and model of those calls match the run", async () => {
    const shop = await installNewShop("bulk");
    const customers = 600;
    // Everyone Bronze with 300.00 spent; the change puts Silver at 250.00: every customer moves up.
    await prisma.customer.createMany({
      data: Array.from({ length: customers }, (_, i) => ({ shop, id: String(70_000 + i), lifetimeNetMinor: 30_000n, orderCount: 1, tierSlug: "bronze" })),
    });
    const program: LoyaltyProgram = {
      basis: "spend",
      window: "lifetime",
      pointsPerUnit: 1,
      tiers: [
        { name: "Bronze", threshold: 0, perks: { text: "", discountPercent: null, freeShipping: false }, color: "#A97142" },
        { name: "Silver", threshold: 25_000, perks: { text: "", discountPercent: null, freeShipping: false }, color: "#8A8D91" },
      ],
    };
    const page = await inTransaction((tx) => recomputeTiersPage(tx, shop, { after: null, limit: 1000 }, program, "recompute", T0));
    expect(page).toMatchObject({ count: customers, changed: customers });

    // The benchmark reads the queued calls with this statement (bench/lib/recompute.mjs queuedMirror).
    const db = { query: async (text: string, params: unknown[]) => ({ rows: await prisma.$queryRawUnsafe<unknown[]>(text, ...params) }) };
    const queued = await queuedMirror(db, shop);
    expect(queued).toEqual({ customers, removes: customers, adds: customers, metafields: customers, calls: 3 * customers });

    let now = 0;
    meterAdminApi("standard", () => now);
    const simulation = simulateBulkMutations({ clock: () => now });
    for (let run = 0; run < 10 && !(await mirrors(shop)).some((m) => m.status === "done"); run++, now += 10_000) await advanceBulkMirrors({ now: at(now) });

    expect((await listOutbox(shop)).every((m) => m.status === "delivered")).toBe(true);
    const lines = simulation.operations().map((op) => op.lines);
    expect(lines.map((l) => l.length)).toEqual([customers, customers, customers / 25]);
    expect(lines[0]![0]).toEqual({ id: gid(70_000), tags: [tag("bronze")] });
    expect(lines[1]![0]).toEqual({ id: gid(70_000), tags: [tag("silver")] });
    expect((lines[2]![0]!.metafields as unknown[])[0]).toEqual(loyaltyMetafieldVariables("70000", { tierName: "Silver", tierSlug: "silver", points: 0 }).metafields[0]);
    const [mirror] = await mirrors(shop);
    const model = mirrorModel(queued, { ...MIRROR_MODEL, pollSeconds: 10 });
    expect([model.points, model.lines, model.seconds * 1000]).toEqual([mirror!.costPoints, mirror!.lines, mirror!.finishedAt!.getTime() - T0.getTime()]);
    expect(model.fewerThanBaseline).toBeGreaterThanOrEqual(10);
  });
});

describe("bulk mirror: the benchmark's model", () => {
  it("uses the app's constants, and puts 190,000 tier changes at ≥ 10× fewer points than 3 calls and under an hour at the assumed rate", () => {
    expect(MIRROR_MODEL).toMatchObject({
      linesPerSecond: BULK_MUTATION_LINES_PER_SECOND,
      minCustomers: BULK_MIRROR_MIN_CUSTOMERS,
      maxCustomers: BULK_MIRROR_MAX_CUSTOMERS,
      stagePoints: BULK_CALL_COST.stagedUpload + BULK_CALL_COST.run,
      pollPoints: BULK_CALL_COST.status,
      metafieldsPerLine: METAFIELDS_PER_CALL,
      restorePerSecond: planBucket("standard").restoreRate,
    });
    const changed = 190_000;
    const model = mirrorModel({ customers: changed, removes: changed, adds: changed, metafields: changed, calls: 3 * changed });
    expect(model.lines).toBe(2 * changed + changed / 25);
    expect(model.fewerThanBaseline).toBeGreaterThanOrEqual(10);
    expect(model.seconds).toBeLessThan(3600);
    // Below the threshold nothing goes in bulk.
    expect(mirrorModel({ customers: 499, removes: 499, adds: 499, metafields: 499, calls: 1497 }).mirrors).toBe(0);
  });
});

describe("bulk mirror: the demo recorder", () => {
  it("stages the file on itself, runs it at the stated rate (not at once), one at a time, and serves its results", async () => {
    const staged = await runAdminQuery<{ stagedUploadsCreate: { stagedTargets: { url: string; parameters: { name: string; value: string }[] }[] } }>(
      recordingGraphql,
      STAGED_UPLOAD_MUTATION,
      { input: [{ resource: "BULK_MUTATION_VARIABLES", filename: "demo.jsonl", mimeType: "text/jsonl", httpMethod: "POST" }] },
    );
    const target = staged.stagedUploadsCreate.stagedTargets[0]!;
    const form = new FormData();
    for (const { name, value } of target.parameters) form.append(name, value);
    const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ id: gid(i), tags: [tag("gold")] }));
    form.append("file", new Blob([lines.join("\n") + "\n"]), "demo.jsonl");
    expect((await recorderUpload(target.url, form)).status).toBe(201);
    const key = target.parameters.find((p) => p.name === "key")!.value;
    const run = () =>
      runAdminQuery<{ bulkOperationRunMutation: { bulkOperation: { id: string } | null; userErrors: { message: string }[] } }>(recordingGraphql, BULK_MUTATION_RUN, {
        mutation: bulkMirrorDocument("tagsAdd").mutation,
        stagedUploadPath: key,
        clientIdentifier: "afterglow-demo-test",
      });
    const started = await run();
    const id = started.bulkOperationRunMutation.bulkOperation!.id;
    const status = async () => (await runAdminQuery<{ node: { status: string; url: string | null } }>(recordingGraphql, BULK_MUTATION_STATUS, { id })).node;
    // 100 lines at 200 lines/s: half a second of work, so it is running now and a second one is refused.
    expect((await status()).status).toBe("RUNNING");
    expect((await run()).bulkOperationRunMutation).toEqual({
      bulkOperation: null,
      userErrors: [{ field: null, message: "A bulk mutation operation for this app and shop is already in progress.", code: null }],
    });
    await vi.waitFor(async () => expect((await status()).status).toBe("COMPLETED"), { timeout: 5000, interval: 50 });
    const results: unknown[] = [];
    for await (const line of recorderDownload((await status()).url!)) results.push(JSON.parse(line));
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => ({ data: { tagsAdd: { userErrors: [] } }, __lineNumber: i })));
  });
});

/**
 * The name stored when the Admin API cannot be reached: the stub's fetch rejects as undici's does (a TypeError), and
 * @shopify/shopify-api passes on an error named plain "Error" (no GraphQL answer, so no code to name).
 */
const NETWORK_ERROR_NAME = "Error";

describe("bulk mirror: what Shopify may answer", () => {
  it("waits on an operation Shopify reports CREATED or CANCELING; one COMPLETED without a result file gives its stage's messages back", async () => {
    const shop = await installNewShop("bulk");
    let now = 0;
    simulateBulkMutations({ clock: () => now });
    await enqueue(shop, [...tierChange(1, "bronze", "silver"), ...tierChange(2, "bronze", "silver")]);
    expect(await advanceBulkMirrors({ now: at(now), minCustomers: 2 })).toMatchObject({ started: 1, submitted: 1 });
    const [mirror] = await mirrors(shop);
    const answer = (status: string, url: string | null = null) =>
      stubAdminOperation("AfterglowBulkMutationStatus", () => ({ node: { id: mirror!.shopifyId, status, errorCode: null, objectCount: "0", url, partialDataUrl: null } }));

    for (const status of ["CREATED", "CANCELING"]) {
      answer(status);
      now += 1000;
      expect(await advanceBulkMirrors({ now: at(now), minCustomers: 2 }), status).toEqual({
        started: 0,
        submitted: 0,
        completed: 0,
        failed: 0,
        delivered: 0,
        failedMessages: 0,
        returned: 0,
      });
      expect((await mirrors(shop))[0], status).toMatchObject({ status: "running", stage: "tagsRemove", shopifyId: mirror!.shopifyId, lastError: null });
    }

    // COMPLETED without a file: nothing is known to be done; the stage's two messages go back, the next stage goes.
    answer("COMPLETED");
    now += 1000;
    expect(await advanceBulkMirrors({ now: at(now), minCustomers: 2 })).toMatchObject({ submitted: 1, delivered: 0, returned: 2, failed: 0 });
    expect(await statuses(shop)).toEqual([
      ["tagsRemove", gid(1), "pending"],
      ["tagsAdd", gid(1), "bulk"],
      ["metafieldsSet", gid(1), "bulk"],
      ["tagsRemove", gid(2), "pending"],
      ["tagsAdd", gid(2), "bulk"],
      ["metafieldsSet", gid(2), "bulk"],
    ]);
    expect((await mirrors(shop))[0]).toMatchObject({ status: "running", stage: "tagsAdd" });
  });

  it("a result line without a payload object goes back; a refusal's long, multi-line message is stored as one line of 300 characters", async () => {
    const shop = await installNewShop("bulk");
    let now = 0;
    const long = `First line.\n\n   ${"x".repeat(400)}`;
    simulateBulkMutations({
      linesPerSecond: 100,
      clock: () => now,
      result: (field, variables) => {
        if (variables.id === gid(1)) return { data: { [field]: null } };
        if (variables.id === gid(2)) return {};
        if (variables.id === gid(3)) return { data: { [field]: "done" } };
        if (variables.id === gid(4)) return { data: { [field]: { userErrors: [{ field: ["id"], message: long }] } } };
        if (variables.id === gid(6)) return { data: { [field]: { userErrors: [{ field: ["tags"], message: "Tag is invalid.\n" }] } } };
        if (variables.id === gid(7)) return { data: { [field]: { userErrors: [{ field: ["id"], message: exactly300 }] } } };
        return { data: { [field]: { userErrors: [] } } };
      },
    });
    const prefix = "tagsAdd (bulk): userErrors: id ";
    const exactly300 = "y".repeat(300 - prefix.length);
    await enqueue(shop, [1, 2, 3, 4, 5, 6, 7].map((c) => tags("tagsAdd", c, "gold")));
    const reports = [];
    for (now = 0; now <= 3000; now += 1000) reports.push(await advanceBulkMirrors({ now: at(now), minCustomers: 7 }));

    expect(sumReports(reports)).toMatchObject({ completed: 1, delivered: 1, failedMessages: 3, returned: 3 });
    const rows = await listOutbox(shop);
    const mirrorId = (await mirrors(shop))[0]!.id;
    expect(rows.map((m) => [m.subjectId, m.status, m.bulkOperationId])).toEqual([
      [gid(1), "pending", null],
      [gid(2), "pending", null],
      [gid(3), "pending", null],
      [gid(4), "failed", mirrorId],
      [gid(5), "delivered", mirrorId],
      [gid(6), "failed", mirrorId],
      [gid(7), "failed", mirrorId],
    ]);
    const stored = rows[3]!.lastError!;
    expect(stored).toBe(`${`${prefix}First line. ${"x".repeat(400)}`.slice(0, 299)}…`);
    expect(stored).toHaveLength(300);
    // A trailing line break is not kept; a message of exactly 300 characters is kept whole.
    expect(rows[5]!.lastError).toBe("tagsAdd (bulk): userErrors: tags Tag is invalid.");
    expect(rows[6]!.lastError).toBe(`${prefix}${exactly300}`);
  });

  it("a step held up is recorded by what held it: Shopify's refusal, the GraphQL error codes (or 'GraphQL error'), or the error's name when Shopify was not reached", async () => {
    const shop = await installNewShop("bulk");
    simulateBulkMutations({ clock: () => 0 });
    await enqueue(shop, [...tierChange(1, "bronze", "silver"), ...tierChange(2, "bronze", "silver")]);

    // Shopify refuses the run (userErrors): its own message is kept.
    const refusal = "A bulk mutation operation for this app and shop is already in progress.";
    stubAdminOperation("AfterglowBulkMutationRun", () => ({ bulkOperationRunMutation: { bulkOperation: null, userErrors: [{ field: null, message: refusal }] } }));
    expect(await advanceBulkMirrors({ now: T0, minCustomers: 2 })).toMatchObject({ started: 1, submitted: 0 });
    expect((await mirrors(shop))[0]).toMatchObject({ status: "preparing", lastError: `bulkOperationRunMutation refused: ${refusal}`, leaseOwner: null });
    simulateBulkMutations({ clock: () => 0 });

    // GraphQL errors: each code once, in order; without any code, "GraphQL error".
    const codes = [{ extensions: { code: "THROTTLED" } }, { extensions: { code: "MAX_COST_EXCEEDED" } }, { extensions: { code: "THROTTLED" } }];
    failAdminOperation("AfterglowBulkMutationRun", { status: 200, errors: codes.map((e) => ({ message: "No", ...e })) });
    expect(await advanceBulkMirrors({ now: at(500), minCustomers: 2 })).toMatchObject({ submitted: 0 });
    expect((await mirrors(shop))[0]).toMatchObject({ status: "preparing", lastError: "Admin API: THROTTLED,MAX_COST_EXCEEDED" });
    failAdminOperation("AfterglowBulkMutationRun", { status: 200, errors: [{ message: "Internal error" }, { message: "Try again", extensions: {} }] });
    expect(await advanceBulkMirrors({ now: at(700), minCustomers: 2 })).toMatchObject({ submitted: 0 });
    expect((await mirrors(shop))[0]).toMatchObject({ status: "preparing", lastError: "Admin API: GraphQL error", leaseOwner: null });

    failAdminOperation("AfterglowBulkMutationRun", { network: true });
    expect(await advanceBulkMirrors({ now: at(1000), minCustomers: 2 })).toMatchObject({ submitted: 0 });
    expect((await mirrors(shop))[0]).toMatchObject({ status: "preparing", lastError: NETWORK_ERROR_NAME, leaseOwner: null });

    expect(await advanceBulkMirrors({ now: at(2000), minCustomers: 2 })).toMatchObject({ submitted: 1 });
    expect((await mirrors(shop))[0]).toMatchObject({ status: "running", lastError: null });
  });
});

describe("bulk mirror: the take", () => {
  it("lists a shop from minCustomers due messages; a start with too few customers waiting is undone", async () => {
    const shop = await installNewShop("bulk");
    await enqueue(shop, [1, 2, 3].flatMap((c) => tierChange(c, "bronze", "silver")));
    // The cross-shop scan counts due messages (9 here); the start then counts customers (3).
    expect(await shopsWithBulkMirrorWork(T0, 10)).toEqual([]);
    expect(await shopsWithBulkMirrorWork(T0, 9)).toEqual([shop]);
    // Only due messages count: three more queued for later leave the count at 9.
    await enqueue(shop, tierChange(4, "bronze", "silver"), at(3_600_000));
    expect(await shopsWithBulkMirrorWork(T0, 10)).toEqual([]);
    expect(await shopsWithBulkMirrorWork(at(3_600_000), 12)).toEqual([shop]);
    expect(await shopsWithBulkMirrorWork(at(3_600_000), 13)).toEqual([]);

    expect(await startBulkMirror(shop, "instance-a", T0, at(60_000), { minCustomers: 4 })).toBeNull();
    expect(await mirrors(shop)).toEqual([]);
    expect((await statuses(shop)).every(([, , s]) => s === "pending")).toBe(true);
  });

  it("a customer whose message a claim holds locked goes back whole; when that leaves too few customers the start is undone", async () => {
    const shop = await installNewShop("bulk");
    await enqueue(shop, [1, 2, 3].flatMap((c) => tierChange(c, "bronze", "silver")));
    // A per-customer claim in another transaction holds customer 1's first message (its row lock, not yet its status).
    const claim = await connectRaw();
    try {
      await claim.query("BEGIN");
      const locked = await claim.query(`SELECT "id" FROM "OutboxMessage" WHERE "shop" = $1 AND "subjectId" = $2 ORDER BY "id" LIMIT 1 FOR UPDATE`, [shop, gid(1)]);
      expect(locked.rowCount).toBe(1);

      // Three customers wait, but the take can have only two whole: below 3, nothing stays taken.
      expect(await startBulkMirror(shop, "instance-a", T0, at(60_000), { minCustomers: 3 })).toBeNull();
      expect(await mirrors(shop)).toEqual([]);
      expect((await statuses(shop)).every(([, , s]) => s === "pending")).toBe(true);

      const mirror = await startBulkMirror(shop, "instance-a", T0, at(60_000), { minCustomers: 2 });
      expect(mirror).toMatchObject({ customers: 2 });
      expect((await statuses(shop)).map(([, subject, s]) => [subject, s])).toEqual([
        [gid(1), "pending"],
        [gid(1), "pending"],
        [gid(1), "pending"],
        [gid(2), "bulk"],
        [gid(2), "bulk"],
        [gid(2), "bulk"],
        [gid(3), "bulk"],
        [gid(3), "bulk"],
        [gid(3), "bulk"],
      ]);
    } finally {
      await claim.query("ROLLBACK");
      claim.release();
    }
  });

  it("takes at most maxCustomers customers, those waiting longest", async () => {
    const shop = await installNewShop("bulk");
    simulateBulkMutations({ clock: () => 0 });
    await enqueue(shop, [7, 5, 6].flatMap((c) => tierChange(c, "bronze", "silver")));

    expect(await advanceBulkMirrors({ now: T0, minCustomers: 2, maxCustomers: 2 })).toMatchObject({ started: 1, submitted: 1 });

    expect((await mirrors(shop))[0]).toMatchObject({ customers: 2 });
    expect((await statuses(shop)).map(([, subject, s]) => [subject, s])).toEqual([
      [gid(7), "bulk"],
      [gid(7), "bulk"],
      [gid(7), "bulk"],
      [gid(5), "bulk"],
      [gid(5), "bulk"],
      [gid(5), "bulk"],
      [gid(6), "pending"],
      [gid(6), "pending"],
      [gid(6), "pending"],
    ]);
  });
});

describe("bulk mirror: one shop's steps touch only its own mirror", () => {
  it("polling, advancing and ending one shop's mirror leave another shop's mirror, its lease and its messages as they were", async () => {
    const one = await installNewShop("bulk");
    const other = await installNewShop("bulk");
    let now = 0;
    simulateBulkMutations({ linesPerSecond: 1, clock: () => now });
    await enqueue(one, [...tierChange(1, "bronze", "silver"), ...tierChange(2, "bronze", "silver")]);
    await enqueue(other, [...tierChange(3, "bronze", "gold"), ...tierChange(4, "bronze", "gold")]);
    expect(await advanceBulkMirrors({ now: at(now), owner: "instance-a", minCustomers: 2 })).toMatchObject({ started: 2, submitted: 2 });
    // Another instance holds the other shop's mirror (its lease runs): this instance's runs leave it alone.
    expect(await leaseOpenMirror(other, "instance-b", at(100), at(600_000))).toMatchObject({ shop: other, status: "running" });
    const [otherMirror] = await mirrors(other);
    const otherMessages = await listOutbox(other);

    // The first shop's stage is polled (a call on its account), then completes and the next stage is submitted.
    now = 1000;
    expect(await advanceBulkMirrors({ now: at(now), owner: "instance-a", minCustomers: 2 })).toMatchObject({ submitted: 0, delivered: 0 });
    now = 2000;
    expect(await advanceBulkMirrors({ now: at(now), owner: "instance-a", minCustomers: 2 })).toMatchObject({ submitted: 1, delivered: 2 });
    expect((await mirrors(one))[0]).toMatchObject({ stage: "tagsAdd", status: "running" });
    // Then the first shop uninstalls: its mirror and messages end failed.
    await markShopUninstalled(one, at(2500));
    now = 3000;
    expect(await advanceBulkMirrors({ now: at(now), owner: "instance-a", minCustomers: 2 })).toMatchObject({ failed: 1, failedMessages: 4 });
    expect((await mirrors(one))[0]).toMatchObject({ status: "failed", lastError: "shop uninstalled" });

    expect(await mirrors(other)).toEqual([otherMirror]);
    expect(otherMirror).toMatchObject({ leaseOwner: "instance-b", status: "running", stage: "tagsRemove" });
    expect(await listOutbox(other)).toEqual(otherMessages);
  });
});
