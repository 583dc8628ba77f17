import { Badge, BlockStack, Box, Card, InlineStack, Text } from "@shopify/polaris";
import { formatDateTime } from "~/domain/dates";
import type { FlowPageData } from "~/services/flow-page.server";

/**
 * Afterglow's Flow triggers: whether a workflow of the shop uses each (as Flow's lifecycle callback last said), and
 * what each carries into the workflow. A trigger no workflow uses is not sent at all.
 */
export function FlowTriggersCard({ triggers, timezone }: { triggers: FlowPageData["triggers"]; timezone: string }) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Triggers
          </Text>
          <Text as="p" tone="subdued">
            Use these as the start of a workflow in Shopify Flow. Afterglow sends a trigger only while one of your workflows uses it.
          </Text>
        </BlockStack>
        {triggers.map((trigger) => (
          <Box key={trigger.handle} borderBlockStartWidth="025" borderColor="border" paddingBlockStart="300">
            <BlockStack gap="100">
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <Text as="h3" variant="headingSm">
                  {trigger.name}
                </Text>
                {trigger.inUse ? <Badge tone="success">Used by a workflow</Badge> : <Badge>Not used</Badge>}
              </InlineStack>
              <Text as="p" variant="bodySm" tone="subdued">
                {`Carries: ${trigger.fields.join(", ")}`}
              </Text>
              {trigger.since ? (
                <Text as="p" variant="bodySm" tone="subdued">
                  {`${trigger.inUse ? "In use" : "Not used"} since ${formatDateTime(trigger.since, timezone)}`}
                </Text>
              ) : null}
            </BlockStack>
          </Box>
        ))}
      </BlockStack>
    </Card>
  );
}
