import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_PROGRAM, type LoyaltyProgram, type Tier } from "~/domain/loyalty/program";
import { action as appUninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { action, loader } from "~/routes/app.loyalty/route";
import { saveLoyaltyProgram } from "~/services/loyalty.server";
import { deliverDueOutbox } from "~/services/outbox.server";
import { renewTierPerksAllShops } from "~/services/tier-perks.server";
import { adminCalls, failAdminOperation, stubAdminOperation } from "../support/admin-api";
import { allowConsoleError } from "../support/console";
import { callHandler } from "../support/handlers";
import { listOutbox } from "../support/outbox";
import { adminRequest, installNewShop, installShop } from "../support/sessions";
import { postJson, settleBackgroundJobs } from "../support/shop-seed";
import { stubTierPerks } from "../support/tier-perks";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * Tier perks as Shopify automatic discounts (decision 039): a programme save plans customer segments and automatic
 * discounts, the outbox sends them in order (segments first), the rows keep Shopify's ids and each perk's state, the
 * daily renewal moves the end date on, a refusal shows as that perk's failed state with Retry. Real PostgreSQL; the
 * Admin API stubbed, the exact documents and variables asserted.
 */

const DAY = 86_400_000;
const storeOf = (shop: string) => shop.replace(".myshopify.com", "");
const flat = (text: string) => text.replace(/\s+/g, " ").trim();

const DOCS = {
  segmentCreate: `#graphql mutation AfterglowPerkSegmentCreate($name: String!, $query: String!) { segmentCreate(name: $name, query: $query) { segment { id } userErrors { field message } } }`,
  segmentDelete: `#graphql mutation AfterglowPerkSegmentDelete($id: ID!) { segmentDelete(id: $id) { deletedSegmentId userErrors { field message } } }`,
  basicCreate: `#graphql mutation AfterglowPerkDiscountBasicCreate($automaticBasicDiscount: DiscountAutomaticBasicInput!) { discountAutomaticBasicCreate(automaticBasicDiscount: $automaticBasicDiscount) { automaticDiscountNode { id } userErrors { field message code } } }`,
  basicUpdate: `#graphql mutation AfterglowPerkDiscountBasicUpdate($id: ID!, $automaticBasicDiscount: DiscountAutomaticBasicInput!) { discountAutomaticBasicUpdate(id: $id, automaticBasicDiscount: $automaticBasicDiscount) { automaticDiscountNode { id } userErrors { field message code } } }`,
  freeShippingCreate: `#graphql mutation AfterglowPerkDiscountFreeShippingCreate($freeShippingAutomaticDiscount: DiscountAutomaticFreeShippingInput!) { discountAutomaticFreeShippingCreate(freeShippingAutomaticDiscount: $freeShippingAutomaticDiscount) { automaticDiscountNode { id } userErrors { field message code } } }`,
  freeShippingUpdate: `#graphql mutation AfterglowPerkDiscountFreeShippingUpdate($id: ID!, $freeShippingAutomaticDiscount: DiscountAutomaticFreeShippingInput!) { discountAutomaticFreeShippingUpdate(id: $id, freeShippingAutomaticDiscount: $freeShippingAutomaticDiscount) { automaticDiscountNode { id } userErrors { field message code } } }`,
  discountDelete: `#graphql mutation AfterglowPerkDiscountDelete($id: ID!) { discountAutomaticDelete(id: $id) { deletedAutomaticDiscountId userErrors { field message code } } }`,
  discountMark: `#graphql mutation AfterglowPerkDiscountMark($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { metafields { id } userErrors { field message code } } }`,
  earlierDiscounts: `#graphql query AfterglowEarlierPerkDiscounts($after: String) { automaticDiscountNodes(first: 50, after: $after, query: "status:active OR status:scheduled") { nodes { id mark: metafield(namespace: "$app", key: "tier_perk") { value } automaticDiscount { ... on DiscountAutomaticBasic { createdAt } ... on DiscountAutomaticFreeShipping { createdAt } } } pageInfo { hasNextPage endCursor } } }`,
};

/** The call that marks discount `id` as perk `key`'s (decision 048). */
const mark = (shop: string, id: string, key: string) => ({
  shop,
  operation: "AfterglowPerkDiscountMark",
  query: DOCS.discountMark,
  variables: { metafields: [{ ownerId: id, namespace: "$app", key: "tier_perk", type: "single_line_text_field", value: key }] },
});

const shopifyHoldsPerks = stubTierPerks;

const tier = (name: string, threshold: number, discountPercent: number | null, freeShipping = false): Tier => ({
  name,
  threshold,
  perks: { text: "", discountPercent, freeShipping },
  color: "#8A8D91",
});
const program = (...tiers: Tier[]): LoyaltyProgram => ({ ...DEFAULT_PROGRAM, tiers });

async function save(shop: string, p: LoyaltyProgram) {
  expect(await saveLoyaltyProgram(shop, p)).toMatchObject({ ok: true });
  await settleBackgroundJobs(shop);
}

/** Runs the outbox at `now` on a frozen clock; returns the calls it made (and clears the record). */
async function deliverAt(now: Date) {
  adminCalls.length = 0;
  await deliverDueOutbox({ now, clock: () => 0 });
  return adminCalls.map((c) => ({ shop: c.shop, operation: c.operation, query: flat(c.query), variables: c.variables }));
}

const perkRows = async (shop: string) =>
  (await prisma.tierPerk.findMany({ where: { shop }, orderBy: [{ kind: "desc" }, { key: "asc" }] })).map((r) => ({
    kind: r.kind,
    key: r.key,
    shopifyId: r.shopifyId,
    state: r.state,
    reason: r.reason,
    endsAt: r.endsAt?.toISOString() ?? null,
  }));

async function pagePerks(shop: string) {
  const result = await callHandler(loader, await adminRequest(storeOf(shop), "/app/loyalty"));
  expect(result.status).toBe(200);
  return (result.value as { tierPerks: unknown[] }).tierPerks;
}

const retryPerk = async (shop: string, kind: string, key: string) =>
  callHandler(action, await postJson(storeOf(shop), "/app/loyalty", { intent: "retry-perk", kind, key }));

const BASE = program(tier("Bronze", 0, null), tier("Silver", 25000, 5), tier("Gold", 100000, 10, true));

/** An installed shop with its profile (the renewal goes over installed shops). */
async function newShop(prefix: string) {
  const shop = await installNewShop(prefix);
  await prisma.shop.create({ data: { shop, name: "Perks", currency: "USD", timezone: "UTC" } });
  return shop;
}

/** A shop whose BASE programme is in Shopify: segments 101 (Silver), 102 (Gold); 5 % 103, 10 % 104, free shipping 105. */
async function shopWithPerks(prefix: string) {
  const shop = await newShop(prefix);
  shopifyHoldsPerks();
  await save(shop, BASE);
  const t0 = new Date(Date.now() + 1000);
  await deliverAt(t0);
  return { shop, t0 };
}

describe("a programme save puts its tier perks into Shopify", () => {
  it("creates one segment per tier with a perk, then one automatic discount per perk listing its segments, with the exact documents", async () => {
    // GIVEN a shop saving a programme: Silver 5 %, Gold 10 % and free shipping
    const shop = await installNewShop("tier-perks");
    shopifyHoldsPerks();
    await save(shop, BASE);
    expect((await listOutbox(shop)).map((m) => [m.operation, m.variables])).toEqual([
      ["tierPerkSync", { kind: "segment", key: "tier-2" }],
      ["tierPerkSync", { kind: "segment", key: "tier-3" }],
      ["tierPerkSync", { kind: "discount", key: "percent-5" }],
      ["tierPerkSync", { kind: "discount", key: "percent-10" }],
      ["tierPerkSync", { kind: "discount", key: "free-shipping" }],
    ]);
    expect(await pagePerks(shop)).toMatchObject([
      { kind: "discount", key: "free-shipping", state: "pending" },
      { kind: "discount", key: "percent-10", state: "pending" },
      { kind: "discount", key: "percent-5", state: "pending" },
      { kind: "segment", key: "tier-2", state: "pending" },
      { kind: "segment", key: "tier-3", state: "pending" },
    ]);

    // WHEN the outbox runs
    const now = new Date(Date.now() + 1000);
    const calls = await deliverAt(now);

    // THEN segments first, then discounts, each limited to its tiers' segments, ending 30 days ahead
    const ends = new Date(now.getTime() + 30 * DAY).toISOString();
    const rowId = async (key: string) => (await prisma.tierPerk.findUniqueOrThrow({ where: { shop_kind_key: { shop, kind: "segment", key } } })).id;
    const percentOff = (percent: number, segments: string[]) => ({
      automaticBasicDiscount: {
        title: `Afterglow tier perk: ${percent}% off`,
        startsAt: now.toISOString(),
        endsAt: ends,
        context: { customerSegments: { add: segments } },
        minimumRequirement: null,
        customerGets: { value: { percentage: percent / 100 }, items: { all: true } },
        combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: true },
      },
    });
    expect(calls).toEqual([
      { shop, operation: "AfterglowPerkSegmentCreate", query: DOCS.segmentCreate, variables: { name: `Afterglow Silver tier (#${await rowId("tier-2")})`, query: "customer_tags CONTAINS 'afterglow-tier-silver'" } },
      { shop, operation: "AfterglowPerkSegmentCreate", query: DOCS.segmentCreate, variables: { name: `Afterglow Gold tier (#${await rowId("tier-3")})`, query: "customer_tags CONTAINS 'afterglow-tier-gold'" } },
      { shop, operation: "AfterglowPerkDiscountBasicCreate", query: DOCS.basicCreate, variables: percentOff(5, ["gid://shopify/Segment/101"]) },
      mark(shop, "gid://shopify/DiscountAutomaticNode/103", "percent-5"),
      { shop, operation: "AfterglowPerkDiscountBasicCreate", query: DOCS.basicCreate, variables: percentOff(10, ["gid://shopify/Segment/102"]) },
      mark(shop, "gid://shopify/DiscountAutomaticNode/104", "percent-10"),
      {
        shop,
        operation: "AfterglowPerkDiscountFreeShippingCreate",
        query: DOCS.freeShippingCreate,
        variables: {
          freeShippingAutomaticDiscount: {
            title: "Afterglow tier perk: free shipping",
            startsAt: now.toISOString(),
            endsAt: ends,
            context: { customerSegments: { add: ["gid://shopify/Segment/102"] } },
            minimumRequirement: null,
            destination: { all: true },
            combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false },
          },
        },
      },
      mark(shop, "gid://shopify/DiscountAutomaticNode/105", "free-shipping"),
    ]);
    expect(await perkRows(shop)).toEqual([
      { kind: "segment", key: "tier-2", shopifyId: "gid://shopify/Segment/101", state: "active", reason: null, endsAt: null },
      { kind: "segment", key: "tier-3", shopifyId: "gid://shopify/Segment/102", state: "active", reason: null, endsAt: null },
      { kind: "discount", key: "free-shipping", shopifyId: "gid://shopify/DiscountAutomaticNode/105", state: "active", reason: null, endsAt: ends },
      { kind: "discount", key: "percent-10", shopifyId: "gid://shopify/DiscountAutomaticNode/104", state: "active", reason: null, endsAt: ends },
      { kind: "discount", key: "percent-5", shopifyId: "gid://shopify/DiscountAutomaticNode/103", state: "active", reason: null, endsAt: ends },
    ]);
    expect(await pagePerks(shop)).toEqual([
      { kind: "discount", key: "free-shipping", label: "Afterglow tier perk: free shipping", tiers: ["Afterglow Gold tier"], state: "active", reason: null, endsAt: ends },
      { kind: "discount", key: "percent-10", label: "Afterglow tier perk: 10% off", tiers: ["Afterglow Gold tier"], state: "active", reason: null, endsAt: ends },
      { kind: "discount", key: "percent-5", label: "Afterglow tier perk: 5% off", tiers: ["Afterglow Silver tier"], state: "active", reason: null, endsAt: ends },
      { kind: "segment", key: "tier-2", label: "Afterglow Silver tier", tiers: [], state: "active", reason: null, endsAt: null },
      { kind: "segment", key: "tier-3", label: "Afterglow Gold tier", tiers: [], state: "active", reason: null, endsAt: null },
    ]);

    // AND the same programme saved again changes nothing in Shopify
    await save(shop, BASE);
    expect(await deliverAt(new Date(now.getTime() + 1000))).toEqual([]);
  });

  it("a perk changed updates the discounts' segment lists; a perk no tier has any more is deleted", async () => {
    const { shop, t0 } = await shopWithPerks("tier-perks-change");
    // WHEN Silver's 5 % becomes Gold's 10 % and free shipping
    await save(shop, program(tier("Bronze", 0, null), tier("Silver", 25000, 10, true), tier("Gold", 100000, 10, true)));
    const now = new Date(t0.getTime() + DAY);
    const calls = await deliverAt(now);
    const ends = new Date(now.getTime() + 30 * DAY).toISOString();
    expect(calls.map((c) => [c.operation, c.query, c.variables])).toEqual([
      [
        "AfterglowPerkDiscountBasicUpdate",
        DOCS.basicUpdate,
        {
          id: "gid://shopify/DiscountAutomaticNode/104",
          automaticBasicDiscount: {
            title: "Afterglow tier perk: 10% off",
            endsAt: ends,
            context: { customerSegments: { add: ["gid://shopify/Segment/101"] } },
            minimumRequirement: null,
            customerGets: { value: { percentage: 0.1 }, items: { all: true } },
            combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: true },
          },
        },
      ],
      [
        "AfterglowPerkDiscountFreeShippingUpdate",
        DOCS.freeShippingUpdate,
        {
          id: "gid://shopify/DiscountAutomaticNode/105",
          freeShippingAutomaticDiscount: {
            title: "Afterglow tier perk: free shipping",
            endsAt: ends,
            context: { customerSegments: { add: ["gid://shopify/Segment/101"] } },
            minimumRequirement: null,
            destination: { all: true },
            combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false },
          },
        },
      ],
      ["AfterglowPerkDiscountDelete", DOCS.discountDelete, { id: "gid://shopify/DiscountAutomaticNode/103" }],
    ]);
    expect((await perkRows(shop)).map((r) => [r.key, r.state])).toEqual([
      ["tier-2", "active"],
      ["tier-3", "active"],
      ["free-shipping", "active"],
      ["percent-10", "active"],
    ]);
  });

  it("a tier renamed updates its segment's name and query; a tier losing every perk loses its segment after the discounts stop naming it", async () => {
    const { shop, t0 } = await shopWithPerks("tier-perks-rename");
    await save(shop, program(tier("Bronze", 0, null), tier("Argent", 25000, 5), tier("Gold", 100000, 10, true)));
    const silverRow = (await prisma.tierPerk.findUniqueOrThrow({ where: { shop_kind_key: { shop, kind: "segment", key: "tier-2" } } })).id;
    expect((await deliverAt(new Date(t0.getTime() + 1000))).map((c) => [c.operation, c.variables])).toEqual([
      ["AfterglowPerkSegmentUpdate", { id: "gid://shopify/Segment/101", name: `Afterglow Argent tier (#${silverRow})`, query: "customer_tags CONTAINS 'afterglow-tier-argent'" }],
    ]);

    // WHEN the renamed tier loses its only perk: its discount goes, then its segment
    await save(shop, program(tier("Bronze", 0, null), tier("Argent", 25000, null), tier("Gold", 100000, 10, true)));
    const calls = await deliverAt(new Date(t0.getTime() + 2000));
    expect(calls.map((c) => [c.operation, c.query, c.variables])).toEqual([
      ["AfterglowPerkDiscountDelete", DOCS.discountDelete, { id: "gid://shopify/DiscountAutomaticNode/103" }],
      ["AfterglowPerkSegmentDelete", DOCS.segmentDelete, { id: "gid://shopify/Segment/101" }],
    ]);
    expect((await perkRows(shop)).map((r) => r.key)).toEqual(["tier-3", "free-shipping", "percent-10"]);

    // AND every perk removed: discounts deleted before the last segment
    await save(shop, program(tier("Bronze", 0, null), tier("Argent", 25000, null), tier("Gold", 100000, null)));
    expect((await deliverAt(new Date(t0.getTime() + 3000))).map((c) => [c.operation, c.variables])).toEqual([
      ["AfterglowPerkDiscountDelete", { id: "gid://shopify/DiscountAutomaticNode/105" }],
      ["AfterglowPerkDiscountDelete", { id: "gid://shopify/DiscountAutomaticNode/104" }],
      ["AfterglowPerkSegmentDelete", { id: "gid://shopify/Segment/102" }],
    ]);
    expect(await perkRows(shop)).toEqual([]);
    expect(await pagePerks(shop)).toEqual([]);
  });
});

describe("daily renewal", () => {
  it("moves every perk discount's end 30 days on from the renewal day, once per UTC day across callers", async () => {
    const { shop, t0 } = await shopWithPerks("tier-perks-renew");
    const day = new Date(t0.getTime() + DAY + 3600_000);
    // WHEN two instances run the renewal of that day
    const [first, second] = await Promise.all([renewTierPerksAllShops(day, "instance-a"), renewTierPerksAllShops(day, "instance-b")]);
    expect([first, second].sort()).toEqual([false, true]);
    const calls = (await deliverAt(day)).filter((c) => c.shop === shop);

    // THEN each discount is updated once, with the new end and no change of segments
    const ends = new Date(day.getTime() + 30 * DAY).toISOString();
    expect(calls.map((c) => [c.operation, c.variables?.id, JSON.stringify(c.variables)])).toEqual([
      ["AfterglowPerkDiscountFreeShippingUpdate", "gid://shopify/DiscountAutomaticNode/105", expect.stringContaining(`"endsAt":"${ends}","context":{"customerSegments":{"add":[]}}`)],
      ["AfterglowPerkDiscountBasicUpdate", "gid://shopify/DiscountAutomaticNode/104", expect.stringContaining(`"endsAt":"${ends}","context":{"customerSegments":{"add":[]}}`)],
      ["AfterglowPerkDiscountBasicUpdate", "gid://shopify/DiscountAutomaticNode/103", expect.stringContaining(`"endsAt":"${ends}","context":{"customerSegments":{"add":[]}}`)],
    ]);
    expect((await perkRows(shop)).filter((r) => r.kind === "discount").map((r) => r.endsAt)).toEqual([ends, ends, ends]);
    // A later call the same UTC day does nothing.
    expect(await renewTierPerksAllShops(new Date(day.getTime() + 60_000), "instance-c")).toBe(false);
  });

  it("a shop that never saved its programme gets no perk discounts", async () => {
    const shop = await newShop("tier-perks-default");
    const day = new Date(Date.now() + 40 * DAY);
    await renewTierPerksAllShops(day, "instance-a");
    expect(await perkRows(shop)).toEqual([]);
    expect(await listOutbox(shop)).toEqual([]);
  });
});

describe("Shopify refuses a perk (25 active automatic discounts)", () => {
  it("shows that perk failed with Shopify's reason; Retry queues it again and it becomes active", async () => {
    const shop = await installNewShop("tier-perks-limit");
    const limit = { message: "Your store has reached the limit of 25 active automatic discounts.", code: "MAX_ACTIVE_AUTOMATIC_DISCOUNTS" };
    let full = true;
    shopifyHoldsPerks({ refuse: (operation) => (full && operation === "AfterglowPerkDiscountFreeShippingCreate" ? limit : null) });
    await save(shop, BASE);
    const now = new Date(Date.now() + 1000);
    await deliverAt(now);

    const reason = "MAX_ACTIVE_AUTOMATIC_DISCOUNTS Your store has reached the limit of 25 active automatic discounts.";
    expect((await perkRows(shop)).map((r) => [r.key, r.state, r.reason])).toEqual([
      ["tier-2", "active", null],
      ["tier-3", "active", null],
      ["free-shipping", "failed", reason],
      ["percent-10", "active", null],
      ["percent-5", "active", null],
    ]);
    expect((await pagePerks(shop))[0]).toEqual({ kind: "discount", key: "free-shipping", label: "Afterglow tier perk: free shipping", tiers: ["Afterglow Gold tier"], state: "failed", reason, endsAt: null });
    // The refusal is the perk's state; the outbox message itself was answered.
    expect((await listOutbox(shop)).map((m) => m.status)).toEqual(["delivered", "delivered", "delivered", "delivered", "delivered"]);

    // WHEN the merchant made room and presses Retry
    full = false;
    const retried = await retryPerk(shop, "discount", "free-shipping");
    expect(retried.status).toBe(200);
    expect(retried.value).toEqual({ ok: true, perk: "free-shipping" });
    expect((await perkRows(shop))[2]).toMatchObject({ key: "free-shipping", state: "pending", reason: null });
    const calls = await deliverAt(new Date(now.getTime() + 1000));
    // (the shop's other discounts are in Shopify already: no look-up of earlier ones; the new one is marked)
    expect(calls.map((c) => c.operation)).toEqual(["AfterglowPerkDiscountFreeShippingCreate", "AfterglowPerkDiscountMark"]);
    expect((await perkRows(shop))[2]).toMatchObject({ key: "free-shipping", state: "active", shopifyId: "gid://shopify/DiscountAutomaticNode/105" });
  });

  it("a sync the outbox gives up (Shopify refused the call over HTTP) shows its perk failed with that reason; the others go on", async () => {
    allowConsoleError(); // the outbox logs a message it gives up as an error, on purpose
    const shop = await installNewShop("tier-perks-http");
    shopifyHoldsPerks();
    failAdminOperation("AfterglowPerkDiscountFreeShippingCreate", { status: 403, times: 1 });
    await save(shop, BASE);
    await deliverAt(new Date(Date.now() + 1000));

    expect((await perkRows(shop)).map((r) => [r.key, r.state, r.reason])).toEqual([
      ["tier-2", "active", null],
      ["tier-3", "active", null],
      ["free-shipping", "failed", "tierPerkSync: HTTP 403 Forbidden"],
      ["percent-10", "active", null],
      ["percent-5", "active", null],
    ]);
    expect((await listOutbox(shop)).map((m) => [m.variables.key, m.status])).toEqual([
      ["tier-2", "delivered"],
      ["tier-3", "delivered"],
      ["percent-5", "delivered"],
      ["percent-10", "delivered"],
      ["free-shipping", "failed"],
    ]);
  });

  it("a removal Shopify refuses shows failed with its reason (not 'removing' for ever); Retry deletes it", async () => {
    const { shop, t0 } = await shopWithPerks("tier-perks-delete-refused");
    stubAdminOperation("AfterglowPerkDiscountDelete", () => ({
      discountAutomaticDelete: { deletedAutomaticDiscountId: null, userErrors: [{ field: ["id"], message: "Discount is being edited", code: "INVALID" }] },
    }));
    // WHEN Gold's free shipping goes and Shopify refuses the delete
    await save(shop, program(tier("Bronze", 0, null), tier("Silver", 25000, 5), tier("Gold", 100000, 10)));
    await deliverAt(new Date(t0.getTime() + 1000));
    expect((await pagePerks(shop))[0]).toEqual({
      kind: "discount",
      key: "free-shipping",
      label: "Afterglow tier perk: free shipping",
      tiers: ["Afterglow Gold tier"],
      state: "failed",
      reason: "INVALID id Discount is being edited",
      endsAt: expect.any(String),
    });
    // THEN Retry, once Shopify accepts, deletes it and the row goes
    shopifyHoldsPerks();
    expect((await retryPerk(shop, "discount", "free-shipping")).status).toBe(200);
    const calls = await deliverAt(new Date(t0.getTime() + 2000));
    expect(calls.map((c) => [c.operation, c.variables])).toEqual([["AfterglowPerkDiscountDelete", { id: "gid://shopify/DiscountAutomaticNode/105" }]]);
    expect((await perkRows(shop)).map((r) => r.key)).toEqual(["tier-2", "tier-3", "percent-10", "percent-5"]);
  });

  it("a discount or segment deleted in the Shopify admin: the refused update becomes a create, the refused delete is done; nothing is created while it still exists", async () => {
    const { shop, t0 } = await shopWithPerks("tier-perks-gone");
    const refuse = (field: string, node: string) => () => ({ [field]: { [node]: null, userErrors: [{ field: ["id"], message: "Invalid id", code: "INVALID" }] } });
    // GIVEN the merchant deleted the 10 % discount (104) and Silver's segment (101) in the Shopify admin
    // (what Shopify creates from now on is numbered from 201)
    shopifyHoldsPerks({ firstId: 200, gone: (id) => id === "gid://shopify/DiscountAutomaticNode/104" || id === "gid://shopify/Segment/101" });
    stubAdminOperation("AfterglowPerkDiscountBasicUpdate", refuse("discountAutomaticBasicUpdate", "automaticDiscountNode"));
    stubAdminOperation("AfterglowPerkSegmentUpdate", refuse("segmentUpdate", "segment"));
    // WHEN Silver is renamed (its segment changes) and gets Gold's 10 % (that discount changes)
    await save(shop, program(tier("Bronze", 0, null), tier("Argent", 25000, 10), tier("Gold", 100000, 10, true)));
    const calls = await deliverAt(new Date(t0.getTime() + 1000));
    // THEN each refused update is followed by one look-up of the id, then a create of the same thing
    expect(calls.map((c) => [c.operation, c.variables?.id ?? null])).toEqual([
      ["AfterglowPerkSegmentUpdate", "gid://shopify/Segment/101"],
      ["AfterglowPerkNode", "gid://shopify/Segment/101"],
      ["AfterglowPerkSegmentCreate", null],
      ["AfterglowPerkDiscountBasicUpdate", "gid://shopify/DiscountAutomaticNode/104"],
      ["AfterglowPerkNode", "gid://shopify/DiscountAutomaticNode/104"],
      ["AfterglowPerkDiscountBasicCreate", null],
      ["AfterglowPerkDiscountMark", null],
      ["AfterglowPerkDiscountDelete", "gid://shopify/DiscountAutomaticNode/103"],
    ]);
    expect(calls[6]!.variables).toEqual({
      metafields: [{ ownerId: "gid://shopify/DiscountAutomaticNode/202", namespace: "$app", key: "tier_perk", type: "single_line_text_field", value: "percent-10" }],
    });
    expect(calls[1]!.query).toBe("#graphql query AfterglowPerkNode($id: ID!) { node(id: $id) { id } }");
    expect(calls[5]!.variables).toMatchObject({ automaticBasicDiscount: { title: "Afterglow tier perk: 10% off", context: { customerSegments: { add: ["gid://shopify/Segment/201", "gid://shopify/Segment/102"] } } } });
    expect((await perkRows(shop)).map((r) => [r.key, r.state, r.shopifyId])).toEqual([
      ["tier-2", "active", "gid://shopify/Segment/201"],
      ["tier-3", "active", "gid://shopify/Segment/102"],
      ["free-shipping", "active", "gid://shopify/DiscountAutomaticNode/105"],
      ["percent-10", "active", "gid://shopify/DiscountAutomaticNode/202"],
    ]);

    // WHEN free shipping goes while the merchant already deleted it in Shopify, THEN the refused delete counts as done
    shopifyHoldsPerks({ firstId: 300, gone: (id) => id === "gid://shopify/DiscountAutomaticNode/105" });
    stubAdminOperation("AfterglowPerkDiscountDelete", () => ({ discountAutomaticDelete: { deletedAutomaticDiscountId: null, userErrors: [{ field: ["id"], message: "Invalid id", code: "INVALID" }] } }));
    await save(shop, program(tier("Bronze", 0, null), tier("Argent", 25000, 10), tier("Gold", 100000, 10)));
    const removal = await deliverAt(new Date(t0.getTime() + 2000));
    expect(removal.map((c) => c.operation)).toContain("AfterglowPerkNode");
    expect(removal.map((c) => c.operation).filter((o) => o.endsWith("Create"))).toEqual([]);
    expect((await perkRows(shop)).map((r) => r.key)).not.toContain("free-shipping");
  });

  it("a refusal of something Shopify still holds stands: no second copy is created", async () => {
    const { shop, t0 } = await shopWithPerks("tier-perks-not-gone");
    stubAdminOperation("AfterglowPerkDiscountBasicUpdate", () => ({
      discountAutomaticBasicUpdate: { automaticDiscountNode: null, userErrors: [{ field: ["id"], message: "Discount is being edited", code: "INVALID" }] },
    }));
    await save(shop, program(tier("Bronze", 0, null), tier("Silver", 25000, 10), tier("Gold", 100000, 10, true)));
    const calls = await deliverAt(new Date(t0.getTime() + 1000));
    expect(calls.map((c) => c.operation)).toEqual(["AfterglowPerkDiscountBasicUpdate", "AfterglowPerkNode", "AfterglowPerkDiscountDelete"]);
    expect((await perkRows(shop)).find((r) => r.key === "percent-10")).toMatchObject({ state: "failed", reason: "INVALID id Discount is being edited", shopifyId: "gid://shopify/DiscountAutomaticNode/104" });
  });

  it("Retry refuses what the shop does not have (404) and malformed requests (400)", async () => {
    const shop = await installNewShop("tier-perks-retry-bad");
    expect((await retryPerk(shop, "discount", "percent-50")).status).toBe(404);
    expect((await retryPerk(shop, "coupon", "percent-50")).status).toBe(400);
    expect((await retryPerk(shop, "discount", "x".repeat(41))).status).toBe(400);
  });
});

describe("tenant isolation and the end of a shop", () => {
  it("shop A's save and retry never touch shop B's perks or calls", async () => {
    const a = await shopWithPerks("tier-perks-a");
    const b = await shopWithPerks("tier-perks-b");
    const before = await perkRows(b.shop);
    await save(a.shop, program(tier("Bronze", 0, null), tier("Silver", 25000, null), tier("Gold", 100000, null)));
    const calls = await deliverAt(new Date(a.t0.getTime() + DAY));
    expect(calls.every((c) => c.shop === a.shop)).toBe(true);
    expect(calls).toHaveLength(5);
    expect(await perkRows(a.shop)).toEqual([]);
    expect(await perkRows(b.shop)).toEqual(before);
    // B's perk key from A's session: A has none by that key any more.
    expect((await retryPerk(a.shop, "discount", "percent-5")).status).toBe(404);
    expect(await perkRows(b.shop)).toEqual(before);
  });

  it("app/uninstalled keeps the perks' rows (a reinstall updates the same discounts); shop/redact removes them, only that shop's", async () => {
    const { shop } = await shopWithPerks("tier-perks-uninstall");
    const other = await shopWithPerks("tier-perks-stays");
    const held = await perkRows(shop);
    expect(held).toHaveLength(5);
    expect((await callAction(appUninstalled, signedWebhook({ topic: "app/uninstalled", shop, body: {} }))).status).toBe(200);
    expect(await perkRows(shop)).toEqual(held);

    const redact = signedWebhook({ topic: "shop/redact", shop, body: { shop_id: 1, shop_domain: shop } });
    expect((await callAction(shopRedact, redact)).status).toBe(200);
    expect(await perkRows(shop)).toEqual([]);
    expect(await prisma.tierPerk.count({ where: { shop: other.shop } })).toBe(5);
  });

  it("the renewal settles a perk left pending when its message was stopped (uninstalled, then reinstalled)", async () => {
    const shop = await newShop("tier-perks-reinstall");
    shopifyHoldsPerks();
    await save(shop, BASE);
    // The app is uninstalled before the outbox ran: its messages are failed, the rows stay pending.
    expect((await callAction(appUninstalled, signedWebhook({ topic: "app/uninstalled", shop, body: {} }))).status).toBe(200);
    expect((await listOutbox(shop)).map((m) => m.status)).toEqual(["failed", "failed", "failed", "failed", "failed"]);
    // Reinstalled: the next daily renewal queues every perk again, segments first.
    await installShop(shop);
    await prisma.shop.update({ where: { shop }, data: { uninstalledAt: null } });
    const day = new Date(Date.now() + 3 * DAY);
    expect(await renewTierPerksAllShops(day, "instance-a")).toBe(true);
    const calls = (await deliverAt(day)).filter((c) => c.shop === shop).map((c) => c.operation);
    // (no discount row holds a Shopify id: Shopify is asked once for discounts an earlier install marked; none here)
    expect(calls).toEqual([
      "AfterglowPerkSegmentCreate",
      "AfterglowPerkSegmentCreate",
      "AfterglowEarlierPerkDiscounts",
      "AfterglowPerkDiscountFreeShippingCreate",
      "AfterglowPerkDiscountMark",
      "AfterglowPerkDiscountBasicCreate",
      "AfterglowPerkDiscountMark",
      "AfterglowPerkDiscountBasicCreate",
      "AfterglowPerkDiscountMark",
    ]);
    expect((await perkRows(shop)).map((r) => r.state)).toEqual(["active", "active", "active", "active", "active"]);
  });

  it("a reinstall after shop/redact: the perk discounts an earlier install marked are deleted before new ones are created; others are left", async () => {
    // GIVEN a shop installed (again) now, whose Shopify still holds two perk discounts the earlier install marked, a
    // discount of the merchant's own (no mark) and one marked after this install began (this install's)
    const shop = await newShop("tier-perks-reinstall");
    const { installedAt } = await prisma.shop.findUniqueOrThrow({ where: { shop } });
    const before = new Date(installedAt.getTime() - 20 * DAY).toISOString();
    const after = new Date(installedAt.getTime() + 60_000).toISOString();
    shopifyHoldsPerks({
      held: [
        { id: "gid://shopify/DiscountAutomaticNode/901", mark: "percent-10", createdAt: before },
        { id: "gid://shopify/DiscountAutomaticNode/902", mark: "free-shipping", createdAt: before },
        { id: "gid://shopify/DiscountAutomaticNode/903", mark: null, createdAt: before },
        { id: "gid://shopify/DiscountAutomaticNode/904", mark: "percent-5", createdAt: after },
      ],
    });

    // WHEN the merchant saves the programme and the outbox runs
    await save(shop, BASE);
    const calls = await deliverAt(new Date(Date.now() + 1000));

    // THEN before the first discount is created, Shopify is asked once for the marked ones, the earlier install's two
    // are deleted, and the new discounts are created and marked; the merchant's and this install's are not touched
    expect(calls.map((c) => [c.operation, c.variables?.id ?? null])).toEqual([
      ["AfterglowPerkSegmentCreate", null],
      ["AfterglowPerkSegmentCreate", null],
      ["AfterglowEarlierPerkDiscounts", null],
      ["AfterglowPerkDiscountDelete", "gid://shopify/DiscountAutomaticNode/901"],
      ["AfterglowPerkDiscountDelete", "gid://shopify/DiscountAutomaticNode/902"],
      ["AfterglowPerkDiscountBasicCreate", null],
      ["AfterglowPerkDiscountMark", null],
      ["AfterglowPerkDiscountBasicCreate", null],
      ["AfterglowPerkDiscountMark", null],
      ["AfterglowPerkDiscountFreeShippingCreate", null],
      ["AfterglowPerkDiscountMark", null],
    ]);
    expect(calls[2]).toEqual({ shop, operation: "AfterglowEarlierPerkDiscounts", query: DOCS.earlierDiscounts, variables: { after: null } });
    expect(calls[3]).toEqual({ shop, operation: "AfterglowPerkDiscountDelete", query: DOCS.discountDelete, variables: { id: "gid://shopify/DiscountAutomaticNode/901" } });
    expect(calls[6]).toEqual(mark(shop, "gid://shopify/DiscountAutomaticNode/103", "percent-5"));
    expect((await perkRows(shop)).map((r) => [r.key, r.state, r.shopifyId])).toEqual([
      ["tier-2", "active", "gid://shopify/Segment/101"],
      ["tier-3", "active", "gid://shopify/Segment/102"],
      ["free-shipping", "active", "gid://shopify/DiscountAutomaticNode/105"],
      ["percent-10", "active", "gid://shopify/DiscountAutomaticNode/104"],
      ["percent-5", "active", "gid://shopify/DiscountAutomaticNode/103"],
    ]);

    // AND a later create (a perk added) does not ask again: the shop's discounts are known
    await save(shop, program(tier("Bronze", 0, 2), tier("Silver", 25000, 5), tier("Gold", 100000, 10, true)));
    const later = await deliverAt(new Date(Date.now() + 2000));
    expect(later.map((c) => c.operation)).not.toContain("AfterglowEarlierPerkDiscounts");
    expect(later.map((c) => c.operation)).toContain("AfterglowPerkDiscountMark");
  });
});
