import { Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import {
  CUSTOM_TYPES,
  MAX_ATTRIBUTION_OPTIONS,
  MAX_CHOICE_OPTIONS,
  MAX_CUSTOM_QUESTIONS,
  builtInOrder,
  SUPPORTED_LOCALES,
  type BuiltInType,
  type ChoiceOption,
  type CustomQuestion,
  type CustomType,
  type ShowIf,
  type SurveyConfig,
  type SurveyQuestion,
  surveyQuestions,
  NONE_OPTION,
  OTHER_OPTION,
} from "~/domain/survey/questions";
import { choiceIds, conditionKind, QUESTION_REGISTRY } from "~/domain/survey/registry";
import { AudienceEditor } from "./AudienceEditor";
import { extensionTranslator } from "./extension-locale";
import { Hidden } from "./HiddenSuffix";
import { moveOption, newQuestionId, optionId, setText } from "./survey-form";
import { LOCALE_NAMES } from "./survey-strings";

const LOCALE_OPTIONS = SUPPORTED_LOCALES.map((value) => ({ value, label: LOCALE_NAMES[value] ?? value }));
const TYPE_OPTIONS = CUSTOM_TYPES.map((value) => ({ value, label: `${QUESTION_REGISTRY[value].name}: ${QUESTION_REGISTRY[value].summary}` }));

interface SurveySettingsFormProps {
  config: SurveyConfig;
  locale: string;
  /** Options already saved, as `<question key>/<option id>`: they keep their id when relabelled (answers are stored by id). */
  savedOptionIds: ReadonlySet<string>;
  /** The shop's name, for the built-in wording shown as placeholders. */
  shopName: string;
  /** The shop's currency: order value ranges are written in it. */
  currency: string;
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
 * The survey's questions: the five built-in ones (on/off, wording per locale, empty = built-in translation, the
 * attribution options), the merchant's own questions (added, reworded, reordered, removed; options for the choice
 * types) and the loyalty-tier line. Every type's name and control come from the question-type registry.
 * Controlled: the page owns the config, validates it live and renders the preview from it.
 */
export function SurveySettingsForm({ config, locale, savedOptionIds, shopName, currency, errors, onLocaleChange, onChange, onTouch, footer }: SurveySettingsFormProps) {
  const localeName = LOCALE_NAMES[locale] ?? locale;
  const t = extensionTranslator(locale, shopName);
  const textKey = (type: BuiltInType) => `questions.${type}.text.${locale}`;
  const setQuestion = (type: BuiltInType, patch: Partial<{ enabled: boolean; text: Record<string, string | undefined> }>) =>
    onChange((c) => ({ ...c, questions: { ...c.questions, [type]: { ...c.questions[type], ...patch } } }), patch.text ? [textKey(type)] : ["questions"]);
  const attribution = config.questions.attribution;
  const setAttributionOptions = (change: (options: ChoiceOption[]) => ChoiceOption[], touches: readonly string[]) =>
    onChange(
      (c) => ({
        ...c,
        questions: { ...c.questions, attribution: { ...c.questions.attribution, options: change(c.questions.attribution.options) } },
      }),
      touches,
    );
  const setCustom = (change: (custom: CustomQuestion[]) => CustomQuestion[], touches: readonly string[]) =>
    onChange((c) => ({ ...c, custom: change(c.custom) }), touches);
  const [newType, setNewType] = useState<CustomType>("single_choice");

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
        {[...builtInOrder(config), "comment" as const].map((type) => {
          const q = config.questions[type];
          const textError = errors[`questions.${type}.text.${locale}`];
          return (
            <BlockStack gap="200" key={type}>
              <Checkbox label={`Ask: ${QUESTION_REGISTRY[type].name}`} checked={q.enabled} onChange={(enabled) => setQuestion(type, { enabled })} />
              {q.enabled ? (
                <FormLayout>
                  <TextField
                    label={`${QUESTION_REGISTRY[type].name} text (${localeName})`}
                    value={q.text[locale] ?? ""}
                    placeholder={t(`${QUESTION_REGISTRY[type].localeKey}.question`)}
                    helpText="Leave empty to use the built-in translation."
                    autoComplete="off"
                    error={textError}
                    onChange={(value) => setQuestion(type, { text: setText(q.text, locale, value) })}
                    onBlur={() => onTouch([textKey(type)])}
                  />
                  {type === "attribution" ? (
                    <BlockStack gap="300">
                      <OptionsEditor
                        options={attribution.options}
                        max={MAX_ATTRIBUTION_OPTIONS}
                        path="questions.attribution.options"
                        scope=""
                        headingAs="h3"
                        questionKey="attribution"
                        locale={locale}
                        defaultLocale={config.defaultLocale}
                        savedOptionIds={savedOptionIds}
                        errors={errors}
                        onChange={setAttributionOptions}
                        onTouch={onTouch}
                      />
                      <Checkbox
                        label="Offer “Other” with a text field"
                        checked={attribution.allowOther}
                        onChange={(allowOther) =>
                          onChange((c) => ({ ...c, questions: { ...c.questions, attribution: { ...c.questions.attribution, allowOther } } }), ["questions"])
                        }
                      />
                      <Checkbox
                        label="Ask this question first, before the scores"
                        helpText="Asked first, it gets an answer even from shoppers who leave after one question."
                        checked={attribution.askFirst !== false}
                        onChange={(askFirst) =>
                          onChange((c) => ({ ...c, questions: { ...c.questions, attribution: { ...c.questions.attribution, askFirst } } }), ["questions"])
                        }
                      />
                    </BlockStack>
                  ) : null}
                  <AudienceEditor
                    audience={q.audience}
                    currency={currency}
                    scope={` for ${QUESTION_REGISTRY[type].name}`}
                    path={`questions.${type}`}
                    errors={errors}
                    onChange={(audience, touches) =>
                      onChange((c) => {
                        const { audience: _old, ...rest } = c.questions[type];
                        return { ...c, questions: { ...c.questions, [type]: audience ? { ...rest, audience } : rest } };
                      }, touches)
                    }
                  />
                </FormLayout>
              ) : null}
            </BlockStack>
          );
        })}
        <BlockStack gap="300">
          <Text as="h3" variant="headingSm">{`Your questions (${config.custom.length} of ${MAX_CUSTOM_QUESTIONS})`}</Text>
          <Text as="p" tone="subdued">Asked after “How did you hear about us?” and before the comment, in this order.</Text>
          {errors.custom ? <Text as="p" tone="critical">{errors.custom}</Text> : null}
          {config.custom.map((question, i) => (
            <CustomQuestionEditor
              key={question.id}
              question={question}
              earlier={branchable(config, question.id)}
              index={i}
              count={config.custom.length}
              locale={locale}
              defaultLocale={config.defaultLocale}
              currency={currency}
              savedOptionIds={savedOptionIds}
              errors={errors}
              setCustom={setCustom}
              onTouch={onTouch}
            />
          ))}
          <InlineStack gap="200" blockAlign="end">
            <div style={{ minWidth: "16rem" }}>
              <Select label="New question type" options={TYPE_OPTIONS} value={newType} onChange={(value) => setNewType(value as CustomType)} />
            </div>
            <Button
              disabled={config.custom.length >= MAX_CUSTOM_QUESTIONS}
              onClick={() => setCustom((custom) => [...custom, blankQuestion(newType, custom)], ["custom"])}
            >
              Add question
            </Button>
          </InlineStack>
        </BlockStack>
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

function blankQuestion(type: CustomType, existing: readonly CustomQuestion[]): CustomQuestion {
  return { id: newQuestionId(existing.map((q) => q.id)), type, text: {}, options: [], shuffle: false, allowOther: false, allowNone: false };
}

interface OptionsEditorProps {
  options: ChoiceOption[];
  max: number;
  /** Where the validator reports this list's errors ("questions.attribution.options", "custom.2.options"). */
  path: string;
  /** Appended (hidden) to every control's name, so two lists on the page never share one ("", " of question 2"). */
  scope: string;
  /** The level of the list's heading, one below its question's. */
  headingAs: "h3" | "h5";
  questionKey: string;
  locale: string;
  defaultLocale: string;
  savedOptionIds: ReadonlySet<string>;
  errors: Record<string, string>;
  onChange(change: (options: ChoiceOption[]) => ChoiceOption[], touches: readonly string[]): void;
  onTouch(touches: readonly string[]): void;
}

/** A choice question's options: a label per locale, moved, removed, added; new options take their id from their label. */
function OptionsEditor({ options, max, path, scope, headingAs, questionKey, locale, defaultLocale, savedOptionIds, errors, onChange, onTouch }: OptionsEditorProps) {
  const localeName = LOCALE_NAMES[locale] ?? locale;
  const isDefaultLocale = locale === defaultLocale;
  // Ids must be unique across the options, so any option change touches every option's id.
  const optionKeys = [path, `${path}.*.id`];
  const labelKey = (index: number) => `${path}.${index}.label`;
  const set = (change: (options: ChoiceOption[]) => ChoiceOption[], touches: readonly string[] = optionKeys) => onChange(change, touches);
  const setLabel = (index: number, value: string) =>
    set(
      (current) =>
        current.map((o, i) => {
          if (i !== index) return o;
          const label = setText(o.label, locale, value);
          const id = isDefaultLocale && !savedOptionIds.has(`${questionKey}/${o.id}`) ? optionId(label[defaultLocale], i) : o.id;
          return { id, label };
        }),
      [...optionKeys, labelKey(index)],
    );
  return (
    <BlockStack gap="300">
      <Text as={headingAs} variant="headingSm">
        <Hidden text={`Answer options (${options.length} of ${max})`} suffix={scope} />
      </Text>
      {errors[path] ? <Text as="p" tone="critical">{errors[path]}</Text> : null}
      {options.map((option, i) => (
        <InlineStack key={i} gap="200" blockAlign="start" wrap={false}>
          <div style={{ flex: 1 }}>
            <TextField
              label={<Hidden text={`Label (${localeName})`} suffix={` for option ${i + 1}${scope}`} />}
              value={option.label[locale] ?? ""}
              placeholder={isDefaultLocale ? undefined : option.label[defaultLocale]}
              helpText={`Stored as “${option.id}”`}
              autoComplete="off"
              error={errors[`${path}.${i}.label`] ?? errors[`${path}.${i}.id`]}
              onChange={(value) => setLabel(i, value)}
              onBlur={() => onTouch([labelKey(i)])}
            />
          </div>
          <div style={{ paddingTop: "1.5rem" }}>
            <InlineStack gap="100" wrap={false}>
              <Button accessibilityLabel={`Move option ${i + 1} up${scope}`} disabled={i === 0} onClick={() => set((o) => moveOption(o, i, -1))}>↑</Button>
              <Button accessibilityLabel={`Move option ${i + 1} down${scope}`} disabled={i === options.length - 1} onClick={() => set((o) => moveOption(o, i, 1))}>
                ↓
              </Button>
              <Button accessibilityLabel={`Remove option ${i + 1}${scope}`} tone="critical" onClick={() => set((o) => o.filter((_, j) => j !== i))}>
                Remove
              </Button>
            </InlineStack>
          </div>
        </InlineStack>
      ))}
      <InlineStack>
        <Button
          accessibilityLabel={scope ? `Add option${scope}` : undefined}
          onClick={() => set((current) => [...current, { id: optionId(undefined, current.length), label: {} }])}
          disabled={options.length >= max}
        >
          Add option
        </Button>
      </InlineStack>
    </BlockStack>
  );
}

/** The questions asked before `id` whose answers a branch can depend on (scores and choices), with their admin names. */
function branchable(config: SurveyConfig, id: string): { question: SurveyQuestion; name: string }[] {
  const questions = surveyQuestions(config);
  const at = questions.findIndex((q) => q.key === id);
  return questions
    .slice(0, at)
    .filter((q) => conditionKind(q.type) !== null)
    .map((q) => {
      const customAt = config.custom.findIndex((c) => c.id === q.key);
      const name = q.custom ? `Question ${customAt + 1}: ${q.text[config.defaultLocale] ?? QUESTION_REGISTRY[q.type].name}` : QUESTION_REGISTRY[q.type].name;
      return { question: q, name };
    });
}

interface CustomQuestionEditorProps {
  question: CustomQuestion;
  earlier: { question: SurveyQuestion; name: string }[];
  index: number;
  count: number;
  locale: string;
  defaultLocale: string;
  currency: string;
  savedOptionIds: ReadonlySet<string>;
  errors: Record<string, string>;
  setCustom(change: (custom: CustomQuestion[]) => CustomQuestion[], touches: readonly string[]): void;
  onTouch(touches: readonly string[]): void;
}

/** One of the merchant's questions: its wording per locale, its options (choice types), moved or removed. */
function CustomQuestionEditor({ question, earlier, index, count, locale, defaultLocale, currency, savedOptionIds, errors, setCustom, onTouch }: CustomQuestionEditorProps) {
  const n = index + 1;
  const path = `custom.${index}`;
  const entry = QUESTION_REGISTRY[question.type];
  const localeName = LOCALE_NAMES[locale] ?? locale;
  const update = (patch: Partial<CustomQuestion>, touches: readonly string[]) =>
    setCustom((custom) => custom.map((q) => (q.id === question.id ? { ...q, ...patch } : q)), touches);
  // Moving or removing renumbers the questions after it: their errors' keys move with them.
  const ALL = ["custom", "custom.*.id", "custom.*.showIf", "custom.*.audience", "custom.*.audience.customer", "custom.*.audience.orderValue", "custom.*.audience.locales"];
  const move = (by: -1 | 1) => setCustom((custom) => moveOption(custom, index, by), ALL);
  const textError = errors[`${path}.text.${locale}`];
  return (
    <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h4" variant="headingSm">{`Question ${n}: ${entry.name}`}</Text>
          <InlineStack gap="100" wrap={false}>
            <Button accessibilityLabel={`Move question ${n} up`} disabled={index === 0} onClick={() => move(-1)}>↑</Button>
            <Button accessibilityLabel={`Move question ${n} down`} disabled={index === count - 1} onClick={() => move(1)}>↓</Button>
            <Button accessibilityLabel={`Remove question ${n}`} tone="critical" onClick={() => setCustom((custom) => custom.filter((q) => q.id !== question.id), ALL)}>
              Remove
            </Button>
          </InlineStack>
        </InlineStack>
        {errors[`${path}.type`] ? <Text as="p" tone="critical">{errors[`${path}.type`]}</Text> : null}
        <FormLayout>
          <TextField
            label={`Question ${n} text (${localeName})`}
            value={question.text[locale] ?? ""}
            placeholder={locale === defaultLocale ? undefined : question.text[defaultLocale]}
            helpText={locale === defaultLocale ? "Required: shoppers in languages you leave empty see this wording." : "Leave empty to show your wording in the default language."}
            autoComplete="off"
            error={textError ?? errors[`${path}.id`]}
            onChange={(value) => update({ text: setText(question.text, locale, value) }, [`${path}.text.${locale}`])}
            onBlur={() => onTouch([`${path}.text.${locale}`])}
          />
          {entry.control.kind === "choice" ? (
            <BlockStack gap="200">
              <OptionsEditor
                options={question.options}
                max={MAX_CHOICE_OPTIONS}
                path={`${path}.options`}
                scope={` of question ${n}`}
                headingAs="h5"
                questionKey={question.id}
                locale={locale}
                defaultLocale={defaultLocale}
                savedOptionIds={savedOptionIds}
                errors={errors}
                onChange={(change, touches) => update({ options: change(question.options) }, touches)}
                onTouch={onTouch}
              />
              <Checkbox
                label={<Hidden text="Shuffle the options for each order (“Other” and “None” stay last)" suffix={` for question ${n}`} />}
                checked={question.shuffle}
                onChange={(shuffle) => update({ shuffle }, [])}
              />
              <Checkbox
                label={<Hidden text="Offer “Other” with a text field" suffix={` for question ${n}`} />}
                checked={question.allowOther}
                onChange={(allowOther) => update({ allowOther }, [])}
              />
              <Checkbox
                label={<Hidden text="Offer “None of these”" suffix={` for question ${n}`} />}
                checked={question.allowNone}
                onChange={(allowNone) => update({ allowNone }, [])}
              />
            </BlockStack>
          ) : null}
          <BranchEditor
            showIf={question.showIf}
            earlier={earlier}
            n={n}
            defaultLocale={defaultLocale}
            error={errors[`${path}.showIf`]}
            onChange={(showIf) =>
              setCustom(
                (custom) =>
                  custom.map((q) => {
                    if (q.id !== question.id) return q;
                    const { showIf: _old, ...rest } = q;
                    return showIf ? { ...rest, showIf } : rest;
                  }),
                [`${path}.showIf`],
              )
            }
          />
          <AudienceEditor
            audience={question.audience}
            currency={currency}
            scope={` for question ${n}`}
            path={path}
            errors={errors}
            onChange={(audience, touches) =>
              setCustom(
                (custom) =>
                  custom.map((q) => {
                    if (q.id !== question.id) return q;
                    const { audience: _old, ...rest } = q;
                    return audience ? { ...rest, audience } : rest;
                  }),
                touches,
              )
            }
          />
        </FormLayout>
      </BlockStack>
    </Box>
  );
}

interface BranchEditorProps {
  showIf: ShowIf | undefined;
  earlier: { question: SurveyQuestion; name: string }[];
  n: number;
  defaultLocale: string;
  error: string | undefined;
  onChange(showIf: ShowIf | undefined): void;
}

/** Branching: ask the question always, or only when an earlier score is in a range or an earlier choice is made. */
function BranchEditor({ showIf, earlier, n, defaultLocale, error, onChange }: BranchEditorProps) {
  const subject = earlier.find((e) => e.question.key === showIf?.question)?.question;
  const control = subject ? QUESTION_REGISTRY[subject.type].control : null;
  const choose = (key: string) => {
    const picked = earlier.find((e) => e.question.key === key)?.question;
    if (!picked) return onChange(undefined);
    const c = QUESTION_REGISTRY[picked.type].control;
    onChange(c.kind === "scale" ? { question: key, min: c.min, max: c.max } : { question: key, options: [] });
  };
  const label = (id: string) =>
    id === OTHER_OPTION ? "Other" : id === NONE_OPTION ? "None of these" : (subject?.options.find((o) => o.id === id)?.label[defaultLocale] ?? id);
  return (
    <BlockStack gap="200">
      <Select
        label={`Ask question ${n}`}
        options={[{ value: "", label: "Always" }, ...earlier.map((e) => ({ value: e.question.key, label: `Only after an answer to ${e.name}` }))]}
        value={showIf?.question ?? ""}
        error={error}
        onChange={choose}
      />
      {showIf && control?.kind === "scale" ? (
        <InlineStack gap="200">
          {(["min", "max"] as const).map((end) => (
            <Select
              key={end}
              label={<Hidden text={end === "min" ? "From score" : "To score"} suffix={` for question ${n}`} />}
              options={Array.from({ length: control.max - control.min + 1 }, (_, i) => String(control.min + i))}
              value={String(showIf[end] ?? (end === "min" ? control.min : control.max))}
              onChange={(value) => onChange({ ...showIf, [end]: Number(value) })}
            />
          ))}
        </InlineStack>
      ) : null}
      {showIf && subject && control?.kind === "choice" ? (
        <BlockStack gap="100">
          <Text as="p" tone="subdued">{`Ask question ${n} when the shopper chose any of:`}</Text>
          {choiceIds(subject).map((id) => (
            <Checkbox
              key={id}
              label={<Hidden text={label(id)} suffix={` opens question ${n}`} />}
              checked={showIf.options?.includes(id) ?? false}
              onChange={(checked) =>
                onChange({ ...showIf, options: checked ? [...(showIf.options ?? []), id] : (showIf.options ?? []).filter((o) => o !== id) })
              }
            />
          ))}
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}
