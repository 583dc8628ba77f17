import { useFetcher, useRevalidator } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";

interface ImportJobView {
  status: string;
  done: number;
  detail: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** Historical order import: start it, watch it run, see how the last one ended. */
export function ImportCard({ job }: { job: ImportJobView | null }) {
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
            <ProgressBar progress={job.done > 0 ? 75 : 10} size="small" animated ariaLabelledBy="import-progress" />
            <Text as="p" id="import-progress" tone="subdued">
              Importing… {job.done.toLocaleString("en-US")} orders so far
            </Text>
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            {job
              ? `Last import ${job.status === "done" ? "finished" : "failed"} ${new Date(job.finishedAt ?? job.startedAt).toLocaleString("en-US")}: ${job.detail ?? ""}`
              : "Afterglow imports your past orders, and your products' tags, when it is installed. Run it again at any time: orders already known are not counted twice."}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
