import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, IndexTable, InlineStack, Link, Text, useBreakpoints, type IndexTableProps } from "@shopify/polaris";
import { OrderLink, orderText } from "../OrderLink";
import { formatDate } from "~/domain/dates";
import { KIND_LABELS } from "./format";
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
  /** The shop's IANA time zone, for dates. */
  timezone: string;
  loading: boolean;
  onNext(): void;
  onPrevious(): void;
}

/**
 * Recent passives and promoters (NPS 7–10, no low CSAT or CES), each with buttons to mark it for a thank-you or a
 * review request, or to unmark it. Marks are recorded only: nothing is sent to the shopper.
 */
export function MarkCandidatesTable({ rows, pageInfo, timezone, loading, onNext, onPrevious }: MarkCandidatesTableProps) {
  const fetcher = useFetcher<FollowUpActionResult>({ key: FOLLOW_UP_FETCHER_KEY });
  const inFlight = fetcher.state !== "idle" ? fetcher.formData : undefined;
  const submit = (intent: "mark" | "unmark", responseId: number, action: string) =>
    fetcher.submit({ intent, responseId: String(responseId), action }, { method: "post", action: "/app/followups" });

  const { mdDown } = useBreakpoints();

  const orderAndCustomer = (row: MarkCandidateView) => (
    <BlockStack gap="050">
      <Text as="span" fontWeight="semibold">
        <OrderLink orderId={row.orderId} name={row.orderName} />
      </Text>
      {row.customerId ? (
        <Link url={`/app/customers/${encodeURIComponent(row.customerId)}`} removeUnderline>
          {row.customerName ?? `Customer ${row.customerId}`}
        </Link>
      ) : (
        <Text as="span" variant="bodySm" tone="subdued">Guest or not linked yet</Text>
      )}
    </BlockStack>
  );
  const marks = (row: MarkCandidateView) => (
    <InlineStack gap="100">
      {row.marks.length ? row.marks.map((m) => <Badge key={m} tone="info">{KIND_LABELS[m] ?? m}</Badge>) : "—"}
    </InlineStack>
  );
  const buttons = (row: MarkCandidateView) => {
    const order = `order ${orderText(row.orderName, row.orderId)}`;
    return (
      <InlineStack gap="200" wrap={mdDown}>
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
    );
  };

  return (
    <IndexTable
      // Below the md breakpoint, one stacked block per answer (the condensed list is other markup than the table).
      key={mdDown ? "condensed" : "table"}
      condensed={mdDown}
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
      {rows.map((row, index) =>
        mdDown ? (
          <IndexTable.Row id={String(row.responseId)} key={row.responseId} position={index}>
            <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }} data-response-id={row.responseId}>
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="start" gap="200">
                  {orderAndCustomer(row)}
                  <Text as="span" tone="subdued">
                    {formatDate(row.createdAt, timezone)}
                  </Text>
                </InlineStack>
                <ScoreBadges scores={row} />
                {row.comment ? (
                  <Text as="p" breakWord>
                    {row.comment}
                  </Text>
                ) : null}
                {row.marks.length ? marks(row) : null}
                {buttons(row)}
              </BlockStack>
            </div>
          </IndexTable.Row>
        ) : (
          <IndexTable.Row id={String(row.responseId)} key={row.responseId} position={index}>
            <IndexTable.Cell>{formatDate(row.createdAt, timezone)}</IndexTable.Cell>
            <IndexTable.Cell>{orderAndCustomer(row)}</IndexTable.Cell>
            <IndexTable.Cell>
              <ScoreBadges scores={row} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <div style={{ maxWidth: "24rem", whiteSpace: "normal" }}>
                <Text as="span" breakWord>{row.comment ?? "—"}</Text>
              </div>
            </IndexTable.Cell>
            <IndexTable.Cell>{marks(row)}</IndexTable.Cell>
            <IndexTable.Cell>{buttons(row)}</IndexTable.Cell>
          </IndexTable.Row>
        ),
      )}
    </IndexTable>
  );
}
