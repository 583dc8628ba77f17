import { useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Box, Card, InlineStack, Select, Tabs, Text } from "@shopify/polaris";
import { useEffect, useRef } from "react";
import { AppPage } from "~/components/AppPage";
import { titleMeta } from "~/components/page-title";
import { FollowUpList } from "~/components/followups/FollowUpList";
import { MarkCandidatesTable } from "~/components/followups/MarkCandidatesTable";
import { ResponseTargetCard } from "~/components/followups/ResponseTargetCard";
import { FOLLOW_UP_FETCHER_KEY } from "~/components/followups/fetcher";
import { useAppToast } from "~/components/use-app-toast";
import type { FollowUpActionResult } from "~/domain/followups/views";
import { followUpsAction } from "./action.server";
import { followUpsLoader } from "./loader.server";

export const loader = followUpsLoader;
export const meta = titleMeta("Follow-ups");
export const action = followUpsAction;

type TabId = "open" | "contacted" | "resolved" | "marked" | "all" | "answers";

const TAB_LABELS: Record<TabId, string> = {
  open: "Open",
  contacted: "Contacted",
  resolved: "Resolved",
  marked: "Marked",
  all: "All",
  answers: "Passives & promoters",
};
const TAB_IDS: TabId[] = ["open", "contacted", "resolved", "marked", "all", "answers"];

const KIND_OPTIONS = {
  marked: [
    { label: "Thank-you and review request", value: "all" },
    { label: "Thank-you", value: "thank-you" },
    { label: "Review request", value: "review-request" },
  ],
  all: [
    { label: "All kinds", value: "all" },
    { label: "Recovery", value: "recovery" },
    { label: "Thank-you", value: "thank-you" },
    { label: "Review request", value: "review-request" },
  ],
};
const BAND_OPTIONS = [
  { label: "Passives and promoters (NPS 7–10)", value: "all" },
  { label: "Passives (NPS 7–8)", value: "passive" },
  { label: "Promoters (NPS 9–10)", value: "promoter" },
];

const EMPTY: Record<string, string> = {
  open: "No open follow-ups. An answer with NPS 0–6, CSAT 1–2 or CES 1–3 opens one here.",
  contacted: "No follow-ups waiting on the shopper.",
  resolved: "No resolved follow-ups yet.",
  marked: "Nothing marked yet. Mark passives and promoters for a thank-you or a review request in the last tab.",
  all: "No follow-ups yet.",
};

export default function FollowUpsPage() {
  const { params, counts, overdue, queue, answers, now, timezone, targetHours, staff, rewards } = useLoaderData<typeof loader>();
  const [, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/followups";
  const fetcher = useFetcher<FollowUpActionResult>({ key: FOLLOW_UP_FETCHER_KEY });
  const { show, notice, dismiss } = useAppToast();

  // Announce each result once, here: the row it came from may have left the list (its status changed).
  const announced = useRef<unknown>(null);
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!result || announced.current === result) return;
    announced.current = result;
    if (result.ok) show(result.message);
    else show(Object.values(result.errors)[0] ?? "Not saved", { error: true });
  }, [result, show]);

  /** Replaces the given URL parameters and starts from the first page. */
  const go = (changes: Record<string, string | null>) =>
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete("after");
        next.delete("before");
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || (value === "all" && key !== "status")) next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { preventScrollReset: true },
    );

  const selectedTab: TabId = params.view === "answers" ? "answers" : params.status;
  const tabs = TAB_IDS.map((id) => ({
    id: `followups-tab-${id}`,
    // The count in the tab's text ("Open (21)"), which is then its accessible name too. A Polaris badge would add its
    // hidden tone word ("New") on unselected tabs, so no label could say exactly what the tab shows.
    content: id === "answers" ? TAB_LABELS[id] : `${TAB_LABELS[id]} (${counts[id].toLocaleString("en-US")})`,
  }));
  const selectTab = (index: number) => {
    const id = TAB_IDS[index] ?? "open";
    if (id === "answers") go({ view: "answers", status: null, kind: null });
    else go({ view: null, band: null, status: id, kind: null });
  };
  const kindOptions = params.view === "queue" && (params.status === "marked" || params.status === "all") ? KIND_OPTIONS[params.status] : null;

  return (
    <AppPage title="Follow-ups" subtitle="Recover unhappy customers; thank the happy ones">
      {notice ? <Banner tone={notice.error ? "critical" : "success"} title={notice.message} onDismiss={dismiss} /> : null}
      <Card padding="0">
        <Tabs tabs={tabs} selected={TAB_IDS.indexOf(selectedTab)} onSelect={selectTab}>
          <div>
            {/* The tab's list under a heading of its own: the items' headings (h3) then follow the page's h1 in order. */}
            <Text as="h2" visuallyHidden>
              {selectedTab === "answers" ? "Passives and promoters to mark" : `${TAB_LABELS[selectedTab]} follow-ups`}
            </Text>
            {kindOptions || params.view === "answers" ? (
              <Box padding="300">
                <InlineStack gap="300" blockAlign="end">
                  {kindOptions ? (
                    <Select label="Kind" options={kindOptions} value={params.kind} onChange={(kind) => go({ kind })} />
                  ) : (
                    <Select label="Show" options={BAND_OPTIONS} value={params.band} onChange={(band) => go({ band })} />
                  )}
                </InlineStack>
              </Box>
            ) : null}
            {queue ? (
              <FollowUpList
                rows={queue.rows}
                pageInfo={queue.pageInfo}
                now={now}
                timezone={timezone}
                loading={loading}
                emptyMessage={EMPTY[params.status] ?? EMPTY.all ?? ""}
                choices={{ staff, rewards }}
                onNext={() => go({ after: queue.pageInfo.nextCursor })}
                onPrevious={() => go({ before: queue.pageInfo.previousCursor })}
              />
            ) : null}
            {answers ? (
              <MarkCandidatesTable
                timezone={timezone}
                rows={answers.rows}
                pageInfo={answers.pageInfo}
                loading={loading}
                onNext={() => go({ after: answers.pageInfo.nextCursor })}
                onPrevious={() => go({ before: answers.pageInfo.previousCursor })}
              />
            ) : null}
          </div>
        </Tabs>
      </Card>
      <ResponseTargetCard hours={targetHours} overdue={overdue} />
      <BlockStack gap="100">
        <Text as="p" variant="bodySm" tone="subdued">
          An answer with NPS 0–6, CSAT 1–2 or CES 1–3 opens a recovery follow-up. Work it from open to contacted to
          resolved, with an owner from your staff, notes and goodwill (points or a reward code). Notes and goodwill
          reasons are erased if the customer asks Shopify to delete their data.
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          Afterglow sends no e-mail itself. Marking a passive or promoter for a thank-you or a review request sends
          Shopify Flow&apos;s “Thank-you requested” or “Review requested” trigger, and goodwill sends “Goodwill
          granted”, when one of your workflows uses it; your workflow does the e-mailing. Each mark says whether it was
          queued, sent, or not sent because no workflow uses the trigger.
        </Text>
      </BlockStack>
    </AppPage>
  );
}
