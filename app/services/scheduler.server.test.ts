import { describe, expect, it } from "vitest";
import { DEFAULT_PROGRAM } from "~/domain/loyalty/program";
import { claimPeriodJob, latestJob } from "~/models/jobs.server";
import { storeProgram } from "~/models/loyalty.server";
import { markShopUninstalled, saveShopProfile } from "~/models/shops.server";
import { sweepAllShops } from "./scheduler.server";

const DAY = 86_400_000;
const SHOP = "scheduler.myshopify.com";

async function rollingShop() {
  await saveShopProfile(SHOP, { name: "S", currency: "USD", timezone: "UTC", domain: null });
  await storeProgram(SHOP, { ...DEFAULT_PROGRAM, window: "rolling12" });
}

describe("the daily sweep with several instances", () => {
  it("sweeps a shop once a day, whichever instance's timer fires", async () => {
    await rollingShop();
    const now = new Date("2026-12-01T03:00:00Z");
    await sweepAllShops(now);
    const first = await latestJob(SHOP, "rolling-sweep");
    expect(first).toMatchObject({ status: "done", startedAt: now });
    // another instance's timer, 20 minutes later: the shop was swept today
    await sweepAllShops(new Date(now.getTime() + 20 * 60_000));
    expect((await latestJob(SHOP, "rolling-sweep"))?.id).toBe(first?.id);
    // the next day: swept again
    const tomorrow = new Date(now.getTime() + DAY);
    await sweepAllShops(tomorrow);
    expect(await latestJob(SHOP, "rolling-sweep")).toMatchObject({ status: "done", startedAt: tomorrow });
  });

  it("does nothing while another instance is sweeping the shop", async () => {
    await rollingShop();
    const now = new Date("2027-06-01T00:00:00Z");
    // GIVEN another instance, alive (its lease runs for a minute), claimed the shop's sweep of the day
    const other = await claimPeriodJob(SHOP, "rolling-sweep", "2027-06-01", now, "another-instance");
    expect(other).not.toBeNull();
    // WHEN this instance's timer fires
    await sweepAllShops(now);
    // THEN it left the shop alone (a sweep of its own would be a newer row)
    expect(await latestJob(SHOP, "rolling-sweep")).toMatchObject({ id: other!.id, status: "running" });
  });

  it("leaves out uninstalled shops", async () => {
    await rollingShop();
    await markShopUninstalled(SHOP, new Date());
    const before = await latestJob(SHOP, "rolling-sweep");
    await sweepAllShops(new Date("2028-01-01T00:00:00Z"));
    expect((await latestJob(SHOP, "rolling-sweep"))?.id).toBe(before?.id);
  });
});
