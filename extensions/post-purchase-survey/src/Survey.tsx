/** @jsxImportSource preact */
import { Component } from "preact";
import { answerFor, answerPatch, type SurveyAnswers, type SurveySurface } from "../../../app/domain/survey/answer";
import { needsCustomerFact, type AudienceFacts } from "../../../app/domain/survey/audience";
import { readSurveyConfig } from "../../../app/domain/survey/config";
import { codePointLength } from "../../../app/domain/text";
import { advance, askedAnswers, askedQuestions, hasAnswers, reachedQuestions, startFlow, type FlowEvent, type FlowState } from "../../../app/domain/survey/flow";
import {
  MAX_OTHER_LENGTH,
  NONE_OPTION,
  OTHER_OPTION,
  localized,
  questionWording,
  surveyQuestions,
  type SurveyConfig,
  type SurveyQuestion,
} from "../../../app/domain/survey/questions";
import {
  orderedChoices,
  QUESTION_REGISTRY,
  type AnswerValue,
  type ChoiceAnswer,
  type MultiChoiceAnswer,
  type QuestionControl,
} from "../../../app/domain/survey/registry";
import { readLoyalty, surveyConfigValue, type AppMetafieldEntryLike, type SignalLike, type SurveyHost } from "./host";
import { answeredKey, fetchAnswered, fetchFirstOrder, sendSeen, submitSurvey, type SubmitResult } from "./submit";

/** Polaris elements expose their state on the element: `values` (choice list) and `value` (text fields). */
const valuesOf = (e: Event) => (e.currentTarget as { values?: string[] } | null)?.values ?? [];
const valueOf = (e: Event) => (e.currentTarget as { value?: string } | null)?.value ?? "";
/**
 * Limits count characters (code points), as the server does; a field's own maxLength counts UTF-16 units, in which
 * `limit` characters take at most twice as many. So the field stops runaway typing at that bound and never cuts a
 * text within the limit (600 emoji are 1,200 units), and the exact count shows an error and holds the button.
 */
const unitBound = (limit: number) => 2 * limit;
const overLimit = (text: string | undefined, limit: number) => (text ? codePointLength(text) > limit : false);

/** A signal derived from another (e.g. the order id out of the order confirmation). */
export const mapSignal = <A, B>(source: SignalLike<A>, map: (a: A) => B): SignalLike<B> => ({
  get value() {
    return map(source.value);
  },
  subscribe: (listener) => source.subscribe((a) => listener(map(a))),
});

type Phase = "checking" | "open" | "already";
type Total = { amount: number; currencyCode: string } | undefined;
type Translate = (key: string, options?: Record<string, string | number>) => string;

interface SurveyProps {
  host: SurveyHost;
  order: SignalLike<string | undefined>;
  /** Which page the block is on; the endpoint records it with the answer. */
  surface: SurveySurface;
}
interface SurveyState {
  metafields: AppMetafieldEntryLike[];
  locale: string;
  orderId: string | undefined;
  phase: Phase;
  flow: FlowState;
  failure: SubmitResult | null;
  total: Total;
  /** The app's answer about the customer for an order (targeting by first order / returning), once asked. */
  firstOrder: { orderId: string; value: boolean | null } | null;
}

/** A flow the shopper has not started: it may start over when the configuration or the facts it was started with change. */
const untouched = (flow: FlowState) => flow.step === "empty" || (flow.step === "question" && flow.index === 0 && !Object.keys(flow.answers).length);

/**
 * The survey, one question at a time, driven by the pure flow in app/domain/survey/flow.ts. A class component on
 * purpose: it needs no preact/hooks, which keeps about 2.5 KB out of a bundle budgeted at 25 KB. It subscribes to
 * the host's signals itself (no @preact/signals either).
 */
export class Survey extends Component<SurveyProps, SurveyState> {
  private unsubscribe: Array<() => void> = [];
  private cached: { metafields: AppMetafieldEntryLike[]; config: SurveyConfig } | null = null;
  /** The steps saved so far, one after another (each carries every answer so far; a failed one is carried by the next). */
  private saving: Promise<unknown> = Promise.resolve();
  /** The order whose survey was reported seen by this block. */
  private seenFor: string | undefined;
  /** The order the app was asked about (first order or returning). */
  private askedFor: string | undefined;

  constructor(props: SurveyProps) {
    super(props);
    const metafields = props.host.appMetafields.value;
    const state: SurveyState = {
      metafields,
      locale: props.host.localization.language.value?.isoCode || "en",
      orderId: props.order.value,
      phase: "checking",
      flow: { step: "empty" },
      failure: null,
      total: props.host.cost?.totalAmount.value,
      firstOrder: null,
    };
    this.state = { ...state, flow: startFlow(this.configFor(metafields), this.factsOf(state)) };
  }

  /** What targeting reads (app/domain/survey/audience.ts), each from its source: the page, and the app for the customer. */
  private factsOf({ firstOrder, orderId, total, locale }: Pick<SurveyState, "firstOrder" | "orderId" | "total" | "locale">): AudienceFacts {
    return { firstOrder: firstOrder && firstOrder.orderId === orderId ? firstOrder.value : null, orderTotal: total ?? null, locale };
  }

  private facts(): AudienceFacts {
    return this.factsOf(this.state);
  }

  /** Whether the survey waits for the app's answer about the customer before it shows (only when a question needs it). */
  private awaitingCustomer(state: SurveyState = this.state): boolean {
    const config = this.configFor(state.metafields);
    return needsCustomerFact(surveyQuestions(config).map((q) => q.audience)) && state.firstOrder?.orderId !== state.orderId;
  }

  /** Applies a change of the configuration or of a fact, starting the flow over while the shopper has not started it. */
  private refresh(patch: Partial<SurveyState>) {
    this.setState((current) => {
      const next = { ...current, ...patch };
      return { ...patch, flow: untouched(current.flow) ? startFlow(this.configFor(next.metafields), this.factsOf(next)) : current.flow };
    });
  }

  override componentDidMount() {
    const { host, order } = this.props;
    this.unsubscribe = [
      // The metafield (and the order's total) can arrive after the first render: restart while the shopper has not started yet.
      host.appMetafields.subscribe((metafields) => this.refresh({ metafields })),
      host.localization.language.subscribe((language) => this.refresh({ locale: language?.isoCode || "en" })),
      ...(host.cost ? [host.cost.totalAmount.subscribe((total) => this.refresh({ total }))] : []),
      order.subscribe((orderId) => {
        if (orderId === this.state.orderId) return;
        this.setState({ orderId, phase: "checking" });
        this.checkAnswered(orderId);
      }),
    ];
    this.checkAnswered(this.state.orderId);
  }

  /**
   * Once the survey is open for an order, the app is asked about the customer when a question is targeted by it; once
   * it shows its first question, the app is told it was seen (once per order and surface).
   */
  override componentDidUpdate() {
    const { orderId, phase, flow, metafields } = this.state;
    if (!orderId || phase !== "open") return;
    if (this.awaitingCustomer()) {
      if (this.askedFor === orderId) return;
      this.askedFor = orderId;
      void fetchFirstOrder(this.props.host, this.configFor(metafields).endpoint, orderId).then((value) => {
        if (this.unsubscribe.length) this.refresh({ firstOrder: { orderId, value } });
      });
      return;
    }
    if (flow.step !== "question" || this.seenFor === orderId) return;
    this.seenFor = orderId;
    void sendSeen(this.props.host, this.configFor(metafields).endpoint, this.props.surface, orderId);
  }

  override componentWillUnmount() {
    this.unsubscribe.forEach((stop) => stop());
    this.unsubscribe = [];
  }

  private configFor(metafields: AppMetafieldEntryLike[]): SurveyConfig {
    if (this.cached?.metafields !== metafields) this.cached = { metafields, config: readSurveyConfig(surveyConfigValue(metafields)) };
    return this.cached.config;
  }

  /**
   * "Already answered": this device remembers it (shopify.storage), or, on the order status page, the app says
   * the order has an answer. The server stays the authority for late submissions (409).
   */
  private checkAnswered(orderId: string | undefined) {
    if (!orderId) return;
    const settle = (answered: boolean) => {
      if (this.unsubscribe.length && this.state.orderId === orderId) this.setState({ phase: answered ? "already" : "open" });
    };
    const { host, surface } = this.props;
    const remote = () =>
      surface === "order-status" ? fetchAnswered(host, this.configFor(this.state.metafields).endpoint, orderId) : false;
    host.storage
      .read(answeredKey(orderId))
      .then((v) => (v ? true : remote()), remote)
      .then(settle, () => settle(false));
  }

  /** Saves a step that is not the last (the shopper moved on, or left): every answer so far; failures wait for the next. */
  private saveStep(answers: SurveyAnswers, reached: string[]) {
    const { host, surface } = this.props;
    const { orderId = "", locale } = this.state;
    const config = this.configFor(this.state.metafields);
    this.saving = this.saving.then(async () => {
      if ((await submitSurvey(host, config, surface, orderId, locale, answers, { complete: false, reached })) === "already") this.setState({ phase: "already" });
    });
  }

  /** The last step: after the steps before it, every answer, completing the set. */
  private async send(answers: SurveyAnswers) {
    const { host } = this.props;
    const { orderId = "", locale } = this.state;
    const config = this.configFor(this.state.metafields);
    await this.saving;
    const reached = askedQuestions(config, answers, this.facts()).map((q) => q.key);
    const result = await submitSurvey(host, config, this.props.surface, orderId, locale, answers, { complete: true, reached });
    if (result === "ok" || result === "already") {
      await host.storage.write(answeredKey(orderId), { at: Date.now() }).catch(() => undefined);
    }
    if (result === "ok") this.setState(({ flow }) => ({ flow: advance(config, flow, { type: "submitted" }, this.facts()) }));
    else if (result === "already") this.setState({ phase: "already" });
    else this.setState(({ flow }) => ({ failure: result, flow: advance(config, flow, { type: "failed" }, this.facts()) }));
  }

  private dispatch = (event: FlowEvent) => {
    const current = this.state.flow;
    const facts = this.facts();
    const next = advance(this.configFor(this.state.metafields), current, event, facts);
    this.setState({ flow: next, failure: null });
    if (next.step === "submitting" && current.step !== "submitting") void this.send(next.answers);
    else if (current.step === "question" && (next.step === "skipped" || (next.step === "question" && next.question !== current.question))) {
      // Each answer is saved as it is given: moving on (or leaving) saves every answer so far.
      const config = this.configFor(this.state.metafields);
      const answers = askedAnswers(config, current.answers, facts);
      const shown = reachedQuestions(config, current.answers, next.step === "question" ? next.index : current.index, facts);
      if (hasAnswers(answers)) this.saveStep(answers, shown);
    }
  };

  override render() {
    const { host } = this.props;
    const { metafields, locale, orderId, phase, flow: state, failure } = this.state;
    if (!orderId || phase === "checking" || state.step === "empty" || (phase === "open" && this.awaitingCustomer())) return null;
    const config = this.configFor(metafields);
    const loyalty = config.extras.showLoyaltyTier ? readLoyalty(metafields) : null;
    const t: Translate = (key, options) => String(host.i18n.translate(key, { shop: host.shop.name, ...options }));
    const merchant = (text: Partial<Record<string, string>> | null | undefined) => localized(text, locale, config.defaultLocale);
    const question = state.step === "question" ? surveyQuestions(config).find((q) => q.key === state.question) : undefined;
    const dispatch = this.dispatch;

    const extras = <Extras summary={merchant(config.extras.returnPolicySummary)} loyalty={loyalty ? t("loyalty.tier", { tier: loyalty.tier, points: loyalty.points }) : null} />;

    if (phase === "already") {
      return (
        <s-stack gap="base">
          <s-text>{t("states.already")}</s-text>
          {extras}
        </s-stack>
      );
    }

    let body;
    switch (state.step) {
      case "question":
        body = question ? (
          <Question
            key={state.question}
            question={question}
            defaultLocale={config.defaultLocale}
            locale={locale}
            seed={orderId}
            answers={state.answers}
            index={state.index}
            total={state.total}
            shop={host.shop.name}
            t={t}
            merchant={merchant}
            dispatch={dispatch}
          />
        ) : null;
        break;
      case "submitting":
        body = (
          <s-stack direction="inline" gap="small-200" alignItems="center" accessibilityRole="status">
            <s-spinner accessibilityLabel={t("states.submitting")} />
            <s-text>{t("states.submitting")}</s-text>
          </s-stack>
        );
        break;
      case "error":
        body = (
          <s-banner tone="critical" heading={t("errors.title")}>
            <s-stack gap="base">
              <s-text>{t(failure === "invalid" ? "errors.invalid" : "errors.network")}</s-text>
              {failure !== "invalid" && (
                <s-button accessibilityLabel={t("actions.retryLabel")} onClick={() => dispatch({ type: "retry" })}>
                  {t("actions.retry")}
                </s-button>
              )}
            </s-stack>
          </s-banner>
        );
        break;
      case "done":
        body = (
          <s-banner tone="success">
            <s-text>{t("states.done")}</s-text>
          </s-banner>
        );
        break;
      case "skipped":
        body = <s-text>{t("states.skipped")}</s-text>;
        break;
    }

    return (
      <s-stack gap="base">
        {body}
        {extras}
      </s-stack>
    );
  }
}

function Extras({ summary, loyalty }: { summary: string | null; loyalty: string | null }) {
  if (!summary && !loyalty) return null;
  return (
    <s-stack gap="small-200">
      {summary && <s-text color="subdued">{summary}</s-text>}
      {loyalty && <s-text color="subdued">{loyalty}</s-text>}
    </s-stack>
  );
}

interface QuestionProps {
  question: SurveyQuestion;
  defaultLocale: string;
  locale: string;
  /** Seeds the shuffled options (the order: the same order on every reload). */
  seed: string;
  answers: SurveyAnswers;
  index: number;
  total: number;
  shop: string;
  t: Translate;
  merchant: (text: Partial<Record<string, string>> | null | undefined) => string | null;
  dispatch: (event: FlowEvent) => void;
}

/**
 * One question, drawn by its type's control in the registry (app/domain/survey/registry.ts): a scale, a choice list
 * or a text field. Built-in questions fall back to the built-in translation of the shopper's language before the
 * merchant's wording in another language (`questionWording`); custom questions have no built-in wording.
 */
function Question({ question, defaultLocale, locale, seed, answers, index, total, shop, t, merchant, dispatch }: QuestionProps) {
  const entry = QUESTION_REGISTRY[question.type];
  const key = entry.localeKey;
  const wording = question.custom ? localized(question.text, locale, defaultLocale) : questionWording(question.text, locale, defaultLocale);
  const text = (wording ?? (question.custom ? "" : t(`${key}.question`))).replace(/\{\{\s*shop\s*\}\}/g, shop);
  const value = answerFor(answers, question);
  const set = (v: AnswerValue) => dispatch({ type: "answer", patch: answerPatch(question, v) });
  const last = index + 1 === total;
  const tooLong = (input: string | undefined, limit: number, message: string) =>
    input && overLimit(input, limit) ? t(message, { max: limit, count: codePointLength(input) }) : undefined;
  const control: QuestionControl = entry.control;
  let error: string | undefined;
  let input;
  if (control.kind === "scale") {
    input = <Scale name={question.key} min={control.min} max={control.max} ends={key} label={text} value={typeof value === "number" ? value : undefined} t={t} onChange={set} />;
  } else if (control.kind === "text") {
    error = tooLong(typeof value === "string" ? value : undefined, control.maxLength, `${key}.tooLong`);
    const props = {
      label: t(`${key}.label`, { max: control.maxLength }),
      maxLength: unitBound(control.maxLength),
      error,
      value: typeof value === "string" ? value : "",
      onInput: (e: Event) => set(valueOf(e)),
    };
    input = control.multiline ? <s-text-area {...props} rows={3} /> : <s-text-field {...props} />;
  } else {
    const choice = (typeof value === "object" ? value : {}) as Partial<ChoiceAnswer & MultiChoiceAnswer>;
    const chosen = control.multiple ? (choice.optionIds ?? []) : choice.optionId ? [choice.optionId] : [];
    error = chosen.includes(OTHER_OPTION) ? tooLong(choice.other, MAX_OTHER_LENGTH, `${key}.otherTooLong`) : undefined;
    const labels = new Map(question.options.map((o) => [o.id, merchant(o.label) ?? o.id]));
    const label = (id: string) => (id === OTHER_OPTION ? t(`${key}.other`) : id === NONE_OPTION ? t("choice.none") : (labels.get(id) ?? id));
    const pick = (ids: string[], other?: string) =>
      set(control.multiple ? { optionIds: ids, ...(other !== undefined ? { other } : {}) } : { optionId: ids[0]!, ...(other !== undefined ? { other } : {}) });
    input = (
      <s-stack gap="base">
        <s-choice-list
          name={question.key}
          label={text}
          labelAccessibilityVisibility="exclusive"
          multiple={control.multiple}
          values={chosen}
          onChange={(e) => {
            let ids = valuesOf(e);
            // "None" is chosen alone: picking it clears the others, picking another clears it.
            if (control.multiple && ids.includes(NONE_OPTION) && ids.length > 1) ids = chosen.includes(NONE_OPTION) ? ids.filter((id) => id !== NONE_OPTION) : [NONE_OPTION];
            if (control.multiple || ids[0]) pick(ids, ids.includes(OTHER_OPTION) ? choice.other : undefined);
          }}
        >
          {orderedChoices(question, seed).map((id) => (
            <s-choice key={id} value={id} selected={chosen.includes(id)}>
              {label(id)}
            </s-choice>
          ))}
        </s-choice-list>
        {chosen.includes(OTHER_OPTION) && (
          <s-text-field
            label={t(`${key}.otherLabel`)}
            maxLength={unitBound(MAX_OTHER_LENGTH)}
            error={error}
            value={choice.other ?? ""}
            onInput={(e) => pick(chosen, valueOf(e))}
          />
        )}
      </s-stack>
    );
  }
  return (
    <s-stack gap="base" accessibilityRole="section" accessibilityLabel={t("title")}>
      <s-text color="subdued">{t("progress", { current: index + 1, total })}</s-text>
      <s-heading>{text}</s-heading>
      {input}
      <s-stack direction="inline" gap="base">
        <s-button
          variant="primary"
          disabled={Boolean(error)}
          accessibilityLabel={t(last ? "actions.submitLabel" : "actions.nextLabel")}
          onClick={() => dispatch({ type: "next" })}
        >
          {t(last ? "actions.submit" : "actions.next")}
        </s-button>
        <s-button variant="secondary" accessibilityLabel={t("actions.skipLabel")} onClick={() => dispatch({ type: "skip" })}>
          {t("actions.skip")}
        </s-button>
      </s-stack>
    </s-stack>
  );
}

/** Scales longer than this show as a grid of buttons on a narrow (phone) container: NPS's 11 points. */
const COMPACT_AFTER = 7;
const NARROW = "@container (inline-size > 480px)";

interface ScaleProps {
  name: string;
  min: number;
  max: number;
  /** The locale key of the scale's end labels (`<ends>.low`, `<ends>.high`). */
  ends: string;
  label: string;
  value: number | undefined;
  t: Translate;
  onChange: (v: number) => void;
}

function Scale({ name, min, max, ends, label, value, t, onChange }: ScaleProps) {
  const values = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const choiceLabel = (n: number) => t("scale.choice", { value: n, min, max });
  const list = (
    <s-choice-list
      name={name}
      label={label}
      labelAccessibilityVisibility="exclusive"
      variant="inline"
      values={value === undefined ? [] : [String(value)]}
      onChange={(e) => {
        const v = Number(valuesOf(e)[0]);
        if (Number.isInteger(v)) onChange(v);
      }}
    >
      {values.map((n) => (
        <s-choice key={n} value={String(n)} selected={value === n} accessibilityLabel={choiceLabel(n)}>
          {String(n)}
        </s-choice>
      ))}
    </s-choice-list>
  );
  return (
    <s-stack gap="small-200">
      {values.length > COMPACT_AFTER ? (
        // Wide: one row of radios. Narrow (a phone): a compact grid of press buttons, six to a row.
        <s-query-container>
          <s-box display={`${NARROW} auto, none`}>{list}</s-box>
          <s-box display={`${NARROW} none, auto`}>
            <s-grid gridTemplateColumns="repeat(6, 1fr)" gap="small-200" accessibilityLabel={label}>
              {values.map((n) => (
                <s-press-button key={n} inlineSize="fill" pressed={value === n} accessibilityLabel={choiceLabel(n)} onClick={() => onChange(n)}>
                  {String(n)}
                </s-press-button>
              ))}
            </s-grid>
          </s-box>
        </s-query-container>
      ) : (
        list
      )}
      <s-stack direction="inline" justifyContent="space-between">
        <s-text color="subdued">{`${min} – ${t(`${ends}.low`)}`}</s-text>
        <s-text color="subdued">{`${max} – ${t(`${ends}.high`)}`}</s-text>
      </s-stack>
    </s-stack>
  );
}
