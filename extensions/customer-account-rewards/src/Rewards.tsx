/** @jsxImportSource preact */
import { Component } from "preact";
import { currencyExponent } from "../../../app/domain/money";
import { tierProgress, type ShopperPerks, type ShopperRewardsView } from "../../../app/domain/loyalty/rewards-view";
import { loadRewards, newIdempotencyKey, redeem, type RedeemResult } from "./api";
import type { RewardsHost } from "./host";

/** The full page's handle (shopify.extension.toml): the block links to it. */
const PAGE_URL = "extension://customer-account-rewards";

type Translate = (key: string, options?: Record<string, string | number>) => string;
type Reward = ShopperRewardsView["rewards"][number];

/** What the last Redeem click came to, shown above the rewards. */
interface Notice {
  tone: "success" | "info" | "warning" | "critical";
  text: string;
  /** The reward to try again (a click whose outcome is unknown): the same idempotency key is sent again. */
  retry?: Reward;
}

interface RewardsProps {
  host: RewardsHost;
  /** The profile block: tier, points and a link to the page. */
  compact?: boolean;
}

interface RewardsState {
  phase: "loading" | "ready" | "signin" | "failed";
  view: ShopperRewardsView | null;
  locale: string;
  /** The reward a Redeem click is on its way for. */
  redeeming: number | null;
  /**
   * The key of the click whose outcome is not known yet, kept while the shopper retries that same reward (the server
   * answers a repeated key with the first redemption: one code, one debit); a definite answer clears it.
   */
  attempt: { rewardId: number; key: string } | null;
  notice: Notice | null;
  /** Codes copied (true) or that the host could not copy (false). */
  copied: Record<string, boolean>;
}

/**
 * The shopper's rewards: tier and progress to the next, points (or points owed), the rewards they can redeem, their
 * unused codes and their history. A class component on purpose (no preact/hooks), like the survey's.
 */
export class Rewards extends Component<RewardsProps, RewardsState> {
  private unsubscribe: (() => void) | null = null;
  private mounted = false;
  /** Set at once on a click (state updates are batched): a second click before the re-render sends nothing. */
  private busy = false;

  constructor(props: RewardsProps) {
    super(props);
    this.state = {
      phase: "loading",
      view: null,
      locale: props.host.localization.language.value?.isoCode || "en",
      redeeming: null,
      attempt: null,
      notice: null,
      copied: {},
    };
  }

  override componentDidMount() {
    this.mounted = true;
    this.unsubscribe = this.props.host.localization.language.subscribe((language) => this.setState({ locale: language?.isoCode || "en" }));
    void this.load();
  }

  override componentWillUnmount() {
    this.mounted = false;
    this.unsubscribe?.();
  }

  private load = async () => {
    const result = await loadRewards(this.props.host);
    if (!this.mounted) return;
    if (result.kind === "ok") this.setState({ phase: "ready", view: result.view });
    // A failed reload keeps what is shown; only a first load shows the failure.
    else if (!this.state.view || result.kind === "signin") this.setState({ phase: result.kind });
  };

  private retryLoad = () => {
    this.setState({ phase: "loading" });
    void this.load();
  };

  private redeem = async (reward: Reward) => {
    if (this.busy) return;
    this.busy = true;
    const previous = this.state.attempt;
    const attempt = previous && previous.rewardId === reward.id ? previous : { rewardId: reward.id, key: newIdempotencyKey() };
    this.setState({ redeeming: reward.id, attempt, notice: null });
    const result = await redeem(this.props.host, reward.id, attempt.key);
    this.busy = false;
    if (!this.mounted) return;
    const notice = this.noticeFor(result, reward);
    this.setState({ redeeming: null, attempt: result.kind === "retry" ? attempt : null, notice });
    if (result.kind !== "retry" && result.kind !== "signin") void this.load();
  };

  private noticeFor(result: RedeemResult, reward: Reward): Notice {
    const t = this.t;
    switch (result.kind) {
      case "issued":
        return { tone: "success", text: t("redeem.issued", { code: result.redemption.code ?? "" }) };
      case "pending":
        return { tone: "info", text: t("redeem.pending") };
      case "insufficient":
        return result.balance === null
          ? { tone: "warning", text: t("redeem.changed") }
          : { tone: "warning", text: t("redeem.insufficient", { count: Math.max(result.balance, 0), points: this.number(Math.max(result.balance, 0)) }) };
      case "refused":
        return { tone: "critical", text: result.reason ? t("redeem.refused", { reason: result.reason }) : t("redeem.refusedNoReason") };
      case "unavailable":
        return { tone: "warning", text: t("redeem.unavailable") };
      case "signin":
        return { tone: "critical", text: t("redeem.signIn") };
      case "retry":
        return { tone: "critical", text: t("redeem.failed"), retry: reward };
    }
  }

  private t: Translate = (key, options) => String(this.props.host.i18n.translate(key, options));
  private number = (n: number) => this.props.host.i18n.formatNumber(n);
  /** Minor units of `currency`, in the shopper's locale. */
  private money = (minor: number, currency: string) => {
    const exponent = currencyExponent(currency);
    return this.props.host.i18n.formatCurrency(minor / 10 ** exponent, { currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent });
  };
  /** An ISO instant as the shopper's locale writes a date. */
  private date = (iso: string) => this.props.host.i18n.formatDate(new Date(iso), { dateStyle: "medium" });
  private points = (count: number) => this.t("points", { count, points: this.number(count) });

  private perksText(perks: ShopperPerks): string {
    const parts: string[] = [];
    if (perks.discountPercent) parts.push(this.t("perks.discount", { percent: perks.discountPercent }));
    if (perks.freeShipping) parts.push(this.t("perks.freeShipping"));
    if (perks.text) parts.push(perks.text);
    return parts.join(" · ");
  }

  private rewardValue(reward: Reward, currency: string): string {
    const value =
      reward.kind === "fixed_amount" && reward.amountMinor !== null
        ? this.t("rewards.amountOff", { amount: this.money(reward.amountMinor, currency) })
        : reward.kind === "percentage" && reward.percent !== null
          ? this.t("rewards.percentOff", { percent: reward.percent })
          : reward.kind === "free_shipping"
            ? this.t("rewards.freeShipping")
            : reward.valueText;
    return reward.minimumMinor !== null ? this.t("rewards.minimum", { value, amount: this.money(reward.minimumMinor, currency) }) : value;
  }

  override render() {
    const { compact } = this.props;
    const { phase, view } = this.state;
    const t = this.t;
    let body;
    if (phase === "loading") {
      body = (
        <s-stack direction="inline" gap="small-200" alignItems="center" accessibilityRole="status">
          <s-spinner accessibilityLabel={t("loading")} />
          <s-text>{t("loading")}</s-text>
        </s-stack>
      );
    } else if (phase === "signin") {
      body = <s-text>{t("signIn")}</s-text>;
    } else if (phase === "failed" || !view) {
      body = (
        <s-banner tone="critical">
          <s-stack gap="base">
            <s-text>{t("loadFailed")}</s-text>
            <s-button onClick={this.retryLoad}>{t("retry")}</s-button>
          </s-stack>
        </s-banner>
      );
    } else if (compact) {
      body = this.summary(view, true);
    } else {
      body = (
        <s-stack gap="large">
          {this.notice()}
          <s-section heading={t("status.heading")}>{this.summary(view, false)}</s-section>
          <s-section heading={t("rewards.heading")}>{this.rewardList(view)}</s-section>
          <s-section heading={t("codes.heading")}>{this.codeList(view)}</s-section>
          <s-section heading={t("history.heading")}>{this.historyList(view)}</s-section>
        </s-stack>
      );
    }
    if (compact) return <s-section heading={t("title")}>{body}</s-section>;
    return <s-page heading={t("title")}>{body}</s-page>;
  }

  private notice() {
    const { notice, redeeming } = this.state;
    if (!notice) return null;
    const retry = notice.retry;
    return (
      <s-banner tone={notice.tone}>
        <s-stack gap="base">
          <s-text>{notice.text}</s-text>
          {retry && (
            <s-button loading={redeeming === retry.id} disabled={redeeming !== null} onClick={() => void this.redeem(retry)}>
              {this.t("retry")}
            </s-button>
          )}
        </s-stack>
      </s-banner>
    );
  }

  /** Tier, points (or owed), and the way to the next tier; the block adds the count of unused codes and a link. */
  private summary(view: ShopperRewardsView, compact: boolean) {
    const t = this.t;
    const owed = view.balance < 0;
    const next = view.next;
    let toNext = null;
    if (next) {
      const left =
        next.basis === "spend"
          ? t("status.nextSpend", { amount: this.money(next.remaining, view.currency), tier: next.name })
          : t("status.nextOrders", { count: next.remaining, orders: this.number(next.remaining), tier: next.name });
      const nextPerks = this.perksText(next.perks);
      toNext = (
        <s-stack gap="small-200">
          <s-text>{left}</s-text>
          <s-progress value={tierProgress(next)} max={1} accessibilityLabel={t("status.progress", { tier: next.name })} />
          {!compact && nextPerks && <s-text color="subdued">{t("status.nextPerks", { tier: next.name, perks: nextPerks })}</s-text>}
        </s-stack>
      );
    }
    const tierPerks = view.tier ? this.perksText(view.tier.perks) : "";
    return (
      <s-stack gap="base">
        <s-stack gap="small-200">
          <s-text type="strong">{view.tier ? t("status.tier", { tier: view.tier.name }) : t("status.noTier")}</s-text>
          {!compact && tierPerks && <s-text color="subdued">{t("status.perks", { perks: tierPerks })}</s-text>}
          {!next && view.tier && <s-text color="subdued">{t("status.top")}</s-text>}
        </s-stack>
        {owed ? (
          <s-stack gap="small-200">
            <s-text type="strong">{t("balance.owed", { count: -view.balance, points: this.number(-view.balance) })}</s-text>
            <s-text color="subdued">{t("balance.owedHelp")}</s-text>
          </s-stack>
        ) : (
          <s-text type="strong">{t("balance.available", { count: view.balance, points: this.number(view.balance) })}</s-text>
        )}
        {view.pending > 0 && view.pendingAvailableAt && (
          <s-stack gap="small-200">
            <s-text>{t("balance.pending", { count: view.pending, points: this.number(view.pending), date: this.date(view.pendingAvailableAt) })}</s-text>
            {!compact && <s-text color="subdued">{t("balance.pendingHelp")}</s-text>}
          </s-stack>
        )}
        {toNext}
        {compact && view.codes.length > 0 && <s-text>{t("codes.count", { count: view.codes.length, codes: this.number(view.codes.length) })}</s-text>}
        {compact && <s-link href={PAGE_URL}>{t("block.link")}</s-link>}
      </s-stack>
    );
  }

  private rewardList(view: ShopperRewardsView) {
    const t = this.t;
    const { redeeming } = this.state;
    if (!view.rewards.length) return <s-text color="subdued">{t("rewards.empty")}</s-text>;
    return (
      <s-stack gap="base">
        {view.rewards.map((reward) => {
          const short = reward.pointsCost - Math.max(view.balance, 0);
          return (
            <s-stack key={reward.id} gap="small-200">
              <s-text type="strong">{reward.title}</s-text>
              <s-text>{this.rewardValue(reward, view.currency)}</s-text>
              <s-text color="subdued">
                {this.points(reward.pointsCost)} · {t("rewards.valid", { count: reward.validityDays, days: this.number(reward.validityDays) })}
              </s-text>
              {reward.affordable ? (
                <s-button
                  variant="primary"
                  loading={redeeming === reward.id}
                  disabled={redeeming !== null}
                  accessibilityLabel={t("rewards.redeemLabel", { reward: reward.title, points: this.points(reward.pointsCost) })}
                  onClick={() => void this.redeem(reward)}
                >
                  {t("rewards.redeem")}
                </s-button>
              ) : (
                <s-text color="subdued">{t("rewards.short", { count: short, points: this.number(short) })}</s-text>
              )}
            </s-stack>
          );
        })}
      </s-stack>
    );
  }

  private codeList(view: ShopperRewardsView) {
    const t = this.t;
    const { copied } = this.state;
    if (!view.codes.length) return <s-text color="subdued">{t("codes.empty")}</s-text>;
    return (
      <s-stack gap="base">
        {view.codes.map((code, i) => {
          const id = `afterglow-code-${i}`;
          const value = code.code ?? "";
          const state = copied[value];
          return (
            <s-stack key={code.id} gap="small-200">
              <s-text color="subdued">{code.title}</s-text>
              {/* The code as text the shopper can select, whatever the clipboard allows. */}
              <s-text type="strong">{value}</s-text>
              <s-text color="subdued">{t("codes.expires", { date: this.props.host.i18n.formatDate(new Date(code.expiresAt), { dateStyle: "medium" }) })}</s-text>
              <s-stack direction="inline" gap="small-200" alignItems="center">
                <s-button commandFor={id} command="--copy" accessibilityLabel={t("codes.copyLabel", { code: value })}>
                  {t("codes.copy")}
                </s-button>
                <s-stack accessibilityRole="status">
                  {state === true && <s-text>{t("codes.copied")}</s-text>}
                  {state === false && <s-text>{t("codes.copyFailed")}</s-text>}
                </s-stack>
              </s-stack>
              <s-clipboard-item
                id={id}
                text={value}
                onCopy={() => this.setState(({ copied: c }) => ({ copied: { ...c, [value]: true } }))}
                onCopyError={() => this.setState(({ copied: c }) => ({ copied: { ...c, [value]: false } }))}
              />
            </s-stack>
          );
        })}
      </s-stack>
    );
  }

  private historyList(view: ShopperRewardsView) {
    const t = this.t;
    if (!view.history.length) return <s-text color="subdued">{t("history.empty")}</s-text>;
    const KNOWN = ["order", "refund", "cancellation", "adjustment", "transfer", "redemption", "redemption-reversal"];
    return (
      <s-stack gap="small-200">
        {view.history.map((row, i) => {
          const what = t(`history.kinds.${KNOWN.includes(row.kind) ? row.kind : "adjustment"}`);
          const sign = row.points > 0 ? "+" : row.points < 0 ? "−" : "";
          return (
            <s-stack key={i} direction="inline" gap="base">
              <s-text color="subdued">{this.props.host.i18n.formatDate(new Date(row.at), { dateStyle: "medium" })}</s-text>
              <s-text>{row.orderName ? t("history.withOrder", { what, order: row.orderName }) : what}</s-text>
              <s-text type="strong">{`${sign}${this.number(Math.abs(row.points))}`}</s-text>
              {row.availableAt && <s-text color="subdued">{t("history.pendingUntil", { date: this.date(row.availableAt) })}</s-text>}
            </s-stack>
          );
        })}
      </s-stack>
    );
  }
}
