import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { ingestEvent } from "~/services/ingest-webhook.server";
import { restOrder } from "../support/orders";

/**
 * The ingest group's statements run on generic plans (docs/decisions/055-generic-plans-for-the-ingest-group.md) and
 * without sequential scans (docs/decisions/057-plans-for-young-tables.md): a statement trigger on the orders records
 * the planner settings the order's transaction runs with. That the settings end with the group's transaction is
 * app/models/transaction.server.test.ts's.
 */

const SHOP = "ingest-plan-mode.myshopify.com";

beforeAll(async () => {
  await prisma.$executeRawUnsafe(`CREATE TABLE "PlanModeProbe" ("mode" text NOT NULL)`);
  await prisma.$executeRawUnsafe(`CREATE FUNCTION "plan_mode_probe"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO "PlanModeProbe" VALUES (current_setting('plan_cache_mode') || ' ' || current_setting('enable_seqscan')); RETURN NULL; END $$`);
  await prisma.$executeRawUnsafe(`CREATE TRIGGER "plan_mode_probe" AFTER INSERT ON "Order" FOR EACH STATEMENT EXECUTE FUNCTION "plan_mode_probe"()`);
});

afterAll(async () => {
  await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS "plan_mode_probe" ON "Order"`);
  await prisma.$executeRawUnsafe(`DROP FUNCTION IF EXISTS "plan_mode_probe"()`);
  await prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS "PlanModeProbe"`);
});

const modes = () => prisma.$queryRawUnsafe<{ mode: string }[]>(`SELECT "mode" FROM "PlanModeProbe"`).then((rows) => rows.map((r) => r.mode));

describe("the ingest group's plan mode", () => {
  it("writes a webhook's order on generic plans, without sequential scans", async () => {
    const outcome = await ingestEvent({ shop: SHOP, topic: "orders/create", webhookId: "plan-mode-1", payload: restOrder({ id: 4101 }) });
    expect(outcome).toBe("applied");
    expect(await modes()).toEqual(["force_generic_plan off"]);
  });
});
