import { BlockStack, Box, Button, ButtonGroup, Card, ChoiceList, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { currencyExponent } from "~/domain/money";
import { answerFor, answerPatch } from "~/domain/survey/answer";
import type { AudienceFacts } from "~/domain/survey/audience";
import { advance, startFlow, type FlowState } from "~/domain/survey/flow";
import {
  enabledQuestions,
  localized,
  MAX_OTHER_LENGTH,
  NONE_OPTION,
  OTHER_OPTION,
  questionWording,
  surveyQuestions,
  type SurveyConfig,
  type SurveyQuestion,
} from "~/domain/survey/questions";
import { orderedChoices, QUESTION_REGISTRY, type AnswerValue, type ChoiceAnswer, type MultiChoiceAnswer } from "~/domain/survey/registry";
import { parseAmountText } from "./audience-form";
import { extensionTranslator, type Translate } from "./extension-locale";
import { LOCALE_NAMES } from "./survey-strings";

interface SurveyPreviewProps {
  config: SurveyConfig;
  locale: string;
  /** The shop's name, as shoppers see it in `{{shop}}`. */
  shopName: string;
  /** The shop's currency: the previewed order's total is in it. */
  currency: string;
}

/** The preview's stand-in for an order: seeds the shuffled options the way an order id does in the extension. */
const PREVIEW_SEED = "preview";

/**
 * The shopper's flow, rendered with Polaris React from the same state machine (app/domain/survey/flow.ts), the same
 * question-type registry and the extension's own locale files, so its words are the shopper's. Local state only:
 * clicking through it sends and saves nothing.
 */
export function SurveyPreview({ config, locale, shopName, currency }: SurveyPreviewProps) {
  // Who the preview stands for (targeting, decision 045): a first order or a returning customer, an order total.
  const [customer, setCustomer] = useState<"first" | "returning">("first");
  const [totalText, setTotalText] = useState("50");
  const totalMinor = parseAmountText(totalText, currency);
  const facts: AudienceFacts = {
    firstOrder: customer === "first",
    orderTotal: typeof totalMinor === "number" ? { amount: totalMinor / 10 ** currencyExponent(currency), currencyCode: currency } : null,
    locale,
  };
  const targeted = surveyQuestions(config).some((q) => q.audience);
  const [state, setState] = useState<FlowState>(() => startFlow(config, facts));
  const questionsKey = [...enabledQuestions(config), JSON.stringify(surveyQuestions(config).map((q) => q.audience ?? null)), customer, totalText, locale].join(",");
  // A different set of questions, or another shopper, starts the preview over (wording changes keep the current step).
  useEffect(() => {
    setState(startFlow(config, facts));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- restart only when the question list or the shopper changes
  }, [questionsKey]);

  const t = extensionTranslator(locale, shopName);
  const send = (event: Parameters<typeof advance>[2]) =>
    setState((current) => {
      const next = advance(config, current, event, facts);
      // The preview has no backend: a submission succeeds at once.
      return next.step === "submitting" ? advance(config, next, { type: "submitted" }, facts) : next;
    });
  const restart = () => setState(startFlow(config, facts));

  let body: JSX.Element;
  const question = state.step === "question" ? surveyQuestions(config).find((q) => q.key === state.question) : undefined;
  if (state.step === "question" && question) {
    const last = state.index === state.total - 1;
    const entry = QUESTION_REGISTRY[question.type];
    const wording = question.custom ? localized(question.text, locale, config.defaultLocale) : questionWording(question.text, locale, config.defaultLocale);
    const text = (wording ?? (question.custom ? "" : t(`${entry.localeKey}.question`))).replace(/\{\{\s*shop\s*\}\}/g, shopName);
    const set = (value: AnswerValue) => send({ type: "answer", patch: answerPatch(question, value) });
    body = (
      <BlockStack gap="300">
        <Text as="p" variant="bodySm" tone="subdued">{t("progress", { current: state.index + 1, total: state.total })}</Text>
        <Text as="h3" variant="headingSm">{text}</Text>
        <PreviewInput question={question} label={text} value={answerFor(state.answers, question)} t={t} merchant={(label) => localized(label, locale, config.defaultLocale)} onChange={set} />
        <InlineStack align="space-between">
          <Button variant="plain" onClick={() => send({ type: "skip" })}>{t("actions.skip")}</Button>
          <Button variant="primary" onClick={() => send({ type: "next" })}>{t(last ? "actions.submit" : "actions.next")}</Button>
        </InlineStack>
      </BlockStack>
    );
  } else if (state.step === "empty") {
    body = <Text as="p" tone="subdued">{targeted ? "No question is for this shopper: they see nothing." : "Every question is switched off: shoppers see nothing."}</Text>;
  } else {
    const summary = localized(config.extras.returnPolicySummary, locale, config.defaultLocale);
    body = (
      <BlockStack gap="200">
        <Text as="p" variant="headingSm">{t(state.step === "skipped" ? "states.skipped" : "states.done")}</Text>
        {summary ? <Text as="p" tone="subdued">{summary}</Text> : null}
        {config.extras.showLoyaltyTier ? <Text as="p" tone="subdued">{t("loyalty.tier", { tier: "Gold", points: 1200 })}</Text> : null}
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
          {`${LOCALE_NAMES[locale] ?? locale}, in the checkout's own words. A language you left empty shows the built-in translation. Nothing you click here is saved.`}
        </Text>
        {targeted ? (
          <InlineStack gap="200" wrap={false}>
            <Select
              label="Preview as"
              options={[
                { value: "first", label: "A first order" },
                { value: "returning", label: "A returning customer" },
              ]}
              value={customer}
              onChange={(value) => setCustomer(value === "returning" ? "returning" : "first")}
            />
            <TextField
              label={`Order total (${currency})`}
              value={totalText}
              inputMode="decimal"
              autoComplete="off"
              error={totalMinor === null ? `Enter an amount in ${currency}` : undefined}
              onChange={setTotalText}
            />
          </InlineStack>
        ) : null}
        <div aria-label="Survey preview" role="region">
          <Box padding="400" borderWidth="025" borderColor="border" borderRadius="200">
            {body}
          </Box>
        </div>
      </BlockStack>
    </Card>
  );
}

interface PreviewInputProps {
  question: SurveyQuestion;
  label: string;
  value: AnswerValue | undefined;
  t: Translate;
  merchant: (label: SurveyQuestion["text"]) => string | null;
  onChange: (value: AnswerValue) => void;
}

/** The question's control from its registry entry, as the extension draws it (a scale, a choice list, a text field). */
function PreviewInput({ question, label, value, t, merchant, onChange }: PreviewInputProps) {
  const entry = QUESTION_REGISTRY[question.type];
  const control = entry.control;
  if (control.kind === "scale") {
    const { min, max } = control;
    return (
      <BlockStack gap="100">
        <InlineStack gap="100" wrap>
          {Array.from({ length: max - min + 1 }, (_, i) => min + i).map((n) => (
            <Button key={n} pressed={value === n} onClick={() => onChange(n)} accessibilityLabel={t("scale.choice", { value: n, min, max })}>
              {String(n)}
            </Button>
          ))}
        </InlineStack>
        <InlineStack align="space-between">
          <Text as="span" variant="bodySm" tone="subdued">{`${min} – ${t(`${entry.localeKey}.low`)}`}</Text>
          <Text as="span" variant="bodySm" tone="subdued">{`${max} – ${t(`${entry.localeKey}.high`)}`}</Text>
        </InlineStack>
      </BlockStack>
    );
  }
  if (control.kind === "text") {
    return (
      <TextField
        label={t(`${entry.localeKey}.label`, { max: control.maxLength })}
        value={typeof value === "string" ? value : ""}
        multiline={control.multiline ? 3 : undefined}
        maxLength={control.maxLength}
        autoComplete="off"
        onChange={onChange}
      />
    );
  }
  const choice = (typeof value === "object" ? value : {}) as Partial<ChoiceAnswer & MultiChoiceAnswer>;
  const chosen = control.multiple ? (choice.optionIds ?? []) : choice.optionId ? [choice.optionId] : [];
  const labels = new Map(question.options.map((o) => [o.id, merchant(o.label) ?? o.id]));
  const choiceLabel = (id: string) => (id === OTHER_OPTION ? t(`${entry.localeKey}.other`) : id === NONE_OPTION ? t("choice.none") : (labels.get(id) ?? id));
  const pick = (ids: string[], other = choice.other) =>
    onChange(control.multiple ? { optionIds: ids, ...(other !== undefined ? { other } : {}) } : { optionId: ids[0] ?? "", ...(other !== undefined ? { other } : {}) });
  return (
    <BlockStack gap="200">
      <ChoiceList
        title={label}
        titleHidden
        allowMultiple={control.multiple}
        choices={orderedChoices(question, PREVIEW_SEED).map((id) => ({ label: choiceLabel(id), value: id }))}
        selected={chosen}
        onChange={(ids) => {
          let next = ids;
          if (control.multiple && next.includes(NONE_OPTION) && next.length > 1) next = chosen.includes(NONE_OPTION) ? next.filter((id) => id !== NONE_OPTION) : [NONE_OPTION];
          if (control.multiple || next[0]) pick(next);
        }}
      />
      {chosen.includes(OTHER_OPTION) ? (
        <TextField
          label={t(`${entry.localeKey}.otherLabel`)}
          value={choice.other ?? ""}
          maxLength={MAX_OTHER_LENGTH}
          autoComplete="off"
          onChange={(other) => pick(chosen, other)}
        />
      ) : null}
    </BlockStack>
  );
}
