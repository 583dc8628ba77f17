import { BlockStack, Box, Card, IndexTable, InlineStack, Text, useBreakpoints, type IndexTableProps } from "@shopify/polaris";
import { OrderLink } from "../OrderLink";
import { formatDate, formatDateTime } from "~/domain/dates";
import { formatCount, formatPointsChange } from "./format";
import type { CustomerProfile } from "~/services/customer-pages.server";

type LedgerRowView = CustomerProfile["ledger"][number];

const KINDS: Record<string, string> = {
  order: "Order",
  refund: "Refund",
  cancellation: "Cancellation",
  adjustment: "Adjustment",
  transfer: "Order moved",
  redemption: "Reward redeemed",
  "redemption-reversal": "Reward points returned",
};

const HEADINGS: IndexTableProps["headings"] = [{ title: "Date" }, { title: "Kind" }, { title: "Points", alignment: "end" }, { title: "Note" }];

/**
 * The row's order (a link to it in the Shopify admin), note and staff member, or "—"; points still waiting out the
 * order's return window say when they become available (decision 043).
 */
function Describe({ row, timezone }: { row: LedgerRowView; timezone: string }) {
  const pending = row.availableAt ? `pending, available on ${formatDate(row.availableAt, timezone)}` : null;
  const parts = [pending, row.note, row.staff ? `by ${row.staff}` : null].filter(Boolean);
  if (!row.orderId && parts.length === 0) return <>—</>;
  return (
    <Text as="span" breakWord>
      {row.orderId ? (
        <>
          {"Order "}
          <OrderLink orderId={row.orderId} name={row.orderName} />
        </>
      ) : null}
      {row.orderId && parts.length ? " · " : null}
      {parts.join(" · ")}
    </Text>
  );
}

interface LedgerCardProps {
  rows: LedgerRowView[];
  pageInfo: CustomerProfile["ledgerPageInfo"];
  total: number;
  timezone: string;
  loading?: boolean;
  onNext(): void;
  onPrevious(): void;
}

/**
 * The customer's points ledger, newest first, one page at a time (keyset cursors in the URL). Below the sm breakpoint
 * each entry is one stacked block.
 */
export function LedgerCard({ rows, pageInfo, total, timezone, loading, onNext, onPrevious }: LedgerCardProps) {
  const { smDown } = useBreakpoints();
  const kind = (row: LedgerRowView) => KINDS[row.kind] ?? row.kind;
  return (
    <Card padding="0">
      <BlockStack gap="0">
        <Box padding="400" paddingBlockEnd="200">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="h2" variant="headingMd">
              Points history
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              {`${formatCount(total)} ${total === 1 ? "entry" : "entries"}`}
            </Text>
          </InlineStack>
        </Box>
        <div id="points-ledger">
          <IndexTable
            key={smDown ? "condensed" : "table"}
            condensed={smDown}
            resourceName={{ singular: "points entry", plural: "points entries" }}
            itemCount={rows.length}
            headings={HEADINGS}
            selectable={false}
            loading={loading}
            emptyState={
              <Box padding="400">
                <Text as="p" tone="subdued">
                  No points yet. Orders earn points; refunds and cancellations take them back.
                </Text>
              </Box>
            }
            pagination={{ hasNext: pageInfo.hasNext, hasPrevious: pageInfo.hasPrevious, onNext, onPrevious }}
          >
            {rows.map((row, index) =>
              smDown ? (
                <IndexTable.Row id={String(row.id)} key={row.id} position={index}>
                  <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }} data-ledger-id={row.id}>
                    <BlockStack gap="100">
                      <InlineStack align="space-between" gap="200">
                        <Text as="span" fontWeight="semibold">
                          {kind(row)}
                        </Text>
                        <Text as="span" numeric fontWeight="semibold">
                          {formatPointsChange(row.points)}
                        </Text>
                      </InlineStack>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {formatDateTime(row.createdAt, timezone)}
                      </Text>
                      <Describe row={row} timezone={timezone} />
                    </BlockStack>
                  </div>
                </IndexTable.Row>
              ) : (
                <IndexTable.Row id={String(row.id)} key={row.id} position={index}>
                  <IndexTable.Cell>{formatDateTime(row.createdAt, timezone)}</IndexTable.Cell>
                  <IndexTable.Cell>{kind(row)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatPointsChange(row.points)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ whiteSpace: "normal", minWidth: "12rem" }}>
                      <Describe row={row} timezone={timezone} />
                    </div>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ),
            )}
          </IndexTable>
        </div>
      </BlockStack>
    </Card>
  );
}
