import { Text } from "@shopify/polaris";
import { formatDateTime } from "~/domain/dates";
import type { FollowUpNoteView, GoodwillView } from "~/domain/followups/views";

/**
 * What staff did on a follow-up beyond its status (decision 044), as the follow-ups page and the customer page list
 * it: the notes with who wrote them and when, and the goodwill given with its state.
 */

const LIST_STYLE = { margin: 0, padding: 0, listStyle: "none" } as const;

/** A follow-up's notes, oldest first: author, time, text. */
export function NoteList({ notes, label, timezone }: { notes: FollowUpNoteView[]; label: string; timezone: string }) {
  if (!notes.length) return null;
  return (
    <ul aria-label={label} style={LIST_STYLE}>
      {notes.map((note) => (
        <li key={note.id} data-note-id={note.id} style={{ whiteSpace: "pre-wrap" }}>
          <Text as="p" breakWord>
            <Text as="span" tone="subdued">
              {`${note.author ?? "Staff"}, `}
              <time dateTime={note.createdAt}>{formatDateTime(note.createdAt, timezone)}</time>
              {": "}
            </Text>
            {note.body}
          </Text>
        </li>
      ))}
    </ul>
  );
}

/** What was given and where it stands: points, or a reward code (with the code once Shopify holds it). */
function describeGoodwill(g: GoodwillView): string {
  const what = g.kind === "points" ? `${(g.points ?? 0).toLocaleString("en-US")} points` : `${g.reward ?? "Reward"}${g.code ? ` (code ${g.code})` : ""}`;
  switch (g.status) {
    case "pending":
      return `${what}, waiting for Shopify`;
    case "refused":
      return `${what}, refused by Shopify${g.refusal ? `: ${g.refusal}` : ""}`;
    case "used":
      return `${what}, used`;
    case "expired":
      return `${what}, expired unused`;
    default:
      return what;
  }
}

/** The goodwill given on a follow-up, oldest first: what, its state, why, by whom and when. */
export function GoodwillList({ goodwill, label, timezone }: { goodwill: GoodwillView[]; label: string; timezone: string }) {
  if (!goodwill.length) return null;
  return (
    <ul aria-label={label} style={LIST_STYLE}>
      {goodwill.map((g) => (
        <li key={g.id} data-goodwill-id={g.id} data-status={g.status}>
          <Text as="p" breakWord>
            <Text as="span" tone="subdued">
              {"Goodwill: "}
            </Text>
            {`${describeGoodwill(g)} — ${g.reason}`}
            <Text as="span" tone="subdued">
              {` (${g.staff ?? "Staff"}, `}
              <time dateTime={g.createdAt}>{formatDateTime(g.createdAt, timezone)}</time>
              {")"}
            </Text>
          </Text>
        </li>
      ))}
    </ul>
  );
}
