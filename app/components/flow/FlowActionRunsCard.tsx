import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { formatDateTime } from "~/domain/dates";
import type { FlowPageData } from "~/services/flow-page.server";

/** The most recent runs of Afterglow's Flow actions: what each did, or why it was refused. */
export function FlowActionRunsCard({ runs, timezone }: { runs: FlowPageData["runs"]; timezone: string }) {
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Recent action runs
        </Text>
        {runs.length === 0 ? (
          <Text as="p" tone="subdued">
            No workflow has run an Afterglow action yet.
          </Text>
        ) : (
          <BlockStack gap="300">
            {runs.map((run) => (
              <BlockStack key={run.id} gap="050">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="p" fontWeight="semibold">
                    {run.action}
                  </Text>
                  {run.outcome === "applied" ? <Badge tone="success">Applied</Badge> : <Badge tone="critical">Refused</Badge>}
                </InlineStack>
                <Text as="p" variant="bodySm" tone="subdued" breakWord>
                  {`${formatDateTime(run.createdAt, timezone)} · ${run.detail}${run.customerId ? ` · customer ${run.customerId}` : ""}${run.orderId ? ` · order ${run.orderId}` : ""}`}
                </Text>
              </BlockStack>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
