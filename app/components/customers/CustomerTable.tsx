import { BlockStack, IndexTable, InlineStack, Link, Text, useBreakpoints, type IndexTableProps } from "@shopify/polaris";
import { formatMoney } from "~/domain/money";
import { formatDate } from "~/domain/dates";
import { formatCount } from "./format";
import { TierBadge } from "./TierBadge";
import type { CustomerList } from "~/services/customer-pages.server";

export type CustomerSortKey = CustomerList["sort"];
export type SortDirection = CustomerList["direction"];

type CustomerRowView = CustomerList["customers"][number];

/** Column index → sort key, for the sortable columns. */
const SORT_COLUMNS: Partial<Record<number, CustomerSortKey>> = { 2: "points", 3: "spend", 4: "orders", 5: "last-order" };

const HEADINGS: IndexTableProps["headings"] = [
  { title: "Name" },
  { title: "Tier" },
  { title: "Points", alignment: "end" },
  { title: "Net spend", alignment: "end" },
  { title: "Orders", alignment: "end" },
  { title: "Last order" },
  { title: "Latest NPS", alignment: "end" },
];

interface CustomerTableProps {
  customers: CustomerRowView[];
  currency: string;
  timezone: string;
  sort: CustomerSortKey;
  direction: SortDirection;
  /** The list's query (customerListQuery): each customer's link carries it, so the customer page leads back here. */
  listQuery: string;
  hasNext: boolean;
  hasPrevious: boolean;
  loading?: boolean;
  emptyMessage: string;
  onSort(sort: CustomerSortKey, direction: SortDirection): void;
  onNext(): void;
  onPrevious(): void;
}

/** The customer page's URL, carrying the list it is opened from. */
function customerUrl(id: string, listQuery: string): string {
  return `/app/customers/${encodeURIComponent(id)}${listQuery ? `?list=${encodeURIComponent(listQuery)}` : ""}`;
}

/**
 * The customers list: a Polaris IndexTable with sortable figures and next/previous pagination. The whole row opens
 * the customer (the name is the row's primary link, reached with the keyboard like any link). Below the md breakpoint
 * the table is condensed: one stacked block per customer, nothing to scroll sideways.
 */
export function CustomerTable(props: CustomerTableProps) {
  const { customers, currency, timezone, sort, direction, listQuery } = props;
  const { mdDown } = useBreakpoints();
  const sortColumnIndex = Number(Object.entries(SORT_COLUMNS).find(([, key]) => key === sort)?.[0] ?? 3);
  const numeric = (value: string) => (
    <Text as="span" alignment="end" numeric>
      {value}
    </Text>
  );
  const nameLink = (c: CustomerRowView) => (
    <Link url={customerUrl(c.id, listQuery)} dataPrimaryLink monochrome removeUnderline>
      <Text as="span" fontWeight="semibold">
        {c.name}
      </Text>
    </Link>
  );
  const email = (c: CustomerRowView) =>
    c.email && c.email !== c.name ? (
      <Text as="p" variant="bodySm" tone="subdued" breakWord>
        {c.email}
      </Text>
    ) : null;
  const nps = (c: CustomerRowView) => (c.latestNps === null ? "—" : String(c.latestNps));

  const rows = customers.map((c, index) =>
    mdDown ? (
      <IndexTable.Row id={c.id} key={c.id} position={index}>
        <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }} data-customer-id={c.id}>
          <BlockStack gap="100">
            <InlineStack align="space-between" blockAlign="center" gap="200">
              {nameLink(c)}
              <TierBadge tier={c.tier} />
            </InlineStack>
            {email(c)}
            <Text as="p" variant="bodySm" tone="subdued">
              {`${formatMoney(c.netSpendMinor, currency)} net · ${formatCount(c.orders)} ${c.orders === 1 ? "order" : "orders"} · ${formatCount(c.points)} points · NPS ${nps(c)}`}
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">{`Last order ${formatDate(c.lastOrderAt, timezone)}`}</Text>
          </BlockStack>
        </div>
      </IndexTable.Row>
    ) : (
      <IndexTable.Row id={c.id} key={c.id} position={index}>
        <IndexTable.Cell>
          <div data-customer-id={c.id}>
            {nameLink(c)}
            {email(c)}
          </div>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <TierBadge tier={c.tier} />
        </IndexTable.Cell>
        <IndexTable.Cell>{numeric(formatCount(c.points))}</IndexTable.Cell>
        <IndexTable.Cell>{numeric(formatMoney(c.netSpendMinor, currency))}</IndexTable.Cell>
        <IndexTable.Cell>{numeric(formatCount(c.orders))}</IndexTable.Cell>
        <IndexTable.Cell>{formatDate(c.lastOrderAt, timezone)}</IndexTable.Cell>
        <IndexTable.Cell>{numeric(nps(c))}</IndexTable.Cell>
      </IndexTable.Row>
    ),
  );

  return (
    <IndexTable
      // A new table when the layout changes: the condensed list and the table are different markup.
      key={mdDown ? "condensed" : "table"}
      condensed={mdDown}
      resourceName={{ singular: "customer", plural: "customers" }}
      itemCount={customers.length}
      headings={HEADINGS}
      selectable={false}
      loading={props.loading}
      sortable={HEADINGS.map((_, i) => SORT_COLUMNS[i] !== undefined)}
      sortColumnIndex={sortColumnIndex}
      sortDirection={direction === "asc" ? "ascending" : "descending"}
      defaultSortDirection="descending"
      onSort={(index, dir) => {
        const key = SORT_COLUMNS[index];
        if (key) props.onSort(key, dir === "ascending" ? "asc" : "desc");
      }}
      emptyState={
        <Text as="p" tone="subdued" alignment="center">
          {props.emptyMessage}
        </Text>
      }
      pagination={{
        hasNext: props.hasNext,
        hasPrevious: props.hasPrevious,
        onNext: props.onNext,
        onPrevious: props.onPrevious,
      }}
    >
      {rows}
    </IndexTable>
  );
}
