import { describe, expect, it } from "vitest";
import {
  desiredPerks,
  needsRenewal,
  parsePerkSpec,
  perkEndsAt,
  planPerkChanges,
  sameSpec,
  segmentQuery,
  type ExistingPerk,
  type PerkChange,
} from "./perk-discounts";
import { DEFAULT_PROGRAM, type LoyaltyProgram, type Tier } from "./program";

const tier = (name: string, threshold: number, discountPercent: number | null, freeShipping = false): Tier => ({
  name,
  threshold,
  perks: { text: "", discountPercent, freeShipping },
  color: "#000000",
});
const program = (...tiers: Tier[]): LoyaltyProgram => ({ ...DEFAULT_PROGRAM, tiers });

const segment = (name: string, slug: string) => ({ name: `Afterglow ${name} tier`, query: `customer_tags CONTAINS 'afterglow-tier-${slug}'` });
const percentOff = (percent: number, segments: string[]) => ({ perk: "percentage" as const, percent, title: `Afterglow tier perk: ${percent}% off`, segments });
const freeShipping = (segments: string[]) => ({ perk: "free_shipping" as const, percent: null, title: "Afterglow tier perk: free shipping", segments });

/** What the app holds after `p` was planned and applied. */
const heldFor = (p: LoyaltyProgram): ExistingPerk[] =>
  planPerkChanges(p, []).map((c) => ({ kind: c.kind, key: c.key, desired: c.desired }));
const actions = (changes: PerkChange[]) => changes.map((c) => `${c.action} ${c.kind} ${c.key}`);

describe("desiredPerks", () => {
  it("the default programme: Silver and Gold get segments; 5 %, 10 % and free shipping one discount each", () => {
    const wanted = desiredPerks(DEFAULT_PROGRAM);
    expect([...wanted.segments]).toEqual([
      ["tier-2", segment("Silver", "silver")],
      ["tier-3", segment("Gold", "gold")],
    ]);
    expect([...wanted.discounts]).toEqual([
      ["percent-5", percentOff(5, ["tier-2"])],
      ["percent-10", percentOff(10, ["tier-3"])],
      ["free-shipping", freeShipping(["tier-3"])],
    ]);
  });

  it("a perk shared by tiers is one discount listing both segments, in tier order; percentages ascending", () => {
    const wanted = desiredPerks(program(tier("Bronze", 0, 10), tier("Silver", 5, 15, true), tier("Gold", 9, 10, true)));
    expect([...wanted.discounts]).toEqual([
      ["percent-10", percentOff(10, ["tier-1", "tier-3"])],
      ["percent-15", percentOff(15, ["tier-2"])],
      ["free-shipping", freeShipping(["tier-2", "tier-3"])],
    ]);
  });

  it("no perks at all: nothing in Shopify", () => {
    const wanted = desiredPerks(program(tier("Bronze", 0, null), tier("Silver", 5, null)));
    expect(wanted.segments.size).toBe(0);
    expect(wanted.discounts.size).toBe(0);
  });

  it("the segment query names the mirrored tier tag", () => {
    expect(segmentQuery("tres-chic")).toBe("customer_tags CONTAINS 'afterglow-tier-tres-chic'");
    expect(desiredPerks(program(tier("Très Chic!", 0, 5))).segments.get("tier-1")).toEqual(segment("Très Chic!", "tres-chic"));
  });
});

describe("planPerkChanges", () => {
  const base = program(tier("Bronze", 0, null), tier("Silver", 5, 10), tier("Gold", 9, 10, true));

  it.each<[string, LoyaltyProgram, LoyaltyProgram, string[]]>([
    [
      "first save: segments, then discounts, all created",
      program(tier("Bronze", 0, null)),
      base,
      ["create segment tier-2", "create segment tier-3", "create discount percent-10", "create discount free-shipping"],
    ],
    [
      "nothing changed: all kept",
      base,
      base,
      ["keep segment tier-2", "keep segment tier-3", "keep discount percent-10", "keep discount free-shipping"],
    ],
    [
      "a perk removed, Gold's free shipping: its discount deleted; Gold's segment kept, as Gold still has 10 %",
      base,
      program(tier("Bronze", 0, null), tier("Silver", 5, 10), tier("Gold", 9, 10, false)),
      ["keep segment tier-2", "keep segment tier-3", "keep discount percent-10", "delete discount free-shipping"],
    ],
    [
      "a perk changed, Silver's 10 % becomes free shipping: both discounts updated, their segment lists changed",
      base,
      program(tier("Bronze", 0, null), tier("Silver", 5, null, true), tier("Gold", 9, 10, true)),
      ["keep segment tier-2", "keep segment tier-3", "update discount percent-10", "update discount free-shipping"],
    ],
    [
      "a percentage changed for every tier that had it: the old one deleted, the new one created",
      base,
      program(tier("Bronze", 0, null), tier("Silver", 5, 15), tier("Gold", 9, 15, true)),
      ["keep segment tier-2", "keep segment tier-3", "create discount percent-15", "keep discount free-shipping", "delete discount percent-10"],
    ],
    [
      "a tier renamed: its segment updated with its new name and tag, the discounts kept",
      base,
      program(tier("Bronze", 0, null), tier("Argent", 5, 10), tier("Gold", 9, 10, true)),
      ["update segment tier-2", "keep segment tier-3", "keep discount percent-10", "keep discount free-shipping"],
    ],
    [
      "a tier loses all its perks: discounts updated first, its segment deleted last",
      base,
      program(tier("Bronze", 0, null), tier("Silver", 5, null), tier("Gold", 9, 10, true)),
      ["keep segment tier-3", "update discount percent-10", "keep discount free-shipping", "delete segment tier-2"],
    ],
    [
      "every perk removed: discounts deleted before segments",
      base,
      program(tier("Bronze", 0, null)),
      ["delete discount free-shipping", "delete discount percent-10", "delete segment tier-2", "delete segment tier-3"],
    ],
  ])("%s", (_name, before, after, expected) => {
    expect(actions(planPerkChanges(after, heldFor(before)))).toEqual(expected);
  });

  it("an update carries the new spec; a delete carries none", () => {
    const changes = planPerkChanges(program(tier("Bronze", 0, null), tier("Silver", 5, null, true), tier("Gold", 9, 10)), heldFor(base));
    expect(changes.find((c) => c.key === "percent-10")).toEqual({ kind: "discount", key: "percent-10", action: "update", desired: percentOff(10, ["tier-3"]) });
    expect(changes.find((c) => c.key === "free-shipping")).toEqual({ kind: "discount", key: "free-shipping", action: "update", desired: freeShipping(["tier-2"]) });
    expect(planPerkChanges(program(tier("Bronze", 0, null)), heldFor(base))[0]).toEqual({ kind: "discount", key: "free-shipping", action: "delete", desired: null });
  });

  it("a row already being deleted is kept as it is; wanted again, it is updated", () => {
    const held: ExistingPerk[] = [{ kind: "discount", key: "percent-10", desired: null }];
    expect(actions(planPerkChanges(program(tier("Bronze", 0, null)), held))).toEqual(["keep discount percent-10"]);
    expect(actions(planPerkChanges(program(tier("Bronze", 0, 10)), held))).toEqual(["create segment tier-1", "update discount percent-10"]);
  });
});

describe("specs, end dates and renewal", () => {
  it("sameSpec compares every field, the segment list in order", () => {
    expect(sameSpec(percentOff(10, ["tier-1", "tier-2"]), percentOff(10, ["tier-1", "tier-2"]))).toBe(true);
    expect(sameSpec(percentOff(10, ["tier-1", "tier-2"]), percentOff(10, ["tier-2", "tier-1"]))).toBe(false);
    expect(sameSpec(segment("Gold", "gold"), segment("Gold", "golden"))).toBe(false);
    expect(sameSpec(null, null)).toBe(true);
    // Fields outside the spec (a discount's applied JSON also names segment ids) do not count.
    expect(sameSpec({ ...percentOff(10, ["tier-1"]), segmentIds: ["gid://shopify/Segment/1"] } as ReturnType<typeof percentOff>, percentOff(10, ["tier-1"]))).toBe(true);
    expect(sameSpec({ ...segment("Gold", "gold"), extra: 1 } as ReturnType<typeof segment>, segment("Gold", "gold"))).toBe(true);
    expect(sameSpec(percentOff(10, ["tier-1"]), { ...percentOff(10, ["tier-1"]), title: "Other" })).toBe(false);
    expect(sameSpec(percentOff(10, ["tier-1"]), percentOff(15, ["tier-1"]))).toBe(false);
    expect(sameSpec(null, segment("Gold", "gold"))).toBe(false);
  });

  it("a discount ends 30 days after it is sent and is renewed once less than 29 days are left", () => {
    const now = new Date("2026-12-04T09:00:00.000Z");
    expect(perkEndsAt(now).toISOString()).toBe("2027-01-03T09:00:00.000Z");
    expect(needsRenewal(perkEndsAt(now), now)).toBe(false);
    expect(needsRenewal(new Date("2027-01-02T09:00:00.000Z"), now)).toBe(false); // exactly 29 days left
    expect(needsRenewal(new Date("2027-01-02T08:59:59.999Z"), now)).toBe(true);
    expect(needsRenewal(null, now)).toBe(true);
  });

  it("parsePerkSpec reads stored specs back and refuses other shapes", () => {
    expect(parsePerkSpec("segment", JSON.stringify(segment("Gold", "gold")))).toEqual(segment("Gold", "gold"));
    expect(parsePerkSpec("discount", JSON.stringify(freeShipping(["tier-3"])))).toEqual(freeShipping(["tier-3"]));
    expect(parsePerkSpec("discount", JSON.stringify(percentOff(5, ["tier-1"])))).toEqual(percentOff(5, ["tier-1"]));
    expect(parsePerkSpec("segment", null)).toBeNull();
    expect(parsePerkSpec("segment", "not json")).toBeNull();
    expect(parsePerkSpec("segment", JSON.stringify({ name: "x" }))).toBeNull();
    expect(parsePerkSpec("discount", JSON.stringify({ perk: "bogo", title: "x", segments: [] }))).toBeNull();
    expect(parsePerkSpec("discount", JSON.stringify({ perk: "percentage", percent: 5, title: "x", segments: [1] }))).toBeNull();
    expect(parsePerkSpec("discount", "7")).toBeNull();
    expect(parsePerkSpec("discount", "null")).toBeNull();
    expect(parsePerkSpec("discount", JSON.stringify({ perk: "percentage", percent: "5", title: "x", segments: ["tier-1"] }))).toEqual({ perk: "percentage", percent: null, title: "x", segments: ["tier-1"] });
    expect(parsePerkSpec("discount", JSON.stringify({ perk: "free_shipping", percent: null, title: 3, segments: [] }))).toBeNull();
    expect(parsePerkSpec("discount", JSON.stringify({ perk: "free_shipping", percent: null, title: "x" }))).toBeNull();
    expect(parsePerkSpec("segment", JSON.stringify({ name: "x", query: 1 }))).toBeNull();
    expect(parsePerkSpec("segment", JSON.stringify({ ...segment("Gold", "gold"), extra: true }))).toEqual(segment("Gold", "gold"));
  });
});
