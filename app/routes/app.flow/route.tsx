import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner } from "@shopify/polaris";
import { useEffect, useRef } from "react";
import { AppPage } from "~/components/AppPage";
import { FlowActionRunsCard } from "~/components/flow/FlowActionRunsCard";
import { FlowActionsCard } from "~/components/flow/FlowActionsCard";
import { FlowSendsCard } from "~/components/flow/FlowSendsCard";
import { FlowTriggersCard } from "~/components/flow/FlowTriggersCard";
import { titleMeta } from "~/components/page-title";
import { useAppToast } from "~/components/use-app-toast";
import { flowAction } from "./action.server";
import { flowLoader } from "./loader.server";

export const loader = flowLoader;
export const meta = titleMeta("Shopify Flow");
export const action = flowAction;

type RetryResult = { ok: true; retried: number } | { ok: false; errors: Record<string, string> };

export default function FlowPage() {
  const { triggers, actions, sends, runs, timezone } = useLoaderData<typeof loader>();
  const retrier = useFetcher<RetryResult>({ key: "flow-retry" });
  const { show, notice, dismiss } = useAppToast();
  const retried = useRef<unknown>(null);
  const retryResult = retrier.state === "idle" ? retrier.data : undefined;
  useEffect(() => {
    if (!retryResult || retried.current === retryResult) return;
    retried.current = retryResult;
    show(retryResult.ok ? "Trigger queued for another attempt" : (Object.values(retryResult.errors)[0] ?? "That send could not be retried"), { error: !retryResult.ok });
  }, [retryResult, show]);
  const onRetry = (id: number) => retrier.submit({ intent: "retry", id }, { method: "post", encType: "application/json" });
  const retrying = retrier.state !== "idle" ? ((retrier.json as { id?: number } | undefined)?.id ?? null) : null;

  return (
    <AppPage title="Shopify Flow" subtitle="Start workflows from Afterglow's events, and let workflows award points or work follow-ups">
      {notice ? <Banner tone={notice.error ? "critical" : "success"} title={notice.message} onDismiss={dismiss} /> : null}
      <FlowTriggersCard triggers={triggers} timezone={timezone} />
      <FlowSendsCard sends={sends} timezone={timezone} retrying={retrying} onRetry={onRetry} />
      <FlowActionsCard actions={actions} />
      <FlowActionRunsCard runs={runs} timezone={timezone} />
    </AppPage>
  );
}
