import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { BlockStack, Card, Text } from "@shopify/polaris";
import { AppPage } from "~/components/AppPage";
import { CustomerSearch } from "~/components/customers/CustomerSearch";
import { CustomerTable, type CustomerSortKey, type SortDirection } from "~/components/customers/CustomerTable";
import { customersLoader } from "./loader.server";

export const loader = customersLoader;

export default function CustomersPage() {
  const list = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const keep = [...searchParams.entries()].filter(([key]) => !["q", "after", "before", "sort", "dir"].includes(key));
  const navigation = useNavigation();

  /** Keeps search and sort, replaces the page position. */
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

  return (
    <AppPage title="Customers">
      <Card padding="0">
        <BlockStack gap="0">
          <div style={{ padding: "var(--p-space-300)" }}>
            <CustomerSearch
              key={list.search ?? ""}
              search={list.search}
              keep={[...keep, ["sort", list.sort], ["dir", list.direction]]}
            />
          </div>
          <CustomerTable
            customers={list.customers}
            currency={list.currency}
            timezone={list.timezone}
            sort={list.sort}
            direction={list.direction}
            hasNext={list.pageInfo.hasNext}
            hasPrevious={list.pageInfo.hasPrevious}
            loading={navigation.state === "loading" && navigation.location.pathname === "/app/customers"}
            emptyMessage={list.search ? `No customers match "${list.search}".` : "No customers yet. Customers appear as Shopify sends their orders."}
            onSort={(sort: CustomerSortKey, direction: SortDirection) => go({ sort, dir: direction })}
            onNext={() => go({ after: list.pageInfo.nextCursor })}
            onPrevious={() => go({ before: list.pageInfo.previousCursor })}
          />
        </BlockStack>
      </Card>
      <Text as="p" variant="bodySm" tone="subdued">
        Net spend is orders minus refunds, without test or cancelled orders, in {list.currency}. Latest NPS is the customer's most
        recent answer to the post-purchase survey.
      </Text>
    </AppPage>
  );
}
