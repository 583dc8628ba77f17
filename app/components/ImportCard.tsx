import { useFetcher, useRevalidator } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { formatDateTime } from "~/domain/dates";
import { formatTimeLeft, type ImportProgressView } from "~/domain/orders/import-progress";

interface ImportJobView {
  status: string;
  done: number;
  detail: string | null;
  startedAt: string;
  finishedAt: string | null;
  progress: ImportProgressView;
}

const COUNT = new Intl.NumberFormat("en-US");

/** "2,500 of 10,000 orders (25%) · 500 orders/s · about 15 s left", or the count alone before the total is known. */
function progressText({ done, total, percent, perSecond, secondsLeft }: ImportProgressView): string {
  if (total === null) return `Importing… ${COUNT.format(done)} orders so far`;
  const parts = [`Importing… ${COUNT.format(done)} of ${COUNT.format(total)} orders (${percent ?? 0}%)`];
  if (perSecond !== null) parts.push(`${COUNT.format(Math.round(perSecond))} orders/s`);
  if (secondsLeft !== null) parts.push(formatTimeLeft(secondsLeft));
  return parts.join(" · ");
}

/** Historical order import: start it, watch it run, see how the last one ended. */
export function ImportCard({ job, timezone }: { job: ImportJobView | null; /** The shop's IANA time zone (UTC, said so, when absent). */ timezone?: string }) {
  const fetcher = useFetcher();
  const revalidator = useRevalidator();
  const running = job?.status === "running" || fetcher.state !== "idle";

  useEffect(() => {
    if (job?.status !== "running") return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1500);
    return () => clearInterval(timer);
  }, [job?.status, revalidator]);

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Past orders
          </Text>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="import-orders" />
            <Button submit loading={running} disabled={running}>
              Import past orders
            </Button>
          </fetcher.Form>
        </InlineStack>
        {job?.status === "running" ? (
          <BlockStack gap="100">
            <ProgressBar progress={job.progress.percent ?? (job.done > 0 ? 75 : 10)} size="small" animated ariaLabelledBy="import-progress" />
            <Text as="p" id="import-progress" tone="subdued">
              {progressText(job.progress)}
            </Text>
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            {job
              ? `Last import ${job.status === "done" ? "finished" : "failed"} ${formatDateTime(job.finishedAt ?? job.startedAt, timezone ?? "UTC")}: ${job.detail ?? ""}`
              : "Afterglow imports your past orders, and your products' tags, when it is installed. Run it again at any time: orders already known are not counted twice."}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
