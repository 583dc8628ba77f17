import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { retryFailedMessage } from "~/models/outbox.server";
import { loyaltyMetafieldVariables, tagVariables } from "~/shopify/customer-mirror.server";
import { listOutbox } from "../support/outbox";

/**
 * A merchant's retry of a failed message (models/outbox.server.ts `retryFailedMessage`): refused only when a newer
 * message decides the same thing (the same coalesce key, or the same customer and one of the same tags) and is on its
 * way or delivered; anything older, failed, about another customer or another tag leaves the retry allowed.
 */
const T0 = new Date("2026-12-05T10:00:00.000Z");
const LATER = new Date(T0.getTime() + 60_000);
const SHOP = "outbox-retry.myshopify.com";

type Status = "pending" | "delivered" | "failed" | "bulk";

/** Writes one message as a row (in call order, so ids follow it). */
async function message(operation: string, variables: Record<string, unknown>, status: Status, coalesceKey: string | null = null) {
  const row = await prisma.outboxMessage.create({
    data: { shop: SHOP, operation, variables: JSON.stringify(variables), coalesceKey, status, attempts: status === "pending" ? 0 : 1, nextAttemptAt: T0, createdAt: T0 },
  });
  return row.id;
}

const tags = (operation: "tagsAdd" | "tagsRemove", customer: string, tag: string, status: Status) => message(operation, tagVariables(customer, tag), status);
const loyaltyStatus = (customer: string, points: number, status: Status) =>
  message("metafieldsSet", loyaltyMetafieldVariables(customer, { tierName: "Gold", tierSlug: "gold", points }), status, `loyalty-status:${customer}`);

async function statusOf(id: number) {
  return (await listOutbox(SHOP)).find((m) => m.id === id)?.status;
}

afterEach(async () => {
  await prisma.outboxMessage.deleteMany();
});

describe("retrying a failed tag message", () => {
  it("is allowed when the later messages are about another customer, another tag, or failed themselves", async () => {
    const older = await tags("tagsRemove", "42", "afterglow-tier-gold", "delivered");
    const failed = await tags("tagsAdd", "42", "afterglow-tier-gold", "failed");
    await tags("tagsRemove", "43", "afterglow-tier-gold", "delivered");
    await tags("tagsRemove", "42", "afterglow-tier-silver", "delivered");
    await tags("tagsRemove", "42", "afterglow-tier-gold", "failed");
    await loyaltyStatus("42", 500, "delivered");

    expect(await retryFailedMessage(SHOP, failed, LATER)).toBe(true);
    expect((await listOutbox(SHOP)).find((m) => m.id === failed)).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: LATER });
    expect(await statusOf(older)).toBe("delivered");
  });

  it("is refused when a later message of the same customer and tag is pending, in a bulk mirror, or delivered", async () => {
    for (const later of ["pending", "bulk", "delivered"] as const) {
      const failed = await tags("tagsAdd", "42", "afterglow-tier-gold", "failed");
      await tags("tagsRemove", "42", "afterglow-tier-gold", later);
      expect(await retryFailedMessage(SHOP, failed, LATER)).toBe(false);
      expect(await statusOf(failed)).toBe("failed");
      await prisma.outboxMessage.deleteMany();
    }
  });

  it("is refused when a later message touches one of its tags, even among others", async () => {
    const failed = await message("tagsRemove", { id: "gid://shopify/Customer/42", tags: ["afterglow-tier-silver", "afterglow-tier-gold"] }, "failed");
    await message("tagsAdd", { id: "gid://shopify/Customer/42", tags: ["vip", "afterglow-tier-gold"] }, "delivered");
    expect(await retryFailedMessage(SHOP, failed, LATER)).toBe(false);
  });

  it("is allowed for a message whose variables name no customer or no tag (nothing to be overtaken on)", async () => {
    const noTags = await message("tagsAdd", { id: "gid://shopify/Customer/42", tags: [] }, "failed");
    const noCustomer = await message("tagsAdd", { tags: ["afterglow-tier-gold"] }, "failed");
    await tags("tagsRemove", "42", "afterglow-tier-gold", "delivered");
    expect(await retryFailedMessage(SHOP, noTags, LATER)).toBe(true);
    expect(await retryFailedMessage(SHOP, noCustomer, LATER)).toBe(true);
  });
});

describe("retrying a failed message with a coalesce key", () => {
  it("is allowed when the only others with its key are older or failed", async () => {
    await loyaltyStatus("42", 100, "delivered");
    const failed = await loyaltyStatus("42", 200, "failed");
    await loyaltyStatus("42", 300, "failed");
    await loyaltyStatus("43", 300, "delivered");
    expect(await retryFailedMessage(SHOP, failed, LATER)).toBe(true);
    expect(await statusOf(failed)).toBe("pending");
  });

  it("is refused when a later one with its key is in a bulk mirror or delivered", async () => {
    for (const later of ["bulk", "delivered"] as const) {
      const failed = await loyaltyStatus("42", 200, "failed");
      await loyaltyStatus("42", 300, later);
      expect(await retryFailedMessage(SHOP, failed, LATER)).toBe(false);
      await prisma.outboxMessage.deleteMany();
    }
  });
});

describe("retrying other failed messages", () => {
  it("is allowed for an operation that is neither a tag nor keyed, whatever came after it", async () => {
    const flow = { triggerHandle: "afterglow-unhappy-customer", payload: { "Customer id": "42" } };
    const failed = await message("flowTriggerReceive", flow, "failed");
    await message("flowTriggerReceive", flow, "delivered");
    expect(await retryFailedMessage(SHOP, failed, LATER)).toBe(true);
  });

  it("is refused for a message that is not failed, or not this shop's", async () => {
    const delivered = await tags("tagsAdd", "42", "afterglow-tier-gold", "delivered");
    const failed = await tags("tagsAdd", "43", "afterglow-tier-gold", "failed");
    expect(await retryFailedMessage(SHOP, delivered, LATER)).toBe(false);
    expect(await retryFailedMessage("another-shop.myshopify.com", failed, LATER)).toBe(false);
    expect(await statusOf(failed)).toBe("failed");
  });
});
