import { describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_PROGRAM } from "~/domain/loyalty/program";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { latestRecomputeJob, saveLoyaltyProgram, sweepRollingWindow } from "~/services/loyalty.server";
import { restOrder } from "../../support/orders";
import { callAction, signedWebhook } from "../../support/webhooks";

/**
 * Invariant: the daily rolling-window sweep (sweepRollingWindow → runTierRecompute → refreshAllCustomerFacts in
 * app/models/customer-facts.server.ts) moves down exactly the customers whose qualifying spend has aged out of the
 * last 12 months, and nobody else.
 *
 * The boundary, from the code: the window is 365 days (YEAR_MS) and an order counts while
 * `placedAt >= now - 365 days`. An order placed EXACTLY 365 days before the sweep still counts; 1 ms earlier, it no
 * longer does.
 */

const SHOP = "rolling-invariant.myshopify.com";
const DAY = 86_400_000;
const YEAR = 365 * DAY;
/** The sweep's `now`: a whole second, 30 days from the real time, so all three orders are recent when they arrive. */
const SWEEP_AT = new Date(Math.floor(Date.now() / 1000) * 1000 + 30 * DAY);

const CUSTOMERS = [
  { id: 801, label: "ages out (placed 365 days + 1 ms before the sweep)", placedAt: new Date(SWEEP_AT.getTime() - YEAR - 1), tier: "bronze", rolling: 0 },
  { id: 802, label: "on the boundary (placed exactly 365 days before)", placedAt: new Date(SWEEP_AT.getTime() - YEAR), tier: "silver", rolling: 30000 },
  { id: 803, label: "stays (placed 364 days before)", placedAt: new Date(SWEEP_AT.getTime() - YEAR + DAY), tier: "silver", rolling: 30000 },
] as const;

describe("invariant: the rolling-window sweep downgrades only the customers whose spend aged out", () => {
  it("one drops, one on the boundary stays, one stays; only the one who drops gets a tier change and Admin API calls", async () => {
    // GIVEN a rolling-12-month spend program (Silver from 250.00) and one 300.00 order per customer, all Silver now
    expect((await saveLoyaltyProgram(SHOP, { ...DEFAULT_PROGRAM, window: "rolling12" })).ok).toBe(true);
    await vi.waitFor(async () => expect((await latestRecomputeJob(SHOP))?.status).toBe("done"), { timeout: 30_000, interval: 20 });
    for (const [i, c] of CUSTOMERS.entries()) {
      const at = c.placedAt.toISOString();
      const order = restOrder({ id: 8100 + i, total_price: "300.00", created_at: at, processed_at: at, updated_at: at, customer: { id: c.id, first_name: "R", last_name: "W", email: `r${c.id}@example.com` } });
      expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP, body: order }))).status).toBe(200);
    }
    const ids = CUSTOMERS.map((c) => String(c.id));
    expect((await prisma.customer.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } })).map((c) => [c.id, c.tierSlug])).toEqual(ids.map((id) => [id, "silver"]));
    const outbox = async () => (await prisma.outboxMessage.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } })).map((m) => ({ id: m.id, operation: m.operation, variables: m.variables }));
    const outboxBefore = await outbox();

    // WHEN the daily sweep runs at SWEEP_AT
    expect(await sweepRollingWindow(SHOP, SWEEP_AT)).toEqual({ customers: 3, skipped: false });

    // THEN each customer is exactly where the boundary puts them
    const after = await prisma.customer.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } });
    expect(after.map((c) => ({ id: c.id, tier: c.tierSlug, rolling: Number(c.rolling12NetMinor), lifetime: Number(c.lifetimeNetMinor) }))).toEqual(
      CUSTOMERS.map((c) => ({ id: String(c.id), tier: c.tier, rolling: c.rolling, lifetime: 30000 })),
    );
    // AND only the customer who aged out has a sweep tier change and the calls that mirror it into Shopify
    const sweepChanges = await prisma.tierChange.findMany({ where: { shop: SHOP, cause: "sweep" } });
    expect(sweepChanges.map((t) => [t.customerId, t.fromSlug, t.toSlug])).toEqual([["801", "silver", "bronze"]]);
    // (new tag calls; the pending metafield update of 801 is coalesced, now saying Bronze; 802's and 803's untouched)
    const outboxAfter = await outbox();
    const changed = outboxAfter.filter((m) => !outboxBefore.some((b) => b.id === m.id && b.variables === m.variables));
    const owner = (variables: string) => {
      const v = JSON.parse(variables) as { id?: string; metafields?: { ownerId: string; value: string }[] };
      return v.id ?? v.metafields?.[0]?.ownerId;
    };
    expect(changed.map((m) => [m.operation, owner(m.variables)])).toEqual([
      ["metafieldsSet", "gid://shopify/Customer/801"],
      ["tagsRemove", "gid://shopify/Customer/801"],
      ["tagsAdd", "gid://shopify/Customer/801"],
    ]);
    const metafield = JSON.parse(changed[0]!.variables) as { metafields: { value: string }[] };
    expect(JSON.parse(metafield.metafields[0]!.value)).toMatchObject({ tierSlug: "bronze", points: 300 });
  });
});
