import { z } from "zod";
import { INVALID_TEXT_MESSAGE, isWellFormedText } from "../text";
import { PENDING_MAX_DAYS_LIMIT, PENDING_DEFAULT, type PendingSetting } from "./pending";

/**
 * The loyalty program a shop configures: how customers qualify (spend or order count, lifetime or the last
 * 12 months), how many points an order earns, and the tiers. This schema is the single source of truth for
 * the shape; stored JSON and admin form input both go through `validateProgram`.
 */

const TierPerksSchema = z.object({
  text: z.string().trim().max(200, "Keep the perk text to 200 characters or fewer").refine(isWellFormedText, INVALID_TEXT_MESSAGE),
  discountPercent: z
    .number()
    .int("Use a whole percentage")
    .min(1, "A discount must be at least 1%")
    .max(100, "A discount cannot exceed 100%")
    .nullable()
    .default(null),
  freeShipping: z.boolean().default(false),
});

const TierSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the tier a name")
    .max(40, "Keep the name to 40 characters or fewer")
    .refine(isWellFormedText, INVALID_TEXT_MESSAGE),
  /** Minor units of the shop currency when basis = "spend", an order count when basis = "orders". */
  threshold: z
    .number()
    .int("Use a whole number")
    .min(0, "The threshold cannot be negative")
    .max(Number.MAX_SAFE_INTEGER, "The threshold is too large"),
  perks: TierPerksSchema,
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use a hex colour like #C9A227"),
});

export const LoyaltyProgramSchema = z
  .object({
    basis: z.enum(["spend", "orders"]),
    window: z.enum(["lifetime", "rolling12"]),
    pointsPerUnit: z
      .number()
      .int("Use a whole number of points")
      .min(0, "Points per unit cannot be negative")
      .max(1000, "At most 1000 points per unit"),
    tiers: z.array(TierSchema).min(1, "Add at least one tier").max(10, "A program can have at most 10 tiers"),
    /** Points wait out the return window (docs/decisions/043-pending-points.md); absent: on, 60 days. */
    pending: z
      .object({
        enabled: z.boolean(),
        maxDays: z
          .number()
          .int("Use a whole number of days")
          .min(1, "Wait at least 1 day")
          .max(PENDING_MAX_DAYS_LIMIT, `Wait at most ${PENDING_MAX_DAYS_LIMIT} days`),
      })
      .optional(),
  })
  .superRefine((program, ctx) => {
    const slugOwners = new Map<string, string>();
    program.tiers.forEach((tier, i) => {
      const previous = program.tiers[i - 1];
      if (previous && tier.threshold <= previous.threshold) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["tiers", i, "threshold"],
          message: `Must be higher than the threshold of the previous tier "${previous.name}"`,
        });
      }
      const slug = tierSlug(tier.name);
      const owner = slugOwners.get(slug);
      if (owner !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["tiers", i, "name"],
          message: `"${tier.name}" gives the same customer tag (${tierTag(slug)}) as "${owner}"; choose another name`,
        });
      } else {
        slugOwners.set(slug, tier.name);
      }
    });
  });

export type Tier = z.infer<typeof TierSchema>;
export type LoyaltyProgram = z.infer<typeof LoyaltyProgramSchema>;

/** Letters that NFKD does not decompose into ASCII. */
const FOLD: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", ð: "d", þ: "th" };

/** A stable, ASCII, URL- and tag-safe key for a tier name: "Très Chic!" → "tres-chic"; "" → "tier". */
export function tierSlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[ßæœøłđðþ]/g, (ch) => FOLD[ch] ?? ch) // every letter of the class is in FOLD
    .replace(/[^a-z0-9]+/g, "-") // runs collapse to one "-", so at most one leads and one trails
    .replace(/^-|-$/g, "");
  return slug || "tier";
}

/** The Shopify customer tag that mirrors membership of a tier. */
export function tierTag(slug: string): string {
  return `afterglow-tier-${slug}`;
}

export const DEFAULT_PROGRAM: LoyaltyProgram = {
  basis: "spend",
  window: "lifetime",
  pointsPerUnit: 1,
  // On, as the issue asks; the Loyalty page turns it off (docs/decisions/043-pending-points.md).
  pending: PENDING_DEFAULT,
  tiers: [
    {
      name: "Bronze",
      threshold: 0,
      perks: { text: "Early access to sales and members-only offers", discountPercent: null, freeShipping: false },
      color: "#A97142",
    },
    {
      name: "Silver",
      threshold: 25000,
      perks: { text: "5% off every order", discountPercent: 5, freeShipping: false },
      color: "#8A8D91",
    },
    {
      name: "Gold",
      threshold: 100000,
      perks: { text: "10% off every order and free shipping", discountPercent: 10, freeShipping: true },
      color: "#C9A227",
    },
  ],
};

/** The programme's pending-points setting (on, 60 days, when it has none). */
export function pendingSetting(program: Pick<LoyaltyProgram, "pending">): PendingSetting {
  return program.pending ?? PENDING_DEFAULT;
}

export type ProgramValidation = { ok: true; program: LoyaltyProgram } | { ok: false; errors: Record<string, string> };

/** Key used in `errors` for problems with the input as a whole (e.g. not an object). */
export const PROGRAM_ERROR_KEY = "program";

/** Parses untrusted input; errors are keyed by dotted path ("tiers.1.threshold"), first message per path. */
export function validateProgram(input: unknown): ProgramValidation {
  const result = LoyaltyProgramSchema.safeParse(input);
  if (result.success) return { ok: true, program: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : PROGRAM_ERROR_KEY;
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}
