import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { MAX_ANSWER_WINDOW_DAYS, MIN_ANSWER_WINDOW_DAYS, parseAnswerWindowDays } from "~/domain/survey/answer-integrity";

type WindowResult = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * How long after an order its survey is open (decision 022): answers to orders placed longer ago are refused. Saved
 * on its own (POST /app/survey, intent "window"), not published: the server applies it to the next answer.
 */
export function AnswerWindowCard({ days }: { days: number }) {
  const saver = useFetcher<WindowResult>({ key: "survey-window" });
  const [value, setValue] = useState(String(days));
  const checked = parseAnswerWindowDays(value);
  const result = saver.state === "idle" ? saver.data : undefined;
  const serverError = result && !result.ok ? result.errors.answerWindowDays : undefined;
  const error = checked.ok ? serverError : checked.error;
  const save = () => {
    if (!checked.ok) return;
    saver.submit({ intent: "window", answerWindowDays: checked.days }, { method: "post", encType: "application/json" });
  };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Answer window
        </Text>
        <Text as="p" tone="subdued">
          {`Shoppers can answer the survey for orders placed up to this many days ago (${MIN_ANSWER_WINDOW_DAYS}–${MAX_ANSWER_WINDOW_DAYS}). Older orders are refused.`}
        </Text>
        <InlineStack gap="200" blockAlign="end">
          <TextField
            label="Days after the order"
            type="number"
            min={MIN_ANSWER_WINDOW_DAYS}
            max={MAX_ANSWER_WINDOW_DAYS}
            autoComplete="off"
            value={value}
            onChange={setValue}
            error={error}
          />
          <Button onClick={save} disabled={!checked.ok} loading={saver.state !== "idle"}>
            Save window
          </Button>
        </InlineStack>
        {result?.ok ? (
          <Text as="p" tone="success">
            Answer window saved
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
