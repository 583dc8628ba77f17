import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { FLOW_TRIGGERS } from "~/domain/flow/triggers";
import { tierSlug, tierTag, type LoyaltyProgram } from "~/domain/loyalty/program";
import { tierFor } from "~/domain/loyalty/tiers";
import { listOutbox } from "../support/outbox";
import { inTransaction } from "~/models/transaction.server";
import { recomputeTiersPage } from "~/services/loyalty-ledger.server";
import { loyaltyMetafieldVariables, tagVariables } from "~/shopify/customer-mirror.server";

/**
 * The set-based recompute (models/loyalty.server.ts `applyTiersPage`, one statement per page of customers) against the
 * one definition of a tier, `tierFor` (app/domain/loyalty/tiers.ts), and of the mirror, the per-customer path's calls:
 * for random programs and customers, every customer ends with tierFor's tier and their ledger's balance, a tier-history
 * row exactly when the tier changed, and exactly the Shopify calls of a customer whose tier or balance changed (Flow's
 * "Loyalty tier changed" among them only for a tier that changed, and only while a workflow of the shop uses it).
 * Property runs use the test run's seed (printed at the start; AFTERGLOW_TEST_SEED repeats it).
 */
const NOW = new Date("2026-12-03T12:00:00.000Z");
let shopCounter = 0;

interface SeedCustomer {
  lifetimeNetMinor: number;
  rolling12NetMinor: number;
  orderCount: number;
  rolling12Orders: number;
  /** Index of the tier stored before the recompute (−1: none, beyond the tiers: a tier the program no longer has). */
  storedTier: number;
  storedBalance: number;
  ledger: number[];
}

const customerArb: fc.Arbitrary<SeedCustomer> = fc.record({
  lifetimeNetMinor: fc.integer({ min: 0, max: 200_000 }),
  rolling12NetMinor: fc.integer({ min: 0, max: 200_000 }),
  orderCount: fc.integer({ min: 0, max: 30 }),
  rolling12Orders: fc.integer({ min: 0, max: 30 }),
  storedTier: fc.integer({ min: -1, max: 4 }),
  storedBalance: fc.integer({ min: 0, max: 5_000 }),
  ledger: fc.array(fc.integer({ min: -500, max: 2_000 }), { maxLength: 4 }),
});

const programArb: fc.Arbitrary<LoyaltyProgram> = fc
  .record({
    basis: fc.constantFrom("spend" as const, "orders" as const),
    window: fc.constantFrom("lifetime" as const, "rolling12" as const),
    steps: fc.uniqueArray(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 4 }),
  })
  .map(({ basis, window, steps }) => ({
    basis,
    window,
    pointsPerUnit: 1,
    tiers: [...steps]
      .sort((a, b) => a - b)
      .map((threshold, i) => ({
        name: ["Bronze", "Silver", "Gold", "Platinum"][i]!,
        threshold: basis === "orders" ? Math.floor(threshold / 4000) + i : threshold,
        perks: { text: "", discountPercent: null, freeShipping: false },
        color: "#C9A227",
      })),
  }))
  .filter((p) => p.tiers.every((t, i) => i === 0 || t.threshold > p.tiers[i - 1]!.threshold));

const SLUGS = ["bronze", "silver", "gold", "platinum", "retired"];

async function seed(shop: string, customers: SeedCustomer[]) {
  await prisma.customer.createMany({
    data: customers.map((c, i) => ({
      shop,
      id: String(9_000_000_000_000 + i),
      lifetimeNetMinor: BigInt(c.lifetimeNetMinor),
      rolling12NetMinor: BigInt(c.rolling12NetMinor),
      orderCount: c.orderCount,
      rolling12Orders: c.rolling12Orders,
      tierSlug: c.storedTier < 0 ? null : SLUGS[c.storedTier]!,
      pointsBalance: BigInt(c.storedBalance),
    })),
  });
  await prisma.pointsLedger.createMany({
    data: customers.flatMap((c, i) =>
      c.ledger.map((points, n) => ({ shop, customerId: String(9_000_000_000_000 + i), points: BigInt(points), kind: "adjustment", sourceKey: `adjust:${i}:${n}`, createdAt: NOW })),
    ),
  });
}

async function recomputeAll(shop: string, program: LoyaltyProgram, limit: number) {
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const page = await inTransaction((tx) => recomputeTiersPage(tx, shop, { after, limit }, program, "recompute", NOW));
    if (!page.count) return pages;
    pages += 1;
    after = page.last;
  }
}

describe("set-based tier recompute", () => {
  it("gives every customer tierFor's tier and their ledger's balance, with history and Shopify calls only for changes", async () => {
    await fc.assert(
      fc.asyncProperty(programArb, fc.array(customerArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 17 }), fc.boolean(), async (program, customers, limit, flowUsesTierTrigger) => {
        shopCounter += 1;
        const shop = `sets-${shopCounter}.myshopify.com`;
        await seed(shop, customers);
        // A workflow of the shop uses Flow's "Loyalty tier changed" trigger (or none does: then it is never queued).
        const trigger = FLOW_TRIGGERS.loyaltyTierChanged.handle;
        if (flowUsesTierTrigger) await prisma.flowTriggerUse.create({ data: { shop, handle: trigger, enabled: true, callbackAt: NOW, updatedAt: NOW } });
        const nameOf = (slug: string | null) => (slug === null ? null : (program.tiers.find((t) => tierSlug(t.name) === slug)?.name ?? slug));

        const pages = await recomputeAll(shop, program, limit);

        expect(pages).toBe(Math.ceil(customers.length / limit));
        const rows = await prisma.customer.findMany({ where: { shop }, orderBy: { id: "asc" } });
        const expectedCalls: { operation: string; variables: unknown; coalesceKey: string | null }[] = [];
        const expectedHistory: { customerId: string; fromSlug: string | null; toSlug: string | null }[] = [];
        customers.forEach((c, i) => {
          const id = String(9_000_000_000_000 + i);
          const tier = tierFor(program, c);
          const balance = c.ledger.reduce((a, b) => a + b, 0);
          const before = c.storedTier < 0 ? null : SLUGS[c.storedTier]!;
          const to = tier?.slug ?? null;
          expect(rows[i]).toMatchObject({ id, tierSlug: to, pointsBalance: BigInt(balance) });
          if (to !== before) {
            expectedHistory.push({ customerId: id, fromSlug: before, toSlug: to });
            if (before) expectedCalls.push({ operation: "tagsRemove", variables: tagVariables(id, tierTag(before)), coalesceKey: null });
            if (to) expectedCalls.push({ operation: "tagsAdd", variables: tagVariables(id, tierTag(to)), coalesceKey: null });
          }
          if (to !== before || balance !== c.storedBalance) {
            expectedCalls.push({
              operation: "metafieldsSet",
              variables: loyaltyMetafieldVariables(id, { tierName: tier?.name ?? null, tierSlug: to, points: balance }),
              coalesceKey: `loyalty-status:${id}`,
            });
          }
          // The trigger only for a tier that changed, naming the tiers as the program does (a retired tier by its slug)
          if (to !== before && flowUsesTierTrigger) {
            const payload = { customer_id: Number(id), "previous tier": nameOf(before) ?? "", tier: tier?.name ?? "", points: balance };
            expectedCalls.push({ operation: "flowTriggerReceive", variables: { handle: trigger, payload }, coalesceKey: null });
          }
        });
        const history = await prisma.tierChange.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { customerId: true, fromSlug: true, toSlug: true, cause: true } });
        expect(history).toEqual(expectedHistory.map((h) => ({ ...h, cause: "recompute" })));
        const outbox = await listOutbox(shop);
        expect(outbox.map((m) => ({ operation: m.operation, variables: m.variables, coalesceKey: m.coalesceKey }))).toEqual(expectedCalls);

        // A second run finds nothing to change: no write, no history, no Shopify call.
        await recomputeAll(shop, program, limit);
        expect(await prisma.tierChange.count({ where: { shop } })).toBe(expectedHistory.length);
        expect(await prisma.outboxMessage.count({ where: { shop } })).toBe(expectedCalls.length);
      }),
      { numRuns: 20 },
    );
  }, 120_000);

  it("answers an empty page for a shop without customers, and after its last customer", async () => {
    const program: LoyaltyProgram = {
      basis: "spend",
      window: "lifetime",
      pointsPerUnit: 1,
      tiers: [{ name: "Bronze", threshold: 0, perks: { text: "", discountPercent: null, freeShipping: false }, color: "#C9A227" }],
    };
    const empty = await inTransaction((tx) => recomputeTiersPage(tx, "sets-none.myshopify.com", { after: null, limit: 10 }, program, "recompute", NOW));
    expect(empty).toEqual({ count: 0, last: null, changed: 0 });
    await seed("sets-one.myshopify.com", [{ lifetimeNetMinor: 1, rolling12NetMinor: 0, orderCount: 1, rolling12Orders: 0, storedTier: -1, storedBalance: 0, ledger: [] }]);
    const first = await inTransaction((tx) => recomputeTiersPage(tx, "sets-one.myshopify.com", { after: null, limit: 10 }, program, "recompute", NOW));
    expect(first).toEqual({ count: 1, last: "9000000000000", changed: 1 });
    const after = await inTransaction((tx) => recomputeTiersPage(tx, "sets-one.myshopify.com", { after: "9000000000000", limit: 10 }, program, "recompute", NOW));
    expect(after).toEqual({ count: 0, last: null, changed: 0 });
  });
});
