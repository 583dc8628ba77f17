import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { MAX_NOTES_LENGTH } from "~/domain/followups/actions";
import type { FollowUpActionResult, FollowUpNoteView } from "~/domain/followups/views";
import { NoteList } from "./FollowUpWorkLists";

interface NotesSectionProps {
  followUpId: number;
  noteLog: FollowUpNoteView[];
  /** Notes written before authors were kept (one text). */
  legacyNotes: string | null;
  order: string;
  timezone: string;
}

/** A follow-up's notes, each with who wrote it and when, and a field to add one (decision 044). */
export function NotesSection({ followUpId, noteLog, legacyNotes, order, timezone }: NotesSectionProps) {
  const fetcher = useFetcher<FollowUpActionResult>({ key: `followup-note-${followUpId}` });
  const [body, setBody] = useState("");
  const saving = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const error = result && !result.ok ? (result.errors.body ?? Object.values(result.errors)[0]) : undefined;
  const [lastSaved, setLastSaved] = useState<unknown>(null);
  const [open, setOpen] = useState(false);
  // A saved note closes the field once (the list above now shows it).
  if (result?.ok && lastSaved !== result) {
    setLastSaved(result);
    setBody("");
    setOpen(false);
  }
  const formId = `followup-${followUpId}-note`;

  return (
    <BlockStack gap="200">
      {legacyNotes ? (
        <div style={{ whiteSpace: "pre-wrap" }}>
          <Text as="p" breakWord>
            <Text as="span" tone="subdued">
              {"Notes: "}
            </Text>
            {legacyNotes}
          </Text>
        </div>
      ) : null}
      <NoteList notes={noteLog} label={`Notes on ${order}`} timezone={timezone} />
      <InlineStack>
        <Button variant="plain" onClick={() => setOpen(!open)} ariaExpanded={open} ariaControls={formId} accessibilityLabel={`${open ? "Close the note" : "Add a note"}: ${order}`}>
          {open ? "Close the note" : "Add a note"}
        </Button>
      </InlineStack>
      {open ? (
        <div id={formId}>
          <fetcher.Form method="post" action="/app/followups">
            <input type="hidden" name="intent" value="note" />
            <input type="hidden" name="id" value={followUpId} />
            <BlockStack gap="200">
              <TextField
                label="Note"
                name="body"
                value={body}
                onChange={setBody}
                multiline={2}
                maxLength={MAX_NOTES_LENGTH}
                placeholder="What was said, what was agreed"
                helpText="Kept with your name and the time. Erased if the customer asks Shopify to delete their data."
                error={error}
                autoComplete="off"
              />
              <InlineStack>
                <Button submit variant="primary" loading={saving} disabled={body.trim() === ""} accessibilityLabel={`Save note: ${order}`}>
                  Save note
                </Button>
              </InlineStack>
            </BlockStack>
          </fetcher.Form>
        </div>
      ) : null}
    </BlockStack>
  );
}
