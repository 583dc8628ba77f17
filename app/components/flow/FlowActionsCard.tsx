import { BlockStack, Box, Card, Text } from "@shopify/polaris";
import type { FlowPageData } from "~/services/flow-page.server";

/** Afterglow's Flow actions: what each takes from the workflow, and what it does. */
const DOES: Record<string, string> = {
  "award-points": "Adds the points to the customer's balance, shown in their points history as by Shopify Flow with the reason.",
  "set-follow-up-status":
    "Moves the follow-up of the order's unhappy answer to open, contacted or resolved. It does not start \"Follow-up status changed\" again, and an unchanged status does nothing.",
};

export function FlowActionsCard({ actions }: { actions: FlowPageData["actions"] }) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Actions
          </Text>
          <Text as="p" tone="subdued">
            Add these as steps of any workflow. Each run is applied once, even when Flow sends it again.
          </Text>
        </BlockStack>
        {actions.map((action) => (
          <Box key={action.handle} borderBlockStartWidth="025" borderColor="border" paddingBlockStart="300">
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {action.name}
              </Text>
              <Text as="p" variant="bodySm">
                {DOES[action.handle] ?? ""}
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {`Takes: ${action.fields.join(", ")}`}
              </Text>
            </BlockStack>
          </Box>
        ))}
      </BlockStack>
    </Card>
  );
}
