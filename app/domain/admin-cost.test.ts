import { describe, expect, it } from "vitest";
import {
  availableAt,
  CostBucket,
  costExtension,
  interactiveReserve,
  MAX_QUERY_COST,
  paceDelayMs,
  planBucket,
  requestedCost,
  throttleStatusOf,
} from "./admin-cost";

const TAGS_ADD = `#graphql
  mutation AfterglowTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors { field message }
    }
  }`;

describe("plans and buckets", () => {
  it("has Shopify's published restore rate per plan and a bucket of twenty seconds of it", () => {
    expect(planBucket("standard")).toEqual({ maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 });
    expect(planBucket("advanced")).toEqual({ maximumAvailable: 4000, currentlyAvailable: 4000, restoreRate: 200 });
    expect(planBucket("plus")).toEqual({ maximumAvailable: 20000, currentlyAvailable: 20000, restoreRate: 1000 });
    expect(planBucket("enterprise")).toEqual({ maximumAvailable: 40000, currentlyAvailable: 40000, restoreRate: 2000 });
  });

  it("refills at the restore rate from what was observed, never past the bucket size", () => {
    const observed = { status: { maximumAvailable: 1000, currentlyAvailable: 100, restoreRate: 50 }, at: 10_000 };
    expect(availableAt(observed, 10_000)).toBe(100);
    expect(availableAt(observed, 12_000)).toBe(200);
    expect(availableAt(observed, 27_999)).toBeCloseTo(999.95, 5);
    expect(availableAt(observed, 60_000)).toBe(1000);
    // A clock that went backwards adds nothing.
    expect(availableAt(observed, 5_000)).toBe(100);
  });

  it("leaves a quarter of the bucket to interactive calls", () => {
    expect(interactiveReserve(planBucket("standard"))).toBe(500);
    expect(interactiveReserve({ maximumAvailable: 1001, currentlyAvailable: 0, restoreRate: 50 })).toBe(250);
  });
});

describe("paceDelayMs", () => {
  const at = (currentlyAvailable: number) => ({ status: { maximumAvailable: 2000, currentlyAvailable, restoreRate: 100 }, at: 0 });

  it("goes at once before anything was observed, and while the bucket pays for the call and the reserve", () => {
    expect(paceDelayMs(null, 0, 10, 500)).toBe(0);
    expect(paceDelayMs(at(510), 0, 10, 500)).toBe(0);
    expect(paceDelayMs(at(2000), 0, 10, 500)).toBe(0);
  });

  it("waits for the missing points at the restore rate, less what refilled since the answer", () => {
    // 509 held: 1 point short of 10 + 500 → 10 ms at 100 points/s.
    expect(paceDelayMs(at(509), 0, 10, 500)).toBe(10);
    expect(paceDelayMs(at(0), 0, 10, 500)).toBe(5100);
    expect(paceDelayMs(at(0), 5000, 10, 500)).toBe(100);
    expect(paceDelayMs(at(0), 5100, 10, 500)).toBe(0);
    // Rounded up, so the wait is never short by a fraction of a point.
    expect(paceDelayMs({ status: { maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 3 }, at: 0 }, 0, 10, 0)).toBe(3334);
  });

  it("caps a reserve the bucket cannot hold, so a caller always makes progress", () => {
    expect(paceDelayMs(at(2000), 0, 10, 5000)).toBe(0);
    expect(paceDelayMs(at(1990), 0, 10, 5000)).toBe(100);
  });

  it("does not wait on a bucket that reports no restore rate", () => {
    expect(paceDelayMs({ status: { maximumAvailable: 0, currentlyAvailable: 0, restoreRate: 0 }, at: 0 }, 0, 10, 0)).toBe(0);
    // An empty bucket that would never refill: waiting would be for ever, so the call goes and Shopify decides.
    expect(paceDelayMs({ status: { maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 0 }, at: 0 }, 0, 10, 0)).toBe(0);
  });
});

describe("requestedCost (Shopify's default field costs)", () => {
  it("counts 10 per mutation field", () => {
    expect(requestedCost(TAGS_ADD)).toBe(10);
    expect(requestedCost("mutation Two { a: tagsAdd(id: 1, tags: []) { userErrors { message } } tagsRemove(id: 1, tags: []) { userErrors { message } } }")).toBe(20);
  });

  it("counts 1 per object a query selects and a connection by its page size (literal or variable) plus 2", () => {
    expect(requestedCost("query AfterglowShopId { shop { id } }")).toBe(1);
    expect(requestedCost("query P($cursor: String) { products(first: 250, after: $cursor) { nodes { id } } }")).toBe(252);
    expect(requestedCost("query P($n: Int) { products(first: $n) { nodes { id } } shop { id } }", { n: 10 })).toBe(13);
    expect(requestedCost("query P { orders(last:5) { nodes { id } } }")).toBe(7);
  });

  it("reads past comments, defaults to a query, and costs a document without a selection 1", () => {
    // A comment holding braces or the word mutation changes nothing.
    expect(requestedCost("#graphql\n# mutation { a b c }\nquery Q { shop { id } }")).toBe(1);
    expect(requestedCost("{ shop { id } orders(first: 3) { nodes { id } } }")).toBe(6);
    expect(requestedCost("query Broken")).toBe(1);
    expect(requestedCost("query Broken { (first: 5) shop { id } }")).toBe(1);
  });

  it("counts an aliased field once, whatever the spacing, and a page size it cannot read as one object", () => {
    expect(requestedCost("mutation M { first:tagsAdd(id: 1, tags: []) { userErrors { message } } second : tagsRemove(id: 1, tags: []) { userErrors { message } } }")).toBe(20);
    expect(requestedCost("query P($n: Int) { products(first: $n, after: null) { nodes { id } } }")).toBe(1);
    expect(requestedCost("query P { products( first:  7 ) { nodes { id } } shop { name } }")).toBe(10);
    // Arguments of nested fields do not count at the top level.
    expect(requestedCost("query P { shop { products(first: 100) { nodes { id } } } }")).toBe(1);
  });

  it("never asks more than the single-query limit", () => {
    expect(requestedCost("query P { a: products(first: 5000) { nodes { id } } }")).toBe(MAX_QUERY_COST);
  });
});

describe("throttleStatusOf", () => {
  it("reads Shopify's extensions.cost", () => {
    const body = { data: {}, extensions: costExtension(101, 46, { maximumAvailable: 1000, currentlyAvailable: 954, restoreRate: 50 }) };
    expect(throttleStatusOf(body)).toEqual({
      requestedQueryCost: 101,
      actualQueryCost: 46,
      status: { maximumAvailable: 1000, currentlyAvailable: 954, restoreRate: 50 },
    });
    // A THROTTLED answer has no actual cost.
    expect(throttleStatusOf({ extensions: costExtension(10, null, { maximumAvailable: 1000, currentlyAvailable: 3, restoreRate: 50 }) })?.actualQueryCost).toBeNull();
  });

  it("reads an empty bucket (0 points available) as a status", () => {
    expect(throttleStatusOf({ extensions: costExtension(10, null, { maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 50 }) })?.status.currentlyAvailable).toBe(0);
  });

  it("is null for answers without it or not in Shopify's shape", () => {
    expect(throttleStatusOf({ data: {} })).toBeNull();
    expect(throttleStatusOf({ extensions: { cost: { requestedQueryCost: 10 } } })).toBeNull();
    expect(throttleStatusOf({ extensions: { cost: { throttleStatus: { maximumAvailable: 1000, currentlyAvailable: Number.POSITIVE_INFINITY, restoreRate: 50 } } } })).toBeNull();
    expect(throttleStatusOf(null)).toBeNull();
    expect(throttleStatusOf({ extensions: { cost: { throttleStatus: { maximumAvailable: "1000", currentlyAvailable: 1, restoreRate: 50 } } } })).toBeNull();
    expect(throttleStatusOf({ extensions: { cost: { throttleStatus: { maximumAvailable: 1000, currentlyAvailable: -1, restoreRate: 50 } } } })).toBeNull();
    expect(throttleStatusOf({ extensions: { cost: { throttleStatus: [] } } })).toBeNull();
  });
});

describe("CostBucket (the stand-ins' Shopify)", () => {
  it("pays each call from the bucket, refunds what a call did not use, and throttles when it cannot pay", () => {
    let now = 0;
    const bucket = new CostBucket({ maximumAvailable: 100, currentlyAvailable: 100, restoreRate: 10 }, () => now);
    expect(bucket.take(60)).toEqual({ throttled: false, status: { maximumAvailable: 100, currentlyAvailable: 40, restoreRate: 10 } });
    expect(bucket.take(50)).toEqual({ throttled: true, status: { maximumAvailable: 100, currentlyAvailable: 40, restoreRate: 10 } });
    now = 1000;
    // 50 now: requested 50, used 20 → 30 left.
    expect(bucket.take(50, 20)).toEqual({ throttled: false, status: { maximumAvailable: 100, currentlyAvailable: 30, restoreRate: 10 } });
    now = 100_000;
    expect(bucket.status().currentlyAvailable).toBe(100);
  });

  it("meters a call as Shopify answers it: extensions.cost on every answer, the whole THROTTLED answer when it cannot pay", () => {
    const bucket = new CostBucket({ maximumAvailable: 15, currentlyAvailable: 15, restoreRate: 1 }, () => 0);
    expect(bucket.meter(TAGS_ADD)).toEqual({
      throttled: null,
      extensions: { cost: { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 15, currentlyAvailable: 5, restoreRate: 1 } } },
    });
    const extensions = { cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 15, currentlyAvailable: 5, restoreRate: 1 } } };
    expect(bucket.meter(TAGS_ADD)).toEqual({ throttled: { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions }, extensions });
  });

  it("refuses a query over the single-query limit even with a full bucket", () => {
    const bucket = new CostBucket(planBucket("plus"), () => 0);
    expect(bucket.take(MAX_QUERY_COST + 1).throttled).toBe(true);
    expect(bucket.take(MAX_QUERY_COST).throttled).toBe(false);
  });

  it("without pacing, a burst of mutations on a standard plan is throttled after the bucket's 200", () => {
    const bucket = new CostBucket(planBucket("standard"), () => 0);
    const answers = Array.from({ length: 250 }, () => bucket.take(requestedCost(TAGS_ADD)).throttled);
    expect(answers.indexOf(true)).toBe(200);
    expect(answers.filter(Boolean)).toHaveLength(50);
  });
});
