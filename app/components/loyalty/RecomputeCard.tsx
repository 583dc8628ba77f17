import { useRevalidator } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { formatDateTime } from "~/domain/dates";

interface RecomputeJobView {
  id: number;
  status: "running" | "done" | "failed";
  total: number;
  done: number;
  startedAt: string;
  finishedAt: string | null;
}

const POLL_MS = 1000;

/**
 * The latest tier recompute. While it runs, the page's data is revalidated about once a second so the bar, the
 * counts and the distribution move on their own.
 */
export function RecomputeCard({ job, timezone }: { job: RecomputeJobView | null; timezone: string }) {
  const revalidator = useRevalidator();
  const running = job?.status === "running";

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  return <RecomputeStatus job={job} timezone={timezone} />;
}

/** What the card shows for a job: a progress bar with "done of total" while it runs, how it ended otherwise. */
export function RecomputeStatus({ job, timezone }: { job: RecomputeJobView | null; timezone: string }) {
  if (!job) return null;
  const running = job.status === "running";
  const count = (n: number) => n.toLocaleString("en-US");
  const progress = job.total > 0 ? Math.min(100, Math.round((job.done * 100) / job.total)) : running ? 0 : 100;
  const when = formatDateTime(job.finishedAt ?? job.startedAt, timezone);
  return (
    <Card>
      <div data-job-id={job.id} data-job-status={job.status}>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Tier recompute
            </Text>
            {running ? (
              <Badge tone="info">Running</Badge>
            ) : job.status === "done" ? (
              <Badge tone="success">Done</Badge>
            ) : (
              <Badge tone="critical">Failed</Badge>
            )}
          </InlineStack>
          {running ? (
            <BlockStack gap="100">
              <ProgressBar progress={progress} size="small" animated ariaLabelledBy="recompute-progress" />
              <Text as="p" id="recompute-progress" tone="subdued">
                {`${count(job.done)} of ${count(job.total)} customers re-evaluated`}
              </Text>
            </BlockStack>
          ) : (
            <Text as="p" id="recompute-progress" tone={job.status === "failed" ? "critical" : "subdued"}>
              {job.status === "done"
                ? `Finished ${when}: ${count(job.done)} of ${count(job.total)} customers re-evaluated.`
                : `Stopped ${when} after ${count(job.done)} of ${count(job.total)} customers. Save the program again to retry.`}
            </Text>
          )}
        </BlockStack>
      </div>
    </Card>
  );
}
