import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { GOODWILL_POINTS } from "~/domain/followups/actions";
import type { FollowUpActionResult, GoodwillView } from "~/domain/followups/views";
import { GoodwillList } from "./FollowUpWorkLists";

interface GoodwillSectionProps {
  followUpId: number;
  goodwill: GoodwillView[];
  /** The rewards the shop offers (a code is issued from one of them). */
  rewards: { id: number; title: string }[];
  order: string;
  timezone: string;
}

const newKey = () => (typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2, 10)}`);

/**
 * Goodwill from a follow-up (decision 044): what was given (points or a reward code, by whom, why), and a form to give
 * points or a single-use code. Each form carries a key, so a double click grants once.
 */
export function GoodwillSection({ followUpId, goodwill, rewards, order, timezone }: GoodwillSectionProps) {
  const fetcher = useFetcher<FollowUpActionResult>({ key: `followup-goodwill-${followUpId}` });
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<"points" | "code">("points");
  const [points, setPoints] = useState("100");
  const [rewardId, setRewardId] = useState(rewards[0] ? String(rewards[0].id) : "");
  const [reason, setReason] = useState("");
  const [key, setKey] = useState(newKey);
  const saving = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : {};
  const [handled, setHandled] = useState<unknown>(null);
  const [granted, setGranted] = useState<string | null>(null);
  if (result?.ok && handled !== result) {
    setGranted(result.message);
    // Granted: a fresh form (and key) for the next one.
    setHandled(result);
    setOpen(false);
    setReason("");
    setKey(newKey());
  }
  const formId = `followup-${followUpId}-goodwill`;

  return (
    <BlockStack gap="200">
      <GoodwillList goodwill={goodwill} label={`Goodwill given for ${order}`} timezone={timezone} />
      {/* What the last grant came to, announced to screen readers. */}
      <div role="status">{granted ? <Text as="p" tone="success">{granted}</Text> : null}</div>
      <InlineStack>
        <Button variant="plain" onClick={() => setOpen(!open)} ariaExpanded={open} ariaControls={formId} accessibilityLabel={`Give goodwill: ${order}`}>
          {open ? "Close goodwill" : "Give goodwill"}
        </Button>
      </InlineStack>
      {open ? (
        <div id={formId}>
          <fetcher.Form method="post" action="/app/followups">
            <input type="hidden" name="intent" value="goodwill" />
            <input type="hidden" name="id" value={followUpId} />
            <input type="hidden" name="key" value={key} />
            <FormLayout>
              {errors.form || errors.goodwill || errors.reward ? <Banner tone="critical" title={errors.form ?? errors.goodwill ?? errors.reward ?? ""} /> : null}
              <FormLayout.Group>
                <Select
                  label="Give"
                  name="kind"
                  options={[
                    { label: "Loyalty points", value: "points" },
                    { label: "A single-use reward code", value: "code", disabled: rewards.length === 0 },
                  ]}
                  value={kind}
                  onChange={(value) => setKind(value === "code" ? "code" : "points")}
                  helpText={rewards.length === 0 ? "Turn on a reward on the Loyalty page to give a code." : undefined}
                />
                {kind === "points" ? (
                  <TextField
                    label="Points"
                    name="points"
                    type="number"
                    min={GOODWILL_POINTS.min}
                    max={GOODWILL_POINTS.max}
                    value={points}
                    onChange={setPoints}
                    error={errors.points}
                    autoComplete="off"
                  />
                ) : (
                  <Select
                    label="Reward"
                    name="rewardId"
                    options={rewards.map((r) => ({ label: r.title, value: String(r.id) }))}
                    value={rewardId}
                    onChange={setRewardId}
                    error={errors.rewardId}
                  />
                )}
              </FormLayout.Group>
              <TextField
                label="Reason"
                name="reason"
                value={reason}
                onChange={setReason}
                maxLength={200}
                helpText="Shown on the customer's points history and sent to Shopify Flow's “Goodwill granted” when a workflow uses it."
                error={errors.reason}
                autoComplete="off"
              />
              <InlineStack>
                <Button submit variant="primary" loading={saving}>
                  Grant goodwill
                </Button>
              </InlineStack>
            </FormLayout>
          </fetcher.Form>
        </div>
      ) : null}
    </BlockStack>
  );
}
