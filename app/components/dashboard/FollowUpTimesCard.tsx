import { Badge, BlockStack, Card, InlineGrid, InlineStack, Link, Text } from "@shopify/polaris";
import { Stat } from "../StatCard";
import { formatDuration } from "../followups/format";

interface FollowUpTimesProps {
  days: number;
  contactSeconds: number | null;
  contacted: number;
  resolveSeconds: number | null;
  resolved: number;
  open: number;
  overdue: number;
  targetHours: number;
}

const count = (n: number, what: string) => `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;

/**
 * The dashboard's follow-up card (decision 044): how fast unhappy customers are reached: the median time from their
 * answer to the first contact and to resolution, against the shop's response-time target, and how many are overdue.
 */
export function FollowUpTimesCard({ days, contactSeconds, contacted, resolveSeconds, resolved, open, overdue, targetHours }: FollowUpTimesProps) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            Follow-up response times
          </Text>
          {overdue > 0 ? <Badge tone="critical">{`${overdue.toLocaleString("en-US")} overdue`}</Badge> : null}
        </InlineStack>
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
          <Stat
            label="Median time to first contact"
            value={formatDuration(contactSeconds)}
            detail={`${count(contacted, "follow-up")} contacted, opened in the last ${days} days; target ${targetHours} hours`}
          />
          <Stat label="Median time to resolution" value={formatDuration(resolveSeconds)} detail={`${count(resolved, "follow-up")} resolved, opened in the last ${days} days`} />
        </InlineGrid>
        <Text as="p" tone="subdued">
          {`${count(open, "follow-up")} open, ${overdue.toLocaleString("en-US")} past the ${targetHours}-hour target. `}
          <Link url="/app/followups">Work the follow-ups</Link>
        </Text>
      </BlockStack>
    </Card>
  );
}
