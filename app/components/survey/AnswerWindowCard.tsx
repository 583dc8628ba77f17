import { BlockStack, Card, Text, TextField } from "@shopify/polaris";
import { MAX_ANSWER_WINDOW_DAYS, MIN_ANSWER_WINDOW_DAYS } from "~/domain/survey/answer-integrity";

/** The error key of the answer window field (the action's and the page's). */
export const ANSWER_WINDOW_KEY = "answerWindowDays";

interface AnswerWindowCardProps {
  /** The days as typed (checked by the page, which owns the form). */
  value: string;
  /** Shown once the field was touched or a save was attempted (decision 030). */
  error?: string;
  onChange(value: string): void;
  /** The field was left: its error may show. */
  onTouch(): void;
}

/**
 * How long after an order its survey is open (decision 022): answers to orders placed longer ago are refused. Part
 * of the Survey page's form: a change shows the save bar, Discard restores it, and the page's Save stores it with the
 * draft (it is a server-side rule, not published: it applies to the next answer once saved).
 */
export function AnswerWindowCard({ value, error, onChange, onTouch }: AnswerWindowCardProps) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Answer window
        </Text>
        <Text as="p" tone="subdued">
          {`Shoppers can answer the survey for orders placed up to this many days ago (${MIN_ANSWER_WINDOW_DAYS}–${MAX_ANSWER_WINDOW_DAYS}). Older orders are refused. Saved with the survey's Save; it applies to the next answer without publishing.`}
        </Text>
        <TextField
          label="Days after the order"
          type="number"
          min={MIN_ANSWER_WINDOW_DAYS}
          max={MAX_ANSWER_WINDOW_DAYS}
          autoComplete="off"
          value={value}
          onChange={onChange}
          onBlur={onTouch}
          error={error}
        />
      </BlockStack>
    </Card>
  );
}
