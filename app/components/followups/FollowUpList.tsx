import { Box, InlineStack, Pagination, Spinner, Text } from "@shopify/polaris";
import { FollowUpItem, type FollowUpChoices } from "./FollowUpItem";
import type { PageInfo } from "~/domain/cursor";
import type { FollowUpView } from "~/domain/followups/views";

interface FollowUpListProps {
  rows: FollowUpView[];
  pageInfo: PageInfo;
  now: string;
  timezone: string;
  loading: boolean;
  emptyMessage: string;
  choices: FollowUpChoices;
  onNext(): void;
  onPrevious(): void;
}

/** One page of the queue, newest first, with previous / next (keyset cursors in the URL). */
export function FollowUpList({ rows, pageInfo, now, timezone, loading, emptyMessage, choices, onNext, onPrevious }: FollowUpListProps) {
  return (
    <div aria-busy={loading}>
      {rows.length === 0 ? (
        <Box padding="400" borderBlockStartWidth="025" borderColor="border">
          <Text as="p" tone="subdued" alignment="center">
            {emptyMessage}
          </Text>
        </Box>
      ) : (
        <ul aria-label="Follow-ups" style={{ margin: 0, padding: 0 }}>
          {rows.map((item) => (
            // A new key when the follow-up changed: the row's form starts again from the saved values.
            <FollowUpItem
              key={`${item.id}:${item.status}:${item.ownerUserId ?? ""}:${item.owner ?? ""}:${item.notes ?? ""}`}
              item={item}
              now={now}
              timezone={timezone}
              choices={choices}
            />
          ))}
        </ul>
      )}
      {pageInfo.hasNext || pageInfo.hasPrevious || loading ? (
        <Box padding="300" borderBlockStartWidth="025" borderColor="border">
          <InlineStack align="center" blockAlign="center" gap="300">
            <Pagination hasPrevious={pageInfo.hasPrevious} onPrevious={onPrevious} hasNext={pageInfo.hasNext} onNext={onNext} />
            {loading ? <Spinner size="small" accessibilityLabel="Loading follow-ups" /> : null}
          </InlineStack>
        </Box>
      ) : null}
    </div>
  );
}
