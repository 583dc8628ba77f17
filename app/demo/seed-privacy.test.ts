import { describe, expect, it } from "vitest";
import { parseDataRequestPayload } from "~/domain/privacy/compliance-payloads";
import { generateDemoHistory } from "./seed-data";
import { planDemoDataRequest } from "./seed-privacy";

const now = new Date("2026-05-01T12:00:00.000Z");
const events = generateDemoHistory({ now });

describe("planDemoDataRequest", () => {
  it("asks for the data of the seeded customer with the most orders, naming up to five of their orders", () => {
    const plan = planDemoDataRequest(events, "demo.myshopify.com");
    expect(plan).not.toBeNull();
    const parsed = parseDataRequestPayload(plan!.payload);
    expect(parsed.ok).toBe(true);
    const customerOrders = events.filter((e) => e.topic === "orders/create" && (e.payload as { customer?: { id: number } | null }).customer?.id === plan!.payload.customer.id);
    expect(customerOrders.length).toBeGreaterThan(1);
    expect(plan!.payload.orders_requested.length).toBe(Math.min(5, customerOrders.length));
    const ids = new Set(customerOrders.map((e) => (e.payload as { id: number }).id));
    expect(plan!.payload.orders_requested.every((id) => ids.has(id))).toBe(true);
  });

  it("is deterministic, and null for a history without customers", () => {
    expect(planDemoDataRequest(events, "demo.myshopify.com")).toEqual(planDemoDataRequest(events, "demo.myshopify.com"));
    expect(planDemoDataRequest([], "demo.myshopify.com")).toBeNull();
  });
});
