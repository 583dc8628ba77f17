import { Badge, BlockStack, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { QueueFigure } from "~/components/QueueFigure";
import { formatDateTime } from "~/domain/dates";
import type { FlowPageData } from "~/services/flow-page.server";

const STATUS: Record<string, { label: string; tone?: "success" | "critical" | "info" }> = {
  delivered: { label: "Sent", tone: "success" },
  pending: { label: "Waiting", tone: "info" },
  bulk: { label: "Waiting", tone: "info" },
  failed: { label: "Failed", tone: "critical" },
};

/**
 * The triggers sent to Flow: counts by status and the most recent sends, each failure with Shopify's reason and a
 * Retry button (like the Loyalty page's sync card).
 */
export function FlowSendsCard({
  sends,
  timezone,
  retrying,
  onRetry,
}: {
  sends: FlowPageData["sends"];
  timezone: string;
  /** Id of the send being retried, if any. */
  retrying: number | null;
  onRetry(id: number): void;
}) {
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Recent sends
          </Text>
          {sends.failed > 0 ? <Badge tone="critical">Needs attention</Badge> : sends.pending > 0 ? <Badge tone="info">Sending</Badge> : <Badge tone="success">Up to date</Badge>}
        </InlineStack>
        <Text as="p" tone="subdued">
          Triggers go to Shopify Flow through the same queue as tier tags: retried on their own when Shopify is busy or down.
        </Text>
        <InlineGrid columns={3} gap="400">
          <QueueFigure label="Waiting" value={sends.pending} />
          <QueueFigure label="Failed" value={sends.failed} tone="critical" />
          <QueueFigure label="Sent" value={sends.delivered} />
        </InlineGrid>
        {sends.recent.length === 0 ? (
          <Text as="p" tone="subdued">
            Nothing sent yet. Triggers are sent once a workflow uses them.
          </Text>
        ) : (
          <BlockStack gap="300">
            {sends.recent.map((send) => {
              const status = STATUS[send.status] ?? { label: send.status };
              return (
                <InlineStack key={send.id} align="space-between" blockAlign="center" gap="300" wrap={false}>
                  <BlockStack gap="050">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="p" fontWeight="semibold">
                        {send.trigger}
                      </Text>
                      <Badge tone={status.tone}>{status.label}</Badge>
                    </InlineStack>
                    <Text as="p" variant="bodySm" tone="subdued" breakWord>
                      {`${formatDateTime(send.createdAt, timezone)} · ${send.attempts} ${send.attempts === 1 ? "attempt" : "attempts"}${send.lastError ? ` · ${send.lastError}` : ""}`}
                    </Text>
                  </BlockStack>
                  {send.status === "failed" ? (
                    <Button
                      size="slim"
                      onClick={() => onRetry(send.id)}
                      loading={retrying === send.id}
                      disabled={retrying !== null}
                      accessibilityLabel={`Retry: ${send.trigger} (send ${send.id})`}
                    >
                      Retry
                    </Button>
                  ) : null}
                </InlineStack>
              );
            })}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
