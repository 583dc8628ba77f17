import { describe, expect, it } from "vitest";
import { DEMO_FLOW_TRIGGERS, planDemoFlowRuns } from "./seed-flow";

const NOW = new Date("2026-12-04T12:00:00.000Z");

describe("planDemoFlowRuns", () => {
  it("awards the two customers with the most points (lowest id on a tie), resolves the first open follow-up, and has one refused run, oldest first", () => {
    const runs = planDemoFlowRuns(
      [
        { id: "30", balance: 400 },
        { id: "20", balance: 900 },
        { id: "10", balance: 400 },
      ],
      ["5001", "5002"],
      { now: NOW },
    );
    expect(runs).toEqual([
      { handle: "award-points", actionRunId: "demo-flow-award-20", properties: { customer_id: "20", points: 50, reason: "Left a product review" }, at: new Date("2026-12-03T16:00:00.000Z") },
      { handle: "award-points", actionRunId: "demo-flow-award-10", properties: { customer_id: "10", points: 100, reason: "Birthday bonus" }, at: new Date("2026-12-03T21:00:00.000Z") },
      { handle: "set-follow-up-status", actionRunId: "demo-flow-status-5001", properties: { order_id: "5001", status: "resolved" }, at: new Date("2026-12-04T02:00:00.000Z") },
      { handle: "award-points", actionRunId: "demo-flow-award-unknown", properties: { customer_id: "999999999", points: 25, reason: "Joined the newsletter" }, at: new Date("2026-12-04T07:00:00.000Z") },
    ]);
  });

  it("with no customers and no open follow-ups, only the refused run", () => {
    expect(planDemoFlowRuns([], [], { now: NOW }).map((r) => r.actionRunId)).toEqual(["demo-flow-award-unknown"]);
  });

  it("uses five of the seven triggers", () => {
    expect(DEMO_FLOW_TRIGGERS).toEqual(["follow-up-status-changed", "loyalty-tier-changed", "reward-redeemed", "goodwill-granted", "review-requested"]);
  });
});
