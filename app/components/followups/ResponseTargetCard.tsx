import { useFetcher } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Text, TextField, Button } from "@shopify/polaris";
import { FormSaveBar } from "~/components/SaveBar";
import { useDirtyForm } from "~/components/use-dirty-form";
import { parseResponseTarget } from "~/domain/followups/contact";
import type { FollowUpActionResult } from "~/domain/followups/views";

interface ResponseTargetCardProps {
  /** The saved target in hours. */
  hours: number;
  /** Open follow-ups past it now. */
  overdue: number;
}

const same = (a: string, b: string) => a.trim() === b.trim();

/**
 * The shop's response-time target (decision 044): contact an unhappy customer within so many hours of their answer.
 * Saved with the save bar like the other settings; the field says what is wrong as the merchant types.
 */
export function ResponseTargetCard({ hours, overdue }: ResponseTargetCardProps) {
  const fetcher = useFetcher<FollowUpActionResult>({ key: "followups-settings" });
  const editor = useDirtyForm(String(hours), same);
  const saving = fetcher.state !== "idle";
  const checked = parseResponseTarget(editor.value);
  const serverError = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.errors.responseTargetHours : undefined;
  const errors: Record<string, string> = checked.ok ? {} : { responseTargetHours: checked.error };
  const error = editor.shown(errors).responseTargetHours ?? serverError;

  const save = () => {
    editor.attempt();
    if (!checked.ok) return;
    fetcher.submit({ intent: "settings", responseTargetHours: String(checked.hours) }, { method: "post", action: "/app/followups" });
  };

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Response-time target
        </Text>
        <FormSaveBar id="followups-target-save-bar" dirty={editor.dirty} saving={saving} onSave={save} onDiscard={editor.discard} />
        <InlineStack gap="300" blockAlign="end">
          <div style={{ maxWidth: "14rem" }}>
            <TextField
              label="Contact an unhappy customer within"
              type="number"
              min={1}
              max={720}
              suffix="hours"
              autoComplete="off"
              value={editor.value}
              onChange={(value) => editor.setValue(value, ["responseTargetHours"])}
              onBlur={() => editor.touch("responseTargetHours")}
              error={error}
            />
          </div>
          <Button onClick={save} loading={saving} disabled={!editor.dirty}>
            Save target
          </Button>
        </InlineStack>
        <Text as="p" tone="subdued">
          {overdue === 0
            ? "No open follow-up is past the target."
            : `${overdue.toLocaleString("en-US")} open ${overdue === 1 ? "follow-up is" : "follow-ups are"} past the target: each is marked Overdue and counted in the navigation.`}{" "}
          The target counts hours from the answer, around the clock, the same instant whatever the shop&apos;s time zone
          (dates are shown in the shop&apos;s time zone). Weekends and business hours are not left out.
        </Text>
      </BlockStack>
    </Card>
  );
}
