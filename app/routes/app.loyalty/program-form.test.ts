import { describe, expect, it } from "vitest";
import { DEFAULT_PROGRAM } from "~/domain/loyalty/program";
import { errorsToShow } from "~/components/use-dirty-form";
import { formFromProgram, programFromForm, readProgramForm, sameProgramForm, TOUCHES, validateProgramForm, type ProgramForm } from "./program-form";

const form = (patch: (f: ProgramForm) => ProgramForm = (f) => f) => patch(formFromProgram(DEFAULT_PROGRAM, "USD"));
const withThreshold = (index: number, threshold: string) =>
  form((f) => ({ ...f, tiers: f.tiers.map((t, i) => (i === index ? { ...t, threshold } : t)) }));

describe("program form ⇄ program", () => {
  it("round-trips the default program, thresholds in currency units", () => {
    const f = form();
    expect(f.tiers.map((t) => t.threshold)).toEqual(["0", "250", "1000"]);
    const checked = validateProgramForm(f, "USD");
    expect(checked).toEqual({ ok: true, program: DEFAULT_PROGRAM });
  });

  it("carries the pending-points setting both ways (decision 043)", () => {
    const on = form((f) => ({ ...f, pendingEnabled: true, pendingMaxDays: " 45 " }));
    expect(validateProgramForm(on, "USD")).toEqual({ ok: true, program: { ...DEFAULT_PROGRAM, pending: { enabled: true, maxDays: 45 } } });
    expect(formFromProgram({ ...DEFAULT_PROGRAM, pending: { enabled: true, maxDays: 45 } }, "USD")).toMatchObject({ pendingEnabled: true, pendingMaxDays: "45" });
    // A programme stored without the setting: on, 60 days (the default).
    const { pending: _pending, ...older } = DEFAULT_PROGRAM;
    expect(formFromProgram(older, "USD")).toMatchObject({ pendingEnabled: true, pendingMaxDays: "60" });
    // Turned off, it stays off both ways.
    const off = form((f) => ({ ...f, pendingEnabled: false }));
    expect(validateProgramForm(off, "USD")).toEqual({ ok: true, program: { ...DEFAULT_PROGRAM, pending: { enabled: false, maxDays: 60 } } });
  });

  it.each([
    ["", "Use a whole number of days"],
    ["4.5", "Use a whole number of days"],
    ["0", "Wait at least 1 day"],
    ["366", "Wait at most 365 days"],
  ])("rejects a longest wait of %j with %j", (text, message) => {
    const checked = validateProgramForm(form((f) => ({ ...f, pendingEnabled: true, pendingMaxDays: text })), "USD");
    expect(checked).toEqual({ ok: false, errors: { "pending.maxDays": message } });
  });

  it("reads a posted form without the pending fields (a page opened before them) as the default setting, on", () => {
    const { pendingEnabled: _enabled, pendingMaxDays: _days, ...posted } = form();
    expect(readProgramForm(posted)).toMatchObject({ pendingEnabled: true, pendingMaxDays: "60" });
    expect(readProgramForm({ ...posted, pendingEnabled: false, pendingMaxDays: "30" })).toMatchObject({ pendingEnabled: false, pendingMaxDays: "30" });
    expect(readProgramForm({ ...posted, pendingEnabled: true, pendingMaxDays: "30" })).toMatchObject({ pendingEnabled: true, pendingMaxDays: "30" });
  });

  it.each([
    ["349.99", "USD", 34999],
    ["0.1", "USD", 10],
    ["1000.000", "USD", 100000],
    [" 12 ", "USD", 1200],
    ["1500", "JPY", 1500],
  ])("parses %s %s as %i minor units without floats", (text, currency, minor) => {
    const { input, errors } = programFromForm({ ...withThreshold(2, text) }, currency);
    expect(errors).toEqual({});
    expect((input as { tiers: { threshold: number }[] }).tiers[2]?.threshold).toBe(minor);
  });

  it.each([
    ["", "Enter an amount, e.g. 250"],
    ["12,50", "Enter an amount, e.g. 250 or 250.00"],
    ["$12", "Enter an amount, e.g. 250 or 250.00"],
    ["1e3", "Enter an amount, e.g. 250 or 250.00"],
    ["10.005", "Use at most 2 decimals"],
  ])("rejects threshold %j with %j", (text, message) => {
    const checked = validateProgramForm(withThreshold(2, text), "USD");
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors["tiers.2.threshold"]).toBe(message);
  });

  it("reports the domain's errors under the same paths (order, negative, discount, colour, points)", () => {
    const f = form((x) => ({
      ...x,
      pointsPerUnit: "1.5",
      tiers: x.tiers.map((t, i) =>
        i === 1 ? { ...t, threshold: "-5" } : i === 2 ? { ...t, discountPercent: "150", color: "gold" } : t,
      ),
    }));
    const checked = validateProgramForm(f, "USD");
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toMatchObject({
      pointsPerUnit: "Use a whole number of points",
      "tiers.1.threshold": "The threshold cannot be negative",
      "tiers.2.perks.discountPercent": "A discount cannot exceed 100%",
      "tiers.2.color": "Use a hex colour like #C9A227",
    });
    const ordered = validateProgramForm(withThreshold(2, "200"), "USD");
    expect(ordered.ok ? null : ordered.errors["tiers.2.threshold"]).toMatch(/previous tier "Silver"/);
  });

  it("orders basis: whole counts", () => {
    const f = form((x) => ({ ...x, basis: "orders", tiers: x.tiers.map((t, i) => ({ ...t, threshold: String(i * 5) })) }));
    const checked = validateProgramForm(f, "USD");
    expect(checked.ok && checked.program.tiers.map((t) => t.threshold)).toEqual([0, 5, 10]);
    expect(validateProgramForm({ ...f, tiers: f.tiers.map((t, i) => (i === 1 ? { ...t, threshold: "2.5" } : t)) }, "USD")).toMatchObject({
      ok: false,
      errors: { "tiers.1.threshold": "Use a whole number of orders" },
    });
  });

  it("reads a posted form defensively", () => {
    expect(readProgramForm(JSON.parse(JSON.stringify(form())))).toEqual(form());
    expect(readProgramForm(null)).toBeNull();
    expect(readProgramForm({ ...form(), basis: "vibes" })).toBeNull();
    expect(readProgramForm({ ...form(), tiers: [{ name: 1 }] })).toBeNull();
  });

  it("compares forms by what is typed, not by the tiers' React keys", () => {
    const rekeyed = { ...form(), tiers: form().tiers.map((t, i) => ({ ...t, key: `new-${i}` })) };
    expect(sameProgramForm(form(), rekeyed)).toBe(true);
    expect(sameProgramForm(form(), { ...rekeyed, pointsPerUnit: "2" })).toBe(false);
    expect(sameProgramForm(form(), { ...form(), tiers: [...form().tiers].reverse() })).toBe(false);
  });

  it("a threshold's change touches every threshold: the tier it puts out of order shows its error", () => {
    const f = form((x) => ({ ...x, tiers: x.tiers.map((t, i) => (i === 1 ? { ...t, threshold: "5000" } : t)) }));
    const checked = validateProgramForm(f, "USD");
    const errors = checked.ok ? {} : checked.errors;
    expect(Object.keys(errors)).toEqual(["tiers.2.threshold"]);
    expect(errorsToShow(errors, new Set(TOUCHES.threshold), false)).toEqual(errors);
    expect(errorsToShow(errors, new Set(TOUCHES.name), false)).toEqual({});
  });
});
