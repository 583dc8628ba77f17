// Beside its route: the action parses posted forms with it (readProgramForm, validateProgramForm). The editor
// (components/loyalty/ProgramEditor.tsx) imports it too, for the same checks in the browser; that is safe because it
// imports nothing but app/domain, so no server code reaches the browser bundle through it. Keep it so.
import { currencyExponent, InvalidAmountError, minorToDecimal, toMinorUnits } from "~/domain/money";
import { PENDING_DEFAULT } from "~/domain/loyalty/pending";
import { pendingSetting, validateProgram, type LoyaltyProgram, type ProgramValidation } from "~/domain/loyalty/program";

/**
 * The loyalty program as the editor holds it: what the merchant typed, as strings. Spend thresholds are in
 * currency units ("250.00") and become integer minor units by parsing the decimal string (never a float);
 * order thresholds are whole counts. The browser and the server both turn a form into a program with
 * `programFromForm`, then check it with the domain's `validateProgram`, so both report the same errors under
 * the same dotted paths ("tiers.1.threshold").
 */

export const MAX_TIERS = 10;

export type TierForm = {
  /** Stable React key; not part of the program. */
  key: string;
  name: string;
  threshold: string;
  perkText: string;
  discountPercent: string;
  freeShipping: boolean;
  color: string;
};

export type ProgramForm = {
  basis: LoyaltyProgram["basis"];
  window: LoyaltyProgram["window"];
  pointsPerUnit: string;
  tiers: TierForm[];
  /** Points wait out the return window (decision 043), and the longest wait in days. */
  pendingEnabled: boolean;
  pendingMaxDays: string;
};

let keyCounter = 0;
export function newTierKey(): string {
  keyCounter += 1;
  return `tier-${Date.now().toString(36)}-${keyCounter}`;
}

export function formFromProgram(program: LoyaltyProgram, currency: string): ProgramForm {
  return {
    basis: program.basis,
    window: program.window,
    pointsPerUnit: String(program.pointsPerUnit),
    tiers: program.tiers.map((tier, i) => ({
      key: `tier-${i}`,
      name: tier.name,
      threshold: program.basis === "spend" ? minorToDecimal(tier.threshold, currency, { dropZeroFraction: true }) : String(tier.threshold),
      perkText: tier.perks.text,
      discountPercent: tier.perks.discountPercent === null ? "" : String(tier.perks.discountPercent),
      freeShipping: tier.perks.freeShipping,
      color: tier.color,
    })),
    pendingEnabled: pendingSetting(program).enabled,
    pendingMaxDays: String(pendingSetting(program).maxDays),
  };
}

const WHOLE = /^-?\d+$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** The parts of a form that cannot even become numbers, keyed like validateProgram's errors. */
function parseThreshold(text: string, basis: ProgramForm["basis"], currency: string): number | string {
  const value = text.trim();
  if (value === "") return basis === "spend" ? "Enter an amount, e.g. 250" : "Enter a number of orders";
  if (basis === "orders") return WHOLE.test(value) ? Number(value) : "Use a whole number of orders";
  try {
    return toMinorUnits(value, currency);
  } catch (error) {
    if (!(error instanceof InvalidAmountError)) throw error;
    const exponent = currencyExponent(currency);
    if (DECIMAL.test(value)) return exponent === 0 ? `${currency} amounts have no decimals` : `Use at most ${exponent} decimals`;
    return "Enter an amount, e.g. 250 or 250.00";
  }
}

/**
 * Turns the editor's strings into program input for `validateProgram`. Fields that are not numbers at all get
 * an error here (and a placeholder NaN in the input, which the domain rejects too).
 */
export function programFromForm(form: ProgramForm, currency: string): { input: unknown; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const pointsText = form.pointsPerUnit.trim();
  let pointsPerUnit = Number.NaN;
  if (WHOLE.test(pointsText)) pointsPerUnit = Number(pointsText);
  else errors.pointsPerUnit = "Use a whole number of points";

  const tiers = form.tiers.map((tier, i) => {
    const threshold = parseThreshold(tier.threshold, form.basis, currency);
    if (typeof threshold === "string") errors[`tiers.${i}.threshold`] = threshold;
    const discountText = tier.discountPercent.trim();
    let discountPercent: number | null = null;
    if (discountText !== "") {
      if (DECIMAL.test(discountText)) discountPercent = Number(discountText);
      else {
        errors[`tiers.${i}.perks.discountPercent`] = "Enter a percentage, e.g. 10, or leave it empty";
        discountPercent = Number.NaN;
      }
    }
    return {
      name: tier.name,
      threshold: typeof threshold === "number" ? threshold : Number.NaN,
      perks: { text: tier.perkText, discountPercent, freeShipping: tier.freeShipping },
      color: tier.color.trim(),
    };
  });
  const daysText = form.pendingMaxDays.trim();
  let maxDays = Number.NaN;
  if (WHOLE.test(daysText)) maxDays = Number(daysText);
  else errors["pending.maxDays"] = "Use a whole number of days";
  const pending = { enabled: form.pendingEnabled, maxDays };
  return { input: { basis: form.basis, window: form.window, pointsPerUnit, tiers, pending }, errors };
}

/** The form checked exactly as the server checks it: parse, then the domain's validateProgram. */
export function validateProgramForm(form: ProgramForm, currency: string): ProgramValidation {
  const { input, errors } = programFromForm(form, currency);
  const checked = validateProgram(input);
  if (checked.ok && Object.keys(errors).length === 0) return checked;
  return { ok: false, errors: { ...(checked.ok ? {} : checked.errors), ...errors } };
}

/** Reads a posted form defensively (it is untrusted input); null when it does not have the form's shape. */
export function readProgramForm(value: unknown): ProgramForm | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === "string" ? x : null);
  const basis = v.basis === "spend" || v.basis === "orders" ? v.basis : null;
  const window = v.window === "lifetime" || v.window === "rolling12" ? v.window : null;
  const pointsPerUnit = str(v.pointsPerUnit);
  if (!basis || !window || pointsPerUnit === null || !Array.isArray(v.tiers) || v.tiers.length > 50) return null;
  const tiers: TierForm[] = [];
  for (const [i, raw] of v.tiers.entries()) {
    if (typeof raw !== "object" || raw === null) return null;
    const t = raw as Record<string, unknown>;
    const fields = [t.name, t.threshold, t.perkText, t.discountPercent, t.color].map(str);
    const [name, threshold, perkText, discountPercent, color] = fields;
    if (fields.some((f) => f === null) || typeof t.freeShipping !== "boolean") return null;
    tiers.push({
      key: str(t.key) ?? `tier-${i}`,
      name: name ?? "",
      threshold: threshold ?? "",
      perkText: perkText ?? "",
      discountPercent: discountPercent ?? "",
      freeShipping: t.freeShipping,
      color: color ?? "",
    });
  }
  // A form posted without the pending fields (an older page still open) takes the default setting: on, 60 days.
  const pendingMaxDays = str(v.pendingMaxDays) ?? String(PENDING_DEFAULT.maxDays);
  const pendingEnabled = v.pendingEnabled === undefined ? PENDING_DEFAULT.enabled : v.pendingEnabled === true;
  return { basis, window, pointsPerUnit, tiers, pendingEnabled, pendingMaxDays };
}

/** Two forms hold the same program as typed; the tiers' React keys do not count. */
export function sameProgramForm(a: ProgramForm, b: ProgramForm): boolean {
  const typed = (form: ProgramForm) => JSON.stringify({ ...form, tiers: form.tiers.map(({ key: _key, ...tier }) => tier) });
  return typed(a) === typed(b);
}

/**
 * The error keys a change of each program field touches (decision 030: a field's error shows once it was touched or
 * a save was tried). `*` is any one segment. Thresholds are checked against their neighbours and names against every
 * other tier's, so a threshold or name touches all of them: the tier whose order it breaks shows the error too.
 */
export const TOUCHES = {
  basis: ["basis", "tiers.*.threshold"],
  window: ["window"],
  pointsPerUnit: ["pointsPerUnit"],
  pending: ["pending.maxDays"],
  tiers: ["tiers", "tiers.*.threshold", "tiers.*.name"],
  name: ["tiers.*.name"],
  threshold: ["tiers.*.threshold"],
  tier: (index: number, field: "perks.text" | "perks.discountPercent" | "perks.freeShipping" | "color") => [`tiers.${index}.${field}`],
} as const;
