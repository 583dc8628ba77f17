/** @jsxImportSource preact */
import { Component } from "preact";
import type { SurveyAnswers, SurveySurface } from "../../../app/domain/survey/answer";
import { readSurveyConfig } from "../../../app/domain/survey/config";
import { codePointLength } from "../../../app/domain/text";
import { advance, startFlow, type FlowEvent, type FlowState } from "../../../app/domain/survey/flow";
import {
  MAX_COMMENT_LENGTH,
  MAX_OTHER_LENGTH,
  SCALES,
  localized,
  type QuestionType,
  type ScaleQuestion,
  type SurveyConfig,
} from "../../../app/domain/survey/questions";
import { readLoyalty, surveyConfigValue, type AppMetafieldEntryLike, type SignalLike, type SurveyHost } from "./host";
import { answeredKey, fetchAnswered, submitSurvey, type SubmitResult } from "./submit";

const OTHER = "other";
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
}

/**
 * The survey, one question at a time, driven by the pure flow in app/domain/survey/flow.ts. A class component on
 * purpose: it needs no preact/hooks, which keeps about 2.5 KB out of a bundle budgeted at 25 KB. It subscribes to
 * the host's signals itself (no @preact/signals either).
 */
export class Survey extends Component<SurveyProps, SurveyState> {
  private unsubscribe: Array<() => void> = [];
  private cached: { metafields: AppMetafieldEntryLike[]; config: SurveyConfig } | null = null;

  constructor(props: SurveyProps) {
    super(props);
    const metafields = props.host.appMetafields.value;
    this.state = {
      metafields,
      locale: props.host.localization.language.value?.isoCode || "en",
      orderId: props.order.value,
      phase: "checking",
      flow: startFlow(this.configFor(metafields)),
      failure: null,
    };
  }

  override componentDidMount() {
    const { host, order } = this.props;
    this.unsubscribe = [
      host.appMetafields.subscribe((metafields) =>
        // The metafield can arrive after the first render: restart while the shopper has not started yet.
        this.setState(({ flow }) => ({
          metafields,
          flow:
            flow.step === "empty" || (flow.step === "question" && flow.index === 0 && !Object.keys(flow.answers).length)
              ? startFlow(this.configFor(metafields))
              : flow,
        })),
      ),
      host.localization.language.subscribe((language) => this.setState({ locale: language?.isoCode || "en" })),
      order.subscribe((orderId) => {
        if (orderId === this.state.orderId) return;
        this.setState({ orderId, phase: "checking" });
        this.checkAnswered(orderId);
      }),
    ];
    this.checkAnswered(this.state.orderId);
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

  private async send(answers: SurveyAnswers) {
    const { host } = this.props;
    const { orderId = "", locale } = this.state;
    const config = this.configFor(this.state.metafields);
    const result = await submitSurvey(host, config.endpoint, this.props.surface, orderId, locale, answers);
    if (result === "ok" || result === "already") {
      await host.storage.write(answeredKey(orderId), { at: Date.now() }).catch(() => undefined);
    }
    if (result === "ok") this.setState(({ flow }) => ({ flow: advance(config, flow, { type: "submitted" }) }));
    else if (result === "already") this.setState({ phase: "already" });
    else this.setState(({ flow }) => ({ failure: result, flow: advance(config, flow, { type: "failed" }) }));
  }

  private dispatch = (event: FlowEvent) => {
    const current = this.state.flow;
    const next = advance(this.configFor(this.state.metafields), current, event);
    this.setState({ flow: next, failure: null });
    if (next.step === "submitting" && current.step !== "submitting") void this.send(next.answers);
  };

  override render() {
    const { host } = this.props;
    const { metafields, locale, orderId, phase, flow: state, failure } = this.state;
    if (!orderId || phase === "checking" || state.step === "empty") return null;
    const config = this.configFor(metafields);
    const loyalty = config.extras.showLoyaltyTier ? readLoyalty(metafields) : null;
    const t: Translate = (key, options) => String(host.i18n.translate(key, { shop: host.shop.name, ...options }));
    const merchant = (text: Partial<Record<string, string>> | null | undefined) => localized(text, locale, config.defaultLocale);
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
        body = (
          <Question
            key={state.question}
            config={config}
            type={state.question}
            answers={state.answers}
            index={state.index}
            total={state.total}
            shop={host.shop.name}
            t={t}
            merchant={merchant}
            dispatch={dispatch}
          />
        );
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
  config: SurveyConfig;
  type: QuestionType;
  answers: SurveyAnswers;
  index: number;
  total: number;
  shop: string;
  t: Translate;
  merchant: (text: Partial<Record<string, string>> | null | undefined) => string | null;
  dispatch: (event: FlowEvent) => void;
}

function Question({ config, type, answers, index, total, shop, t, merchant, dispatch }: QuestionProps) {
  const text = (merchant(config.questions[type].text) ?? t(`${type}.question`)).replace(/\{\{\s*shop\s*\}\}/g, shop);
  const patch = (p: SurveyAnswers) => dispatch({ type: "answer", patch: p });
  const last = index + 1 === total;
  const tooLong = (text: string | undefined, limit: number, key: string) =>
    text && overLimit(text, limit) ? t(key, { max: limit, count: codePointLength(text) }) : undefined;
  const otherError = type === "attribution" ? tooLong(answers.attribution?.other, MAX_OTHER_LENGTH, "attribution.otherTooLong") : undefined;
  const commentError = type === "comment" ? tooLong(answers.comment, MAX_COMMENT_LENGTH, "comment.tooLong") : undefined;
  let control;
  if (type === "nps" || type === "csat" || type === "ces") {
    control = <Scale type={type} label={text} value={answers[type]} t={t} onChange={(v) => patch({ [type]: v })} />;
  } else if (type === "attribution") {
    const q = config.questions.attribution;
    const selected = answers.attribution?.optionId;
    control = (
      <s-stack gap="base">
        <s-choice-list
          name="attribution"
          label={text}
          labelAccessibilityVisibility="exclusive"
          values={selected ? [selected] : []}
          onChange={(e) => {
            const id = valuesOf(e)[0];
            if (id) patch({ attribution: { optionId: id } });
          }}
        >
          {q.options.map((o) => (
            <s-choice key={o.id} value={o.id} selected={selected === o.id}>
              {merchant(o.label) ?? o.id}
            </s-choice>
          ))}
          {q.allowOther && (
            <s-choice value={OTHER} selected={selected === OTHER}>
              {t("attribution.other")}
            </s-choice>
          )}
        </s-choice-list>
        {selected === OTHER && (
          <s-text-field
            label={t("attribution.otherLabel")}
            maxLength={unitBound(MAX_OTHER_LENGTH)}
            error={otherError}
            value={answers.attribution?.other ?? ""}
            onInput={(e) => patch({ attribution: { optionId: OTHER, other: valueOf(e) } })}
          />
        )}
      </s-stack>
    );
  } else {
    control = (
      <s-text-area
        label={t("comment.label", { max: MAX_COMMENT_LENGTH })}
        maxLength={unitBound(MAX_COMMENT_LENGTH)}
        error={commentError}
        rows={3}
        value={answers.comment ?? ""}
        onInput={(e) => patch({ comment: valueOf(e) })}
      />
    );
  }
  return (
    <s-stack gap="base" accessibilityRole="section" accessibilityLabel={t("title")}>
      <s-text color="subdued">{t("progress", { current: index + 1, total })}</s-text>
      <s-heading>{text}</s-heading>
      {control}
      <s-stack direction="inline" gap="base">
        <s-button
          variant="primary"
          disabled={Boolean(otherError || commentError)}
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

function Scale(props: { type: ScaleQuestion; label: string; value: number | undefined; t: QuestionProps["t"]; onChange: (v: number) => void }) {
  const { type, label, value, t, onChange } = props;
  const { min, max } = SCALES[type];
  const values = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  return (
    <s-stack gap="small-200">
      <s-choice-list
        name={type}
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
          <s-choice key={n} value={String(n)} selected={value === n} accessibilityLabel={t("scale.choice", { value: n, min, max })}>
            {String(n)}
          </s-choice>
        ))}
      </s-choice-list>
      <s-stack direction="inline" justifyContent="space-between">
        <s-text color="subdued">{`${min} – ${t(`${type}.low`)}`}</s-text>
        <s-text color="subdued">{`${max} – ${t(`${type}.high`)}`}</s-text>
      </s-stack>
    </s-stack>
  );
}
