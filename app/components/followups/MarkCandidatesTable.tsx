import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, IndexTable, InlineStack, Link, Text, type IndexTableProps } from "@shopify/polaris";
import { formatDate, KIND_LABELS } from "./format";
import { ScoreBadges } from "./ScoreBadges";
import type { PageInfo } from "~/domain/cursor";
import type { FollowUpActionResult, MarkCandidateView } from "~/domain/followups/views";
import { FOLLOW_UP_FETCHER_KEY } from "./fetcher";

const HEADINGS: IndexTableProps["headings"] = [
  { title: "Date" },
  { title: "Order" },
  { title: "Scores" },
  { title: "Comment" },
  { title: "Marked for" },
  { title: "Actions" },
];

const ACTIONS = [
  { action: "thank-you", mark: "Mark for thank-you", unmark: "Unmark thank-you" },
  { action: "review-request", mark: "Mark for review request", unmark: "Unmark review request" },
] as const;

interface MarkCandidatesTableProps {
  rows: MarkCandidateView[];
  pageInfo: PageInfo;
  loading: boolean;
  onNext(): void;
  onPrevious(): void;
}

/**
 * Recent passives and promoters (NPS 7–10, no low CSAT or CES), each with buttons to mark it for a thank-you or a
 * review request, or to unmark it. Marks are recorded only: nothing is sent to the shopper.
 */
export function MarkCandidatesTable({ rows, pageInfo, loading, onNext, onPrevious }: MarkCandidatesTableProps) {
  const fetcher = useFetcher<FollowUpActionResult>({ key: FOLLOW_UP_FETCHER_KEY });
  const inFlight = fetcher.state !== "idle" ? fetcher.formData : undefined;
  const submit = (intent: "mark" | "unmark", responseId: number, action: string) =>
    fetcher.submit({ intent, responseId: String(responseId), action }, { method: "post", action: "/app/followups" });

  return (
    <IndexTable
      resourceName={{ singular: "answer", plural: "answers" }}
      itemCount={rows.length}
      headings={HEADINGS}
      selectable={false}
      loading={loading}
      emptyState={
        <Text as="p" tone="subdued" alignment="center">
          No passives or promoters yet. Answers with NPS 7–10 appear here.
        </Text>
      }
      pagination={{ hasNext: pageInfo.hasNext, hasPrevious: pageInfo.hasPrevious, onNext, onPrevious }}
    >
      {rows.map((row, index) => {
        const order = `order ${row.orderName}`;
        return (
          <IndexTable.Row id={String(row.responseId)} key={row.responseId} position={index}>
            <IndexTable.Cell>{formatDate(row.createdAt)}</IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="050">
                <Text as="span" fontWeight="semibold">{row.orderName}</Text>
                {row.customerId ? (
                  <Link url={`/app/customers/${encodeURIComponent(row.customerId)}`} removeUnderline>
                    {row.customerName ?? `Customer ${row.customerId}`}
                  </Link>
                ) : (
                  <Text as="span" variant="bodySm" tone="subdued">Guest or not linked yet</Text>
                )}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <ScoreBadges scores={row} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <div style={{ maxWidth: "24rem", whiteSpace: "normal" }}>
                <Text as="span" breakWord>{row.comment ?? "—"}</Text>
              </div>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <InlineStack gap="100">
                {row.marks.length ? row.marks.map((m) => <Badge key={m} tone="info">{KIND_LABELS[m] ?? m}</Badge>) : "—"}
              </InlineStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <InlineStack gap="200" wrap={false}>
                {ACTIONS.map(({ action, mark, unmark }) => {
                  const marked = row.marks.includes(action);
                  const busy = inFlight?.get("responseId") === String(row.responseId) && inFlight.get("action") === action;
                  return (
                    <Button
                      key={action}
                      size="slim"
                      onClick={() => submit(marked ? "unmark" : "mark", row.responseId, action)}
                      loading={busy}
                      accessibilityLabel={`${marked ? unmark : mark}: ${order}`}
                    >
                      {marked ? unmark : mark}
                    </Button>
                  );
                })}
              </InlineStack>
            </IndexTable.Cell>
          </IndexTable.Row>
        );
      })}
    </IndexTable>
  );
}
