import { Badge, BlockStack, Button, IndexTable, InlineStack, Link, Text, useBreakpoints, type IndexTableProps } from "@shopify/polaris";
import { formatCount } from "~/components/customers/format";
import { formatDateTime } from "~/domain/dates";
import type { PrivacyRequestView } from "~/services/privacy-requests.server";

/** One row as the Privacy page's loader sends it. */
export type PrivacyRequestRowView = PrivacyRequestView;

interface PrivacyRequestsTableProps {
  requests: PrivacyRequestRowView[];
  timezone: string;
  hasNext: boolean;
  hasPrevious: boolean;
  loading?: boolean;
  /** The id of the export being started, if any. */
  downloading: number | null;
  onDownload(row: PrivacyRequestRowView): void;
  onNext(): void;
  onPrevious(): void;
}

const HEADINGS: IndexTableProps["headings"] = [
  { title: "Received" },
  { title: "Request" },
  { title: "Customer" },
  { title: "Orders named", alignment: "end" },
  { title: "Status" },
  { title: "Export" },
];

const KIND: Record<PrivacyRequestRowView["kind"], { label: string; tone: "info" | "warning" }> = {
  "data-request": { label: "Data request", tone: "info" },
  "customer-redact": { label: "Customer redaction", tone: "warning" },
};

/**
 * The shop's privacy requests, newest first, with a download action per data request and cursor pagination. Below
 * the md breakpoint the table is condensed: one stacked block per request, nothing to scroll sideways.
 */
export function PrivacyRequestsTable(props: PrivacyRequestsTableProps) {
  const { requests, timezone } = props;
  const { mdDown } = useBreakpoints();
  return (
    <IndexTable
      key={mdDown ? "condensed" : "table"}
      condensed={mdDown}
      resourceName={{ singular: "privacy request", plural: "privacy requests" }}
      itemCount={requests.length}
      headings={HEADINGS}
      selectable={false}
      loading={props.loading}
      emptyState={
        <div style={{ padding: "var(--p-space-400)" }}>
          <Text as="p" tone="subdued">
            No privacy requests yet. When a customer asks the shop for their data, or to be forgotten, Shopify tells
            Afterglow and the request appears here.
          </Text>
        </div>
      }
      pagination={
        props.hasNext || props.hasPrevious ? { hasNext: props.hasNext, hasPrevious: props.hasPrevious, onNext: props.onNext, onPrevious: props.onPrevious } : undefined
      }
    >
      {requests.map((row, index) => {
        const kind = KIND[row.kind];
        const customer = (
          <Link url={`/app/customers/${encodeURIComponent(row.customerId)}`} removeUnderline>
            {`Customer ${row.customerId}`}
          </Link>
        );
        const download = row.exportPath ? (
          <Button
            size="slim"
            onClick={() => props.onDownload(row)}
            loading={props.downloading === row.id}
            accessibilityLabel={`Download export (JSON) of data request ${row.dataRequestId ?? row.id} for customer ${row.customerId}`}
          >
            Download export (JSON)
          </Button>
        ) : null;
        if (mdDown) {
          const orders = `${formatCount(row.orders)} ${row.orders === 1 ? "order" : "orders"} named`;
          return (
            <IndexTable.Row id={String(row.id)} key={row.id} position={index}>
              <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }} data-privacy-request-id={row.id}>
                <BlockStack gap="200">
                  <InlineStack align="space-between" blockAlign="center" gap="200">
                    <Badge tone={kind.tone}>{kind.label}</Badge>
                    <Text as="span" tone="subdued">
                      {formatDateTime(row.receivedAt, timezone)}
                    </Text>
                  </InlineStack>
                  {customer}
                  <Text as="p" breakWord>{`${orders} · ${row.status}`}</Text>
                  {download}
                </BlockStack>
              </div>
            </IndexTable.Row>
          );
        }
        return (
          <IndexTable.Row id={String(row.id)} key={row.id} position={index}>
            <IndexTable.Cell>{formatDateTime(row.receivedAt, timezone)}</IndexTable.Cell>
            <IndexTable.Cell>
              <Badge tone={kind.tone}>{kind.label}</Badge>
            </IndexTable.Cell>
            <IndexTable.Cell>{customer}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {formatCount(row.orders)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{row.status}</IndexTable.Cell>
            <IndexTable.Cell>
              {download ?? (
                <Text as="span" tone="subdued">
                  —
                </Text>
              )}
            </IndexTable.Cell>
          </IndexTable.Row>
        );
      })}
    </IndexTable>
  );
}
