import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, Text } from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { AppPage } from "~/components/AppPage";
import { titleMeta } from "~/components/page-title";
import { OrderHistoryCard } from "~/components/loyalty/OrderHistoryCard";
import { OutboxCard } from "~/components/loyalty/OutboxCard";
import { ReturnRulesBanner } from "~/components/returns/ReturnRulesBanner";
import { pendingSetting } from "~/domain/loyalty/program";
import { PerkDiscountsCard, type PerkDiscountView } from "~/components/loyalty/PerkDiscountsCard";
import { ProgramEditor } from "~/components/loyalty/ProgramEditor";
import { RecomputeCard } from "~/components/loyalty/RecomputeCard";
import { RewardsCard } from "~/components/loyalty/RewardsCard";
import { TierDistributionCard } from "~/components/loyalty/TierDistributionCard";
import { useAppToast } from "~/components/use-app-toast";
import { loyaltyAction } from "./action.server";
import { loyaltyLoader } from "./loader.server";
import { rewardFormOf, type RewardForm } from "~/domain/loyalty/rewards";
import { formFromProgram, type ProgramForm } from "./program-form";

export const loader = loyaltyLoader;
export const meta = titleMeta("Loyalty");
export const action = loyaltyAction;

type SaveResult = { ok: true; jobId: number } | { ok: false; errors: Record<string, string> };
type RetryResult = { ok: true; retried: number } | { ok: false; errors: Record<string, string> };
type PerkRetryResult = { ok: true; perk: string } | { ok: false; errors: Record<string, string> };
type RewardResult = { ok: true; rewardId: number } | { ok: false; errors: Record<string, string> };

export default function LoyaltyPage() {
  const { program, version, isDefault, currency, timezone, distribution, job, outbox, rewards, rewardFigures, tierPerks, historyReach, returnRuleDifferences } =
    useLoaderData<typeof loader>();
  const saver = useFetcher<SaveResult>({ key: "loyalty-save" });
  const retrier = useFetcher<RetryResult>({ key: "loyalty-retry" });
  const rewardSaver = useFetcher<RewardResult>({ key: "reward-save" });
  const perkRetrier = useFetcher<PerkRetryResult>({ key: "perk-retry" });
  const [editingReward, setEditingReward] = useState<number | "new" | null>(null);
  const { show, notice, dismiss } = useAppToast();
  const initial = useMemo(() => formFromProgram(program, currency), [program, currency]);

  const saving = saver.state !== "idle";
  const saveResult = saver.state === "idle" ? saver.data : undefined;
  const announced = useRef<unknown>(null);
  useEffect(() => {
    if (!saveResult || announced.current === saveResult) return;
    announced.current = saveResult;
    if (saveResult.ok) show("Loyalty program saved. Recomputing tiers…");
  }, [saveResult, show]);

  const retried = useRef<unknown>(null);
  const retryResult = retrier.state === "idle" ? retrier.data : undefined;
  useEffect(() => {
    if (!retryResult || retried.current === retryResult) return;
    retried.current = retryResult;
    show(retryResult.ok ? "Message queued for another attempt" : (Object.values(retryResult.errors)[0] ?? "That message could not be retried"), {
      error: !retryResult.ok,
    });
  }, [retryResult, show]);

  const perkRetryResult = perkRetrier.state === "idle" ? perkRetrier.data : undefined;
  const perkRetried = useRef<unknown>(null);
  useEffect(() => {
    if (!perkRetryResult || perkRetried.current === perkRetryResult) return;
    perkRetried.current = perkRetryResult;
    show(perkRetryResult.ok ? "Perk queued for another attempt" : (Object.values(perkRetryResult.errors)[0] ?? "That perk could not be retried"), {
      error: !perkRetryResult.ok,
    });
  }, [perkRetryResult, show]);
  const onRetryPerk = (perk: PerkDiscountView) =>
    perkRetrier.submit({ intent: "retry-perk", kind: perk.kind, key: perk.key }, { method: "post", encType: "application/json" });

  const rewardResult = rewardSaver.state === "idle" ? rewardSaver.data : undefined;
  const rewardAnnounced = useRef<unknown>(null);
  useEffect(() => {
    if (!rewardResult || rewardAnnounced.current === rewardResult) return;
    rewardAnnounced.current = rewardResult;
    if (!rewardResult.ok) {
      // The editor shows its own errors; a switch flipped from the list says what went wrong here.
      if (editingReward === null) show(Object.values(rewardResult.errors)[0] ?? "The reward could not be saved", { error: true });
      return;
    }
    setEditingReward(null);
    show("Reward saved");
  }, [rewardResult, show, editingReward]);
  const onSaveReward = (rewardId: number | null, form: RewardForm) =>
    rewardSaver.submit({ intent: "save-reward", ...(rewardId === null ? {} : { rewardId }), form: { ...form } }, { method: "post", encType: "application/json" });
  const onToggleReward = (reward: (typeof rewards)[number]) => onSaveReward(reward.id, { ...rewardFormOf(reward), enabled: !reward.enabled });

  const onSave = (form: ProgramForm) => {
    dismiss();
    saver.submit({ intent: "save", form }, { method: "post", encType: "application/json" });
  };
  const onRetry = (id: number) => retrier.submit({ intent: "retry", id }, { method: "post", encType: "application/json" });

  const banner = notice ? <Banner tone={notice.error ? "critical" : "success"} title={notice.message} onDismiss={dismiss} /> : null;

  return (
    <AppPage title="Loyalty" subtitle={isDefault ? undefined : `Program version ${version}`}>
      {isDefault ? (
        <Banner tone="info" title="You are running the default program">
          <Text as="p">Bronze, Silver and Gold by lifetime net spend; an order's points wait out its return window. Change anything below and save to make it yours.</Text>
        </Banner>
      ) : null}
      {pendingSetting(program).enabled ? (
        <ReturnRulesBanner
          differences={returnRuleDifferences}
          consequence="points earned on an order stay pending until Afterglow's window (on the Returns page) closes, so a shopper may spend them while Shopify still takes the return, or wait after it stopped."
        />
      ) : null}
      <TierDistributionCard buckets={distribution} recomputing={job?.status === "running"} />
      <RecomputeCard job={job} timezone={timezone} />
      <OrderHistoryCard reach={historyReach} timezone={timezone} />
      <ProgramEditor
        // A saved program comes back as a new version: start the editor afresh from it.
        key={version}
        initial={initial}
        currency={currency}
        saving={saving}
        serverErrors={saveResult && !saveResult.ok ? saveResult.errors : null}
        onSave={onSave}
        notice={banner}
      />
      <PerkDiscountsCard
        perks={tierPerks}
        timezone={timezone}
        retrying={perkRetrier.state !== "idle" ? ((perkRetrier.json as { key?: string } | undefined)?.key ?? null) : null}
        onRetry={onRetryPerk}
      />
      <RewardsCard
        rewards={rewards}
        figures={rewardFigures}
        currency={currency}
        editing={editingReward}
        saving={rewardSaver.state !== "idle"}
        serverErrors={rewardResult && !rewardResult.ok ? rewardResult.errors : null}
        onEdit={setEditingReward}
        onSave={onSaveReward}
        onToggle={onToggleReward}
      />
      <OutboxCard
        outbox={outbox}
        timezone={timezone}
        retrying={retrier.state !== "idle" ? ((retrier.json as { id?: number } | undefined)?.id ?? null) : null}
        onRetry={onRetry}
      />
    </AppPage>
  );
}
