import { IndexTable, Link, Text, type IndexTableProps } from "@shopify/polaris";
import { formatMoney } from "~/domain/money";
import { formatCount, formatDate } from "./format";
import { TierBadge } from "./TierBadge";
import type { CustomerList } from "~/services/customer-pages.server";

export type CustomerSortKey = "spend" | "orders" | "last-order" | "points";
export type SortDirection = "asc" | "desc";

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
  hasNext: boolean;
  hasPrevious: boolean;
  loading?: boolean;
  emptyMessage: string;
  onSort(sort: CustomerSortKey, direction: SortDirection): void;
  onNext(): void;
  onPrevious(): void;
}

/** The customers list: a Polaris IndexTable with sortable figures and next/previous pagination. */
export function CustomerTable(props: CustomerTableProps) {
  const { customers, currency, timezone, sort, direction } = props;
  const sortColumnIndex = Number(Object.entries(SORT_COLUMNS).find(([, key]) => key === sort)?.[0] ?? 3);
  const numeric = (value: string) => (
    <Text as="span" alignment="end" numeric>
      {value}
    </Text>
  );
  return (
    <IndexTable
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
      {customers.map((c, index) => (
        <IndexTable.Row id={c.id} key={c.id} position={index}>
          <IndexTable.Cell>
            <Link url={`/app/customers/${encodeURIComponent(c.id)}`} dataPrimaryLink monochrome removeUnderline>
              <Text as="span" fontWeight="semibold">
                {c.name}
              </Text>
            </Link>
            {c.email && c.email !== c.name ? (
              <Text as="p" variant="bodySm" tone="subdued">
                {c.email}
              </Text>
            ) : null}
          </IndexTable.Cell>
          <IndexTable.Cell>
            <TierBadge tier={c.tier} />
          </IndexTable.Cell>
          <IndexTable.Cell>{numeric(formatCount(c.points))}</IndexTable.Cell>
          <IndexTable.Cell>{numeric(formatMoney(c.netSpendMinor, currency))}</IndexTable.Cell>
          <IndexTable.Cell>{numeric(formatCount(c.orders))}</IndexTable.Cell>
          <IndexTable.Cell>{formatDate(c.lastOrderAt, timezone)}</IndexTable.Cell>
          <IndexTable.Cell>{numeric(c.latestNps === null ? "—" : String(c.latestNps))}</IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
