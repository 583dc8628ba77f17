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

const FollowUpUpdateSchema = z
  .object({
    intent: z.literal("update"),
    id: id("follow-up"),
    status: status.optional(),
    owner: owner.optional(),
    notes: notes.optional(),
  })
  .refine((u) => u.status !== undefined || u.owner !== undefined || u.notes !== undefined, {
    message: "Nothing to change",
    path: ["form"],
  });

const FollowUpMarkSchema = z.object({
  intent: z.enum(["mark", "unmark"]),
  responseId: id("answer"),
  action: markAction,
});

export type FollowUpUpdate = z.infer<typeof FollowUpUpdateSchema>;
export type FollowUpMark = z.infer<typeof FollowUpMarkSchema>;
type FollowUpAction = FollowUpUpdate | FollowUpMark;

type ParsedAction = { ok: true; action: FollowUpAction } | { ok: false; errors: Record<string, string> };

function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
  return errors;
}

/** Reads one posted action: `intent` picks the schema; fields that are not strings count as absent. */
export function parseFollowUpAction(input: Record<string, unknown>): ParsedAction {
  const fields = Object.fromEntries(Object.entries(input).filter(([, v]) => typeof v === "string"));
  const schema = fields.intent === "update" ? FollowUpUpdateSchema : fields.intent === "mark" || fields.intent === "unmark" ? FollowUpMarkSchema : null;
  if (!schema) return { ok: false, errors: { intent: "Unknown action" } };
  const parsed = schema.safeParse(fields);
  return parsed.success ? { ok: true, action: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}
