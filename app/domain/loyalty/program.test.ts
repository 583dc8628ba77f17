import { describe, expect, it } from "vitest";
import { DEFAULT_PROGRAM, LoyaltyProgramSchema, PROGRAM_ERROR_KEY, tierSlug, tierTag, validateProgram } from "./program";

const tier = (name: string, threshold: number) => ({
  name,
  threshold,
  perks: { text: "", discountPercent: null, freeShipping: false },
  color: "#123456",
});
const program = (tiers: unknown[], extra: Record<string, unknown> = {}) => ({
  basis: "spend",
  window: "lifetime",
  pointsPerUnit: 1,
  tiers,
  ...extra,
});
const errorsOf = (input: unknown) => {
  const result = validateProgram(input);
  if (result.ok) throw new Error("expected validation to fail");
  return result.errors;
};

describe("tierSlug / tierTag", () => {
  it.each([
    ["Très Chic!", "tres-chic"],
    ["Gold", "gold"],
    ["  VIP  Club  ", "vip-club"],
    ["--Élite--", "elite"],
    ["Straße", "strasse"],
    ["Tier 2", "tier-2"],
    ["", "tier"],
    ["!!!", "tier"],
    ["金", "tier"],
  ])("%j → %j", (name, slug) => {
    expect(tierSlug(name)).toBe(slug);
  });

  it("builds the Shopify customer tag", () => {
    expect(tierTag("tres-chic")).toBe("afterglow-tier-tres-chic");
  });
});

describe("DEFAULT_PROGRAM", () => {
  it("is a valid program with Bronze / Silver / Gold", () => {
    const result = validateProgram(DEFAULT_PROGRAM);
    expect(result).toEqual({ ok: true, program: DEFAULT_PROGRAM });
    expect(DEFAULT_PROGRAM.tiers.map((t) => [t.name, t.threshold, t.color])).toEqual([
      ["Bronze", 0, "#A97142"],
      ["Silver", 25000, "#8A8D91"],
      ["Gold", 100000, "#C9A227"],
    ]);
    expect(DEFAULT_PROGRAM.tiers[2]?.perks).toMatchObject({ discountPercent: 10, freeShipping: true });
    expect(DEFAULT_PROGRAM.tiers[1]?.perks).toMatchObject({ discountPercent: 5, freeShipping: false });
  });
});

describe("validateProgram: accepted", () => {
  it("accepts a one-tier orders program and fills perk defaults", () => {
    const input = program([{ name: " Member ", threshold: 1, perks: { text: "  Thanks " }, color: "#abcdef" }], {
      basis: "orders",
      window: "rolling12",
    });
    const result = validateProgram(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.program.tiers[0]).toEqual({
      name: "Member",
      threshold: 1,
      perks: { text: "Thanks", discountPercent: null, freeShipping: false },
      color: "#abcdef",
    });
  });

  it.each([
    ["pointsPerUnit 0", { pointsPerUnit: 0 }],
    ["pointsPerUnit 1000", { pointsPerUnit: 1000 }],
  ])("accepts %s", (_label, extra) => {
    expect(validateProgram(program([tier("A", 0)], extra)).ok).toBe(true);
  });

  it("accepts 10 tiers", () => {
    const tiers = Array.from({ length: 10 }, (_, i) => tier(`T${i}`, i * 10));
    expect(validateProgram(program(tiers)).ok).toBe(true);
  });
});

describe("validateProgram: rejected", () => {
  it.each([
    ["equal thresholds", [tier("Bronze", 0), tier("Silver", 0)], "tiers.1.threshold", /previous tier "Bronze"/],
    [
      "decreasing thresholds",
      [tier("Bronze", 0), tier("Silver", 500), tier("Gold", 400)],
      "tiers.2.threshold",
      /previous tier "Silver"/,
    ],
    ["duplicate names", [tier("Gold", 0), tier("Gold", 10)], "tiers.1.name", /same customer tag/],
    ["names differing by case", [tier("Gold", 0), tier("gold", 10)], "tiers.1.name", /"gold".*"Gold"/],
    ["names differing by accents", [tier("Elite", 0), tier("Élite", 10)], "tiers.1.name", /afterglow-tier-elite/],
    ["empty tier list", [], "tiers", /at least one tier/],
    ["11 tiers", Array.from({ length: 11 }, (_, i) => tier(`T${i}`, i)), "tiers", /at most 10/],
    ["blank name", [tier("   ", 0)], "tiers.0.name", /name/],
    ["41-char name", [tier("x".repeat(41), 0)], "tiers.0.name", /40/],
    ["negative threshold", [tier("A", -1)], "tiers.0.threshold", /negative/],
    ["fractional threshold", [tier("A", 1.5)], "tiers.0.threshold", /whole/],
    ["bad colour", [{ ...tier("A", 0), color: "#12345" }], "tiers.0.color", /hex/],
    ["discount 0", [{ ...tier("A", 0), perks: { text: "", discountPercent: 0 } }], "tiers.0.perks.discountPercent", /1%/],
    ["discount 101", [{ ...tier("A", 0), perks: { text: "", discountPercent: 101 } }], "tiers.0.perks.discountPercent", /100%/],
    ["long perk text", [{ ...tier("A", 0), perks: { text: "x".repeat(201) } }], "tiers.0.perks.text", /200/],
  ])("rejects %s at %s", (_label, tiers, path, message) => {
    const errors = errorsOf(program(tiers));
    expect(Object.keys(errors)).toContain(path);
    expect(errors[path]).toMatch(message);
  });

  it.each([
    ["pointsPerUnit -1", { pointsPerUnit: -1 }, "pointsPerUnit"],
    ["pointsPerUnit 1001", { pointsPerUnit: 1001 }, "pointsPerUnit"],
    ["pointsPerUnit 1.5", { pointsPerUnit: 1.5 }, "pointsPerUnit"],
    ["unknown basis", { basis: "visits" }, "basis"],
    ["unknown window", { window: "monthly" }, "window"],
  ])("rejects %s", (_label, extra, path) => {
    expect(Object.keys(errorsOf(program([tier("A", 0)], extra)))).toEqual([path]);
  });

  it("reports a non-object under the program key", () => {
    expect(Object.keys(errorsOf(null))).toEqual([PROGRAM_ERROR_KEY]);
  });

  it("names only the offending tier, not the first of a duplicate pair", () => {
    const errors = errorsOf(program([tier("Gold", 0), tier("Silver", 5), tier("GOLD", 10)]));
    expect(Object.keys(errors)).toEqual(["tiers.2.name"]);
  });

  it("exposes the schema for parsing stored JSON", () => {
    expect(LoyaltyProgramSchema.safeParse(DEFAULT_PROGRAM).success).toBe(true);
  });
});
