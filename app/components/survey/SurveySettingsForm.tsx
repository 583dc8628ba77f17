import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { ReactNode } from "react";
import {
  MAX_ATTRIBUTION_OPTIONS,
  QUESTION_TYPES,
  SUPPORTED_LOCALES,
  type AttributionOption,
  type QuestionType,
  type SurveyConfig,
} from "~/domain/survey/questions";
import { moveOption, optionId, setText } from "./survey-form";
import { BUILT_IN_QUESTIONS, LOCALE_NAMES, QUESTION_NAMES } from "./survey-strings";

const LOCALE_OPTIONS = SUPPORTED_LOCALES.map((value) => ({ value, label: LOCALE_NAMES[value] ?? value }));

/** A visible label with a hidden suffix, so each option's fields have a distinct accessible name. */
function OptionLabel({ text, position }: { text: string; position: number }) {
  return (
    <>
      {text}
      <Text as="span" visuallyHidden>{` for option ${position}`}</Text>
    </>
  );
}

interface SurveySettingsFormProps {
  config: SurveyConfig;
  locale: string;
  /** Option ids already saved: they keep their id when relabelled (answers are stored by id). */
  savedOptionIds: ReadonlySet<string>;
  errors: Record<string, string>;
  onLocaleChange(locale: string): void;
  /** Applies a change; `touches` are the error keys it touches (their errors show from then on, decision 030). */
  onChange(change: (config: SurveyConfig) => SurveyConfig, touches: readonly string[]): void;
  /** The merchant left a field: the error keys to show from now on. */
  onTouch(touches: readonly string[]): void;
  /** Save / publish buttons and notices, rendered at the bottom of the form. */
  footer: ReactNode;
}

/**
 * The survey's questions: on/off, wording per locale (empty = built-in translation), attribution options and the
 * loyalty-tier line. Controlled: the page owns the config, validates it live and renders the preview from it.
 */
export function SurveySettingsForm({ config, locale, savedOptionIds, errors, onLocaleChange, onChange, onTouch, footer }: SurveySettingsFormProps) {
  const localeName = LOCALE_NAMES[locale] ?? locale;
  const isDefaultLocale = locale === config.defaultLocale;
  const textKey = (type: QuestionType) => `questions.${type}.text.${locale}`;
  const setQuestion = (type: QuestionType, patch: Partial<{ enabled: boolean; text: Record<string, string | undefined> }>) =>
    onChange((c) => ({ ...c, questions: { ...c.questions, [type]: { ...c.questions[type], ...patch } } }), patch.text ? [textKey(type)] : ["questions"]);
  const attribution = config.questions.attribution;
  // Ids must be unique across the options, so any option change touches every option's id.
  const OPTION_KEYS = ["questions.attribution.options", "questions.attribution.options.*.id"];
  const labelKey = (index: number) => `questions.attribution.options.${index}.label`;
  const setOptions = (change: (options: AttributionOption[]) => AttributionOption[], touches: readonly string[] = OPTION_KEYS) =>
    onChange(
      (c) => ({
        ...c,
        questions: { ...c.questions, attribution: { ...c.questions.attribution, options: change(c.questions.attribution.options) } },
      }),
      touches,
    );
  const setOptionLabel = (index: number, value: string) =>
    setOptions((options) =>
      options.map((o, i) => {
        if (i !== index) return o;
        const label = setText(o.label, locale, value);
        // New options take their id from the default-locale label; saved ones keep theirs.
        const id = isDefaultLocale && !savedOptionIds.has(o.id) ? optionId(label[config.defaultLocale], i) : o.id;
        return { id, label };
      }),
      [...OPTION_KEYS, labelKey(index)],
    );
  const addOption = () => setOptions((options) => [...options, { id: optionId(undefined, options.length), label: {} }]);

  return (
    <Card>
      <BlockStack gap="500">
        <InlineStack align="space-between" blockAlign="end" gap="300">
          <Text as="h2" variant="headingMd">Questions</Text>
          <div style={{ minWidth: "14rem" }}>
            <Select label="Language you are editing" options={LOCALE_OPTIONS} value={locale} onChange={onLocaleChange} />
          </div>
        </InlineStack>
        {errors.questions ? <Banner tone="critical" title={errors.questions} /> : null}
        {QUESTION_TYPES.map((type) => {
          const q = config.questions[type];
          const textError = errors[`questions.${type}.text.${locale}`];
          return (
            <BlockStack gap="200" key={type}>
              <Checkbox label={`Ask: ${QUESTION_NAMES[type]}`} checked={q.enabled} onChange={(enabled) => setQuestion(type, { enabled })} />
              {q.enabled ? (
                <FormLayout>
                  <TextField
                    label={`${QUESTION_NAMES[type]} text (${localeName})`}
                    value={q.text[locale] ?? ""}
                    placeholder={locale === "en" ? BUILT_IN_QUESTIONS[type] : "Built-in translation"}
                    helpText="Leave empty to use the built-in translation."
                    autoComplete="off"
                    error={textError}
                    onChange={(value) => setQuestion(type, { text: setText(q.text, locale, value) })}
                    onBlur={() => onTouch([textKey(type)])}
                  />
                  {type === "attribution" ? (
                    <BlockStack gap="300">
                      <Text as="h3" variant="headingSm">{`Answer options (${attribution.options.length} of ${MAX_ATTRIBUTION_OPTIONS})`}</Text>
                      {errors["questions.attribution.options"] ? (
                        <Text as="p" tone="critical">{errors["questions.attribution.options"]}</Text>
                      ) : null}
                      {attribution.options.map((option, i) => (
                        <InlineStack key={i} gap="200" blockAlign="start" wrap={false}>
                          <div style={{ flex: 1 }}>
                            <TextField
                              label={<OptionLabel text={`Label (${localeName})`} position={i + 1} />}
                              value={option.label[locale] ?? ""}
                              placeholder={isDefaultLocale ? undefined : option.label[config.defaultLocale]}
                              helpText={`Stored as “${option.id}”`}
                              autoComplete="off"
                              error={errors[`questions.attribution.options.${i}.label`] ?? errors[`questions.attribution.options.${i}.id`]}
                              onChange={(value) => setOptionLabel(i, value)}
                              onBlur={() => onTouch([labelKey(i)])}
                            />
                          </div>
                          <div style={{ paddingTop: "1.5rem" }}>
                            <InlineStack gap="100" wrap={false}>
                              <Button accessibilityLabel={`Move option ${i + 1} up`} disabled={i === 0} onClick={() => setOptions((o) => moveOption(o, i, -1))}>↑</Button>
                              <Button
                                accessibilityLabel={`Move option ${i + 1} down`}
                                disabled={i === attribution.options.length - 1}
                                onClick={() => setOptions((o) => moveOption(o, i, 1))}
                              >
                                ↓
                              </Button>
                              <Button accessibilityLabel={`Remove option ${i + 1}`} tone="critical" onClick={() => setOptions((o) => o.filter((_, j) => j !== i))}>
                                Remove
                              </Button>
                            </InlineStack>
                          </div>
                        </InlineStack>
                      ))}
                      <InlineStack>
                        <Button onClick={addOption} disabled={attribution.options.length >= MAX_ATTRIBUTION_OPTIONS}>Add option</Button>
                      </InlineStack>
                      <Checkbox
                        label="Offer “Other” with a text field"
                        checked={attribution.allowOther}
                        onChange={(allowOther) =>
                          onChange((c) => ({ ...c, questions: { ...c.questions, attribution: { ...c.questions.attribution, allowOther } } }), ["questions"])
                        }
                      />
                    </BlockStack>
                  ) : null}
                </FormLayout>
              ) : null}
            </BlockStack>
          );
        })}
        <Checkbox
          label="Show the shopper's loyalty tier after the survey"
          checked={config.extras.showLoyaltyTier}
          onChange={(showLoyaltyTier) => onChange((c) => ({ ...c, extras: { ...c.extras, showLoyaltyTier } }), ["questions"])}
        />
        {footer}
      </BlockStack>
    </Card>
  );
}
