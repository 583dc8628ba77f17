import { BlockStack, Box, Button, ButtonGroup, Card, ChoiceList, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { advance, startFlow, type FlowState } from "~/domain/survey/flow";
import {
  enabledQuestions,
  localized,
  MAX_COMMENT_LENGTH,
  MAX_OTHER_LENGTH,
  SCALES,
  type ScaleQuestion,
  type SurveyConfig,
} from "~/domain/survey/questions";
import { BUILT_IN_QUESTIONS, BUILT_IN_UI, LOCALE_NAMES } from "./survey-strings";

const SCALE_ENDS: Record<ScaleQuestion, [string, string]> = {
  nps: [BUILT_IN_UI.npsLow, BUILT_IN_UI.npsHigh],
  csat: [BUILT_IN_UI.csatLow, BUILT_IN_UI.csatHigh],
  ces: [BUILT_IN_UI.cesLow, BUILT_IN_UI.cesHigh],
};

interface SurveyPreviewProps {
  config: SurveyConfig;
  locale: string;
}

/**
 * The shopper's flow, rendered with Polaris React from the same state machine the extension uses
 * (app/domain/survey/flow.ts). Local state only: clicking through it sends and saves nothing.
 */
export function SurveyPreview({ config, locale }: SurveyPreviewProps) {
  const [state, setState] = useState<FlowState>(() => startFlow(config));
  const [other, setOther] = useState("");
  const questionsKey = enabledQuestions(config).join(",");
  // A different set of questions starts the preview over (wording changes keep the current step).
  useEffect(() => {
    setState(startFlow(config));
    setOther("");
    // eslint-disable-next-line react-hooks/exhaustive-deps -- restart only when the question list changes
  }, [questionsKey]);

  const send = (event: Parameters<typeof advance>[2]) =>
    setState((current) => {
      const next = advance(config, current, event);
      // The preview has no backend: a submission succeeds at once.
      return next.step === "submitting" ? advance(config, next, { type: "submitted" }) : next;
    });
  const restart = () => {
    setState(startFlow(config));
    setOther("");
  };
  const text = (type: keyof typeof BUILT_IN_QUESTIONS) =>
    localized(config.questions[type].text, locale, config.defaultLocale) ?? BUILT_IN_QUESTIONS[type];

  let body: JSX.Element;
  if (state.step === "question") {
    const q = state.question;
    const last = state.index === state.total - 1;
    let input: JSX.Element | null = null;
    if (q === "nps" || q === "csat" || q === "ces") {
      const { min, max } = SCALES[q];
      const [low, high] = SCALE_ENDS[q];
      const chosen = state.answers[q];
      input = (
        <BlockStack gap="100">
          <InlineStack gap="100" wrap>
            {Array.from({ length: max - min + 1 }, (_, i) => min + i).map((n) => (
              <Button key={n} pressed={chosen === n} onClick={() => send({ type: "answer", patch: { [q]: n } })} accessibilityLabel={`${n} of ${max}`}>
                {String(n)}
              </Button>
            ))}
          </InlineStack>
          <InlineStack align="space-between">
            <Text as="span" variant="bodySm" tone="subdued">{low}</Text>
            <Text as="span" variant="bodySm" tone="subdued">{high}</Text>
          </InlineStack>
        </BlockStack>
      );
    } else if (q === "attribution") {
      const settings = config.questions.attribution;
      const choices = settings.options.map((o) => ({ label: localized(o.label, locale, config.defaultLocale) ?? o.id, value: o.id }));
      if (settings.allowOther) choices.push({ label: BUILT_IN_UI.other, value: "other" });
      const selected = state.answers.attribution?.optionId;
      input = (
        <BlockStack gap="200">
          <ChoiceList
            title={text("attribution")}
            titleHidden
            choices={choices}
            selected={selected ? [selected] : []}
            onChange={([value]) => value && send({ type: "answer", patch: { attribution: value === "other" ? { optionId: "other", other } : { optionId: value } } })}
          />
          {selected === "other" ? (
            <TextField
              label={BUILT_IN_UI.otherLabel}
              value={other}
              maxLength={MAX_OTHER_LENGTH}
              autoComplete="off"
              onChange={(value) => {
                setOther(value);
                send({ type: "answer", patch: { attribution: { optionId: "other", other: value } } });
              }}
            />
          ) : null}
        </BlockStack>
      );
    } else {
      input = (
        <TextField
          label={BUILT_IN_UI.commentLabel}
          labelHidden
          value={state.answers.comment ?? ""}
          multiline={3}
          maxLength={MAX_COMMENT_LENGTH}
          autoComplete="off"
          onChange={(value) => send({ type: "answer", patch: { comment: value } })}
        />
      );
    }
    body = (
      <BlockStack gap="300">
        <Text as="p" variant="bodySm" tone="subdued">{`${state.index + 1} / ${state.total}`}</Text>
        <Text as="h3" variant="headingSm">{text(q)}</Text>
        {input}
        <InlineStack align="space-between">
          <Button variant="plain" onClick={() => send({ type: "skip" })}>{BUILT_IN_UI.skip}</Button>
          <Button variant="primary" onClick={() => send({ type: "next" })}>{last ? BUILT_IN_UI.send : BUILT_IN_UI.next}</Button>
        </InlineStack>
      </BlockStack>
    );
  } else if (state.step === "empty") {
    body = <Text as="p" tone="subdued">Every question is switched off: shoppers see nothing.</Text>;
  } else {
    body = (
      <BlockStack gap="200">
        <Text as="p" variant="headingSm">{state.step === "skipped" ? BUILT_IN_UI.skipped : BUILT_IN_UI.thanks}</Text>
        {config.extras.showLoyaltyTier ? <Text as="p" tone="subdued">{BUILT_IN_UI.tier}</Text> : null}
      </BlockStack>
    );
  }

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">Preview (approximate styling)</Text>
          <ButtonGroup>
            <Button size="slim" onClick={restart}>Restart</Button>
          </ButtonGroup>
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {`${LOCALE_NAMES[locale] ?? locale}. Empty texts show the built-in wording (English here; the extension uses its own translation). Nothing you click here is saved.`}
        </Text>
        <div aria-label="Survey preview" role="region">
          <Box padding="400" borderWidth="025" borderColor="border" borderRadius="200">
            {body}
          </Box>
        </div>
      </BlockStack>
    </Card>
  );
}
