import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { BlockStack, Box, Card, Text, useBreakpoints } from "@shopify/polaris";
import { AppPage } from "~/components/AppPage";
import { titleMeta } from "~/components/page-title";
import { CustomerFilters } from "~/components/customers/CustomerFilters";
import { CustomerSearch } from "~/components/customers/CustomerSearch";
import { CustomerTable, type CustomerSortKey, type SortDirection } from "~/components/customers/CustomerTable";
import { formatCount } from "~/components/customers/format";
import { customersLoader } from "./loader.server";

export const loader = customersLoader;
export const meta = titleMeta("Customers");

export default function CustomersPage() {
  const list = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const keep = [...searchParams.entries()].filter(([key]) => !["q", "after", "before", "sort", "dir"].includes(key));
  const navigation = useNavigation();
  const { mdDown } = useBreakpoints();

  /** Keeps search, filters and sort, replaces the page position. */
  const go = (changes: Record<string, string | null>) =>
    setSearchParams((current) => {
      const next = new URLSearchParams(current);
      for (const key of ["after", "before"]) next.delete(key);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) next.delete(key);
        else next.set(key, value);
      }
      return next;
    });

  const filtered = Boolean(list.search || list.tier || list.npsGroup);
  const noun = list.total === 1 ? "customer" : "customers";
  return (
    <AppPage title="Customers">
      <Card padding="0">
        <BlockStack gap="0">
          <Box padding="300">
            <BlockStack gap="300">
              <CustomerSearch
                key={list.search ?? ""}
                search={list.search}
                keep={[...keep, ["sort", list.sort], ["dir", list.direction]]}
              />
              <CustomerFilters list={list} showSort={mdDown} onChange={go} />
              <Text as="p" variant="bodySm" tone="subdued" id="customers-count">
                {filtered ? `${formatCount(list.total)} ${noun} match` : `${formatCount(list.total)} ${noun}`}
              </Text>
            </BlockStack>
          </Box>
          <CustomerTable
            customers={list.customers}
            currency={list.currency}
            timezone={list.timezone}
            sort={list.sort}
            direction={list.direction}
            listQuery={list.listQuery}
            hasNext={list.pageInfo.hasNext}
            hasPrevious={list.pageInfo.hasPrevious}
            loading={navigation.state === "loading" && navigation.location.pathname === "/app/customers"}
            emptyMessage={
              filtered ? "No customers match this search and these filters." : "No customers yet. Customers appear as Shopify sends their orders."
            }
            onSort={(sort: CustomerSortKey, direction: SortDirection) => go({ sort, dir: direction })}
            onNext={() => go({ after: list.pageInfo.nextCursor })}
            onPrevious={() => go({ before: list.pageInfo.previousCursor })}
          />
        </BlockStack>
      </Card>
      <Text as="p" variant="bodySm" tone="subdued">
        Net spend is orders minus refunds, without test or cancelled orders, in {list.currency}. Latest NPS is the customer's most
        recent NPS score in the post-purchase survey; the NPS group filter goes by it.
      </Text>
    </AppPage>
  );
}
