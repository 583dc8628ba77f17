import { z } from "zod";
import { INVALID_TEXT_MESSAGE, isStorableText } from "../text";
import { MARK_ACTIONS, RECOVERY_STATUSES } from "./rules";

/**
 * What staff can do on the follow-ups page, as posted by its forms (every value a string). One schema per
 * intent; `parseFollowUpAction` turns zod's issues into one message per field.
 */

export const MAX_OWNER_LENGTH = 100;
export const MAX_NOTES_LENGTH = 2000;

const id = (what: string) =>
  z
    .string({ required_error: `Missing ${what}` })
    .trim()
    .regex(/^\d{1,12}$/, `Not a valid ${what}`)
    .transform(Number);

/** Owner: free text on one line, trimmed; empty clears it. */
const owner = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .max(MAX_OWNER_LENGTH, `Keep the owner to ${MAX_OWNER_LENGTH} characters`)
      .refine((s) => !/[\r\n]/.test(s), "Put the owner on one line")
      .refine(isStorableText, INVALID_TEXT_MESSAGE),
  )
  .transform((s) => s || null);

/**
 * Notes: browsers send textarea line breaks as CRLF; counted as one character each, as the field shows them. Text
 * the database cannot store (a lone surrogate, NUL) is refused, as in every other parser.
 */
const notes = z
  .string()
  .transform((s) => s.replace(/\r\n?/g, "\n").trim())
  .pipe(
    z
      .string()
      .max(MAX_NOTES_LENGTH, `Keep the notes to ${MAX_NOTES_LENGTH.toLocaleString("en-US")} characters`)
      .refine(isStorableText, INVALID_TEXT_MESSAGE),
  )
  .transform((s) => s || null);

const status = z.enum(RECOVERY_STATUSES, { errorMap: () => ({ message: "Choose open, contacted or resolved" }) });
const markAction = z.enum(MARK_ACTIONS, { errorMap: () => ({ message: "Choose thank-you or review request" }) });

/** A staff member picked as owner: Shopify's user id (digits); empty clears the owner. */
const ownerUserId = z
  .string()
  .trim()
  .regex(/^(\d{1,20})?$/, "Choose a staff member from the list")
  .transform((s) => s || null);

const FollowUpUpdateSchema = z
  .object({
    intent: z.literal("update"),
    id: id("follow-up"),
    status: status.optional(),
    ownerUserId: ownerUserId.optional(),
    // Free-text owner and unauthored notes: the form before decision 044, still accepted; the page picks staff and adds notes.
    owner: owner.optional(),
    notes: notes.optional(),
  })
  .refine((u) => u.status !== undefined || u.owner !== undefined || u.ownerUserId !== undefined || u.notes !== undefined, {
    message: "Nothing to change",
    path: ["form"],
  });

/** A note with its author (decision 044): 1 to 2,000 characters. */
const FollowUpNoteSchema = z.object({
  intent: z.literal("note"),
  id: id("follow-up"),
  body: notes.pipe(z.string({ invalid_type_error: "Write the note first" })),
});

export const GOODWILL_POINTS = { min: 1, max: 100_000 } as const;
const GOODWILL_REASON = { min: 3, max: 200 } as const;

const goodwillReason = z
  .string({ required_error: "Give a reason" })
  .transform((s) => s.replace(/\r\n?/g, "\n").trim())
  .pipe(
    z
      .string()
      .min(GOODWILL_REASON.min, `Give a reason (at least ${GOODWILL_REASON.min} characters)`)
      .max(GOODWILL_REASON.max, `Keep the reason to ${GOODWILL_REASON.max} characters`)
      .refine(isStorableText, INVALID_TEXT_MESSAGE),
  );

/** The form's key: a repeated post of one form (a double click, a retry) grants once. */
const formKey = z.string({ required_error: "Missing form key; reload the page" }).regex(/^[A-Za-z0-9-]{8,64}$/, "Not a valid form key; reload the page");

const FollowUpGoodwillSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({
      intent: z.literal("goodwill"),
      kind: z.literal("points"),
      id: id("follow-up"),
      points: z
        .string({ required_error: "Enter the points" })
        .trim()
        .regex(/^\d{1,6}$/, `Enter whole points from ${GOODWILL_POINTS.min} to ${GOODWILL_POINTS.max.toLocaleString("en-US")}`)
        .transform(Number)
        .refine((n) => n >= GOODWILL_POINTS.min && n <= GOODWILL_POINTS.max, `Enter whole points from ${GOODWILL_POINTS.min} to ${GOODWILL_POINTS.max.toLocaleString("en-US")}`),
      reason: goodwillReason,
      key: formKey,
    }),
    z.object({
      intent: z.literal("goodwill"),
      kind: z.literal("code"),
      id: id("follow-up"),
      rewardId: id("reward").refine((n) => n > 0, "Choose a reward"),
      reason: goodwillReason,
      key: formKey,
    }),
  ],
  { errorMap: () => ({ message: "Choose points or a reward code" }) },
);

const FollowUpSettingsSchema = z.object({
  intent: z.literal("settings"),
  responseTargetHours: z.string({ required_error: "Enter the response-time target" }),
});

const FollowUpMarkSchema = z.object({
  intent: z.enum(["mark", "unmark"]),
  responseId: id("answer"),
  action: markAction,
});

export type FollowUpUpdate = z.infer<typeof FollowUpUpdateSchema>;
export type FollowUpMark = z.infer<typeof FollowUpMarkSchema>;
export type FollowUpNote = z.infer<typeof FollowUpNoteSchema>;
export type FollowUpGoodwill = z.infer<typeof FollowUpGoodwillSchema>;
export type FollowUpSettingsInput = z.infer<typeof FollowUpSettingsSchema>;
type FollowUpAction = FollowUpUpdate | FollowUpMark | FollowUpNote | FollowUpGoodwill | FollowUpSettingsInput;

const SCHEMAS: Record<string, z.ZodType<FollowUpAction, z.ZodTypeDef, unknown>> = {
  update: FollowUpUpdateSchema,
  mark: FollowUpMarkSchema,
  unmark: FollowUpMarkSchema,
  note: FollowUpNoteSchema,
  goodwill: FollowUpGoodwillSchema,
  settings: FollowUpSettingsSchema,
};

type ParsedAction = { ok: true; action: FollowUpAction } | { ok: false; errors: Record<string, string> };

function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
  return errors;
}

/** Reads one posted action: `intent` picks the schema; fields that are not strings count as absent. */
export function parseFollowUpAction(input: Record<string, unknown>): ParsedAction {
  const fields = Object.fromEntries(Object.entries(input).filter(([, v]) => typeof v === "string"));
  const schema = typeof fields.intent === "string" && Object.hasOwn(SCHEMAS, fields.intent) ? SCHEMAS[fields.intent] : null;
  if (!schema) return { ok: false, errors: { intent: "Unknown action" } };
  const parsed = schema.safeParse(fields);
  return parsed.success ? { ok: true, action: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}
