import { describe, expect, it } from "vitest";
import { DEFAULT_PROGRAM, LoyaltyProgramSchema, PROGRAM_ERROR_KEY, pendingSetting, tierSlug, tierTag, validateProgram } from "./program";

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
    expect(errorsOf(null)).toEqual({ program: "Expected object, received null" });
    expect(errorsOf("spend")).toEqual({ program: "Expected object, received string" });
  });

  it("names only the offending tier, not the first of a duplicate pair", () => {
    const errors = errorsOf(program([tier("Gold", 0), tier("Silver", 5), tier("GOLD", 10)]));
    expect(Object.keys(errors)).toEqual(["tiers.2.name"]);
  });

  it("exposes the schema for parsing stored JSON", () => {
    expect(LoyaltyProgramSchema.safeParse(DEFAULT_PROGRAM).success).toBe(true);
  });
});

describe("tierSlug: every letter folded, every ASCII letter and digit kept", () => {
  it.each([
    ["Æther", "aether"],
    ["Œuvre", "oeuvre"],
    ["Ørsted", "orsted"],
    ["Łódź", "lodz"],
    ["Đakovo", "dakovo"],
    ["Ðorn", "dorn"],
    ["Þór", "thor"],
    ["STRASSE ß", "strasse-ss"],
    ["æ œ ø ł đ ð þ ß", "ae-oe-o-l-d-d-th-ss"],
    ["Zebra Azure", "zebra-azure"],
    ["Top 0 to 9", "top-0-to-9"],
    ["abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz0123456789"],
    ["-a-", "a"],
    ["a - - b", "a-b"],
    ["ﬁne", "fine"], // NFKD, not NFD: the ligature is two letters
    ["Ｇold", "gold"], // full-width G
    ["Café", "cafe"],
    ["Cafe\u0301", "cafe"], // combining accent
  ])("%j → %j", (name, slug) => {
    expect(tierSlug(name)).toBe(slug);
  });
});

describe("DEFAULT_PROGRAM: what a new shop starts with", () => {
  it("is exactly Bronze / Silver / Gold on lifetime spend, 1 point per unit, points pending for at most 60 days", () => {
    expect(DEFAULT_PROGRAM).toEqual({
      basis: "spend",
      window: "lifetime",
      pointsPerUnit: 1,
      pending: { enabled: true, maxDays: 60 },
      tiers: [
        {
          name: "Bronze",
          threshold: 0,
          perks: { text: "Early access to sales and members-only offers", discountPercent: null, freeShipping: false },
          color: "#A97142",
        },
        { name: "Silver", threshold: 25000, perks: { text: "5% off every order", discountPercent: 5, freeShipping: false }, color: "#8A8D91" },
        {
          name: "Gold",
          threshold: 100000,
          perks: { text: "10% off every order and free shipping", discountPercent: 10, freeShipping: true },
          color: "#C9A227",
        },
      ],
    });
  });
});

describe("pendingSetting: a programme without the setting holds points", () => {
  it("is on with a 60-day longest wait when the programme has no setting", () => {
    expect(pendingSetting({})).toEqual({ enabled: true, maxDays: 60 });
  });

  it("is the programme's own setting when it has one", () => {
    expect(pendingSetting({ pending: { enabled: false, maxDays: 12 } })).toEqual({ enabled: false, maxDays: 12 });
  });
});

describe("validateProgram: each refusal says why, exactly", () => {
  const surrogate = "\ud800";
  it.each([
    ["fractional discount", [{ ...tier("A", 0), perks: { text: "", discountPercent: 5.5 } }], "tiers.0.perks.discountPercent", "Use a whole percentage"],
    ["discount 0", [{ ...tier("A", 0), perks: { text: "", discountPercent: 0 } }], "tiers.0.perks.discountPercent", "A discount must be at least 1%"],
    ["discount 101", [{ ...tier("A", 0), perks: { text: "", discountPercent: 101 } }], "tiers.0.perks.discountPercent", "A discount cannot exceed 100%"],
    ["long perk text", [{ ...tier("A", 0), perks: { text: "x".repeat(201) } }], "tiers.0.perks.text", "Keep the perk text to 200 characters or fewer"],
    ["perk text with a lone surrogate", [{ ...tier("A", 0), perks: { text: `a${surrogate}` } }], "tiers.0.perks.text", "Contains characters that are not valid text"],
    ["blank name", [tier("   ", 0)], "tiers.0.name", "Give the tier a name"],
    ["41-char name", [tier("x".repeat(41), 0)], "tiers.0.name", "Keep the name to 40 characters or fewer"],
    ["name with a lone surrogate", [tier(`Gold${surrogate}`, 0)], "tiers.0.name", "Contains characters that are not valid text"],
    ["fractional threshold", [tier("A", 1.5)], "tiers.0.threshold", "Use a whole number"],
    ["negative fractional threshold: the first message", [tier("A", -1.5)], "tiers.0.threshold", "Use a whole number"],
    ["negative threshold", [tier("A", -1)], "tiers.0.threshold", "The threshold cannot be negative"],
    ["threshold beyond 2^53 - 1", [tier("A", 2 ** 53)], "tiers.0.threshold", "The threshold is too large"],
    ["bad colour", [{ ...tier("A", 0), color: "#12345" }], "tiers.0.color", "Use a hex colour like #C9A227"],
    ["empty tier list", [], "tiers", "Add at least one tier"],
    ["11 tiers", Array.from({ length: 11 }, (_, i) => tier(`T${i}`, i)), "tiers", "A program can have at most 10 tiers"],
    ["equal thresholds", [tier("Bronze", 0), tier("Silver", 0)], "tiers.1.threshold", 'Must be higher than the threshold of the previous tier "Bronze"'],
    ["same tag", [tier("Gold", 0), tier("GOLD!", 10)], "tiers.1.name", '"GOLD!" gives the same customer tag (afterglow-tier-gold) as "Gold"; choose another name'],
  ])("%s", (_label, tiers, path, message) => {
    expect(errorsOf(program(tiers))).toEqual({ [path]: message });
  });

  it.each([
    ["pointsPerUnit -1", { pointsPerUnit: -1 }, "Points per unit cannot be negative"],
    ["pointsPerUnit 1001", { pointsPerUnit: 1001 }, "At most 1000 points per unit"],
    ["pointsPerUnit 1.5", { pointsPerUnit: 1.5 }, "Use a whole number of points"],
  ])("%s", (_label, extra, message) => {
    expect(errorsOf(program([tier("A", 0)], extra))).toEqual({ pointsPerUnit: message });
  });

  it("accepts the largest threshold and 100% off", () => {
    const input = program([{ ...tier("A", Number.MAX_SAFE_INTEGER), perks: { text: "All", discountPercent: 100, freeShipping: true } }]);
    expect(validateProgram(input)).toEqual({ ok: true, program: input });
  });

  it.each([["#09afAF"], ["#000000"], ["#ffffff"], ["#FFFFFF"], ["#a1B2c3"], ["#999999"]])("accepts the colour %s", (color) => {
    expect(validateProgram(program([{ ...tier("A", 0), color }])).ok).toBe(true);
  });

  it.each([["#1234567"], ["x#123456"], ["123456"], ["#12345g"], ["#GGGGGG"], [" #123456"], ["#123456 "], ["##12345"], ["#12 456"]])("refuses the colour %j", (color) => {
    expect(errorsOf(program([{ ...tier("A", 0), color }]))).toEqual({ "tiers.0.color": "Use a hex colour like #C9A227" });
  });

  it("reports every offending tier, each once", () => {
    const errors = errorsOf(program([tier("Gold", 10), tier("Silver", 5), tier("gold", 20), tier("Bronze", 20)]));
    expect(errors).toEqual({
      "tiers.1.threshold": 'Must be higher than the threshold of the previous tier "Gold"',
      "tiers.2.name": '"gold" gives the same customer tag (afterglow-tier-gold) as "Gold"; choose another name',
      "tiers.3.threshold": 'Must be higher than the threshold of the previous tier "gold"',
    });
  });
});
