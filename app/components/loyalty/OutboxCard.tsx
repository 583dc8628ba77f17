import { Badge, BlockStack, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { QueueFigure } from "~/components/QueueFigure";
import { formatDateTime } from "~/domain/dates";

interface OutboxView {
  pending: number;
  delivered: number;
  failed: number;
  recentFailures: { id: number; operation: string; lastError: string | null; attempts: number; createdAt: string }[];
}

const OPERATIONS: Record<string, string> = {
  tagsAdd: "Add tier tag",
  tagsRemove: "Remove tier tag",
  metafieldsSet: "Update loyalty metafield",
};

/**
 * Whether tier tags and loyalty metafields reached Shopify: the outbox's pending and failed counts and the recent
 * permanent failures, each with a Retry button.
 */
export function OutboxCard({
  outbox,
  timezone,
  retrying,
  onRetry,
}: {
  outbox: OutboxView;
  timezone: string;
  /** Id of the message being retried, if any. */
  retrying: number | null;
  onRetry(id: number): void;
}) {
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Sync to Shopify
          </Text>
          {outbox.failed > 0 ? <Badge tone="critical">Needs attention</Badge> : outbox.pending > 0 ? <Badge tone="info">Syncing</Badge> : <Badge tone="success">Up to date</Badge>}
        </InlineStack>
        <Text as="p" tone="subdued">
          Tier tags and loyalty metafields are written to your customers in Shopify through a queue that retries on its own.
        </Text>
        <InlineGrid columns={3} gap="400">
          <QueueFigure label="Pending" value={outbox.pending} />
          <QueueFigure label="Failed" value={outbox.failed} tone="critical" />
          <QueueFigure label="Delivered" value={outbox.delivered} />
        </InlineGrid>
        {outbox.recentFailures.length ? (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Recent failures
            </Text>
            {outbox.recentFailures.map((failure) => (
              <InlineStack key={failure.id} align="space-between" blockAlign="center" gap="300" wrap={false}>
                <BlockStack gap="050">
                  <Text as="p" fontWeight="semibold">
                    {OPERATIONS[failure.operation] ?? failure.operation}
                  </Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {`${formatDateTime(failure.createdAt, timezone)} · ${failure.attempts} ${failure.attempts === 1 ? "attempt" : "attempts"}${failure.lastError ? ` · ${failure.lastError}` : ""}`}
                  </Text>
                </BlockStack>
                <Button
                  size="slim"
                  onClick={() => onRetry(failure.id)}
                  loading={retrying === failure.id}
                  disabled={retrying !== null}
                  accessibilityLabel={`Retry: ${OPERATIONS[failure.operation] ?? failure.operation} (message ${failure.id})`}
                >
                  Retry
                </Button>
              </InlineStack>
            ))}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
