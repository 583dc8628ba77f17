import type { MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useNavigation, useRouteError, useSearchParams } from "@remix-run/react";
import { BlockStack, Card, Layout, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppPage } from "~/components/AppPage";
import { documentTitle } from "~/components/page-title";
import { CustomerAnswersCard } from "~/components/customers/CustomerAnswersCard";
import { CustomerFactsCard } from "~/components/customers/CustomerFactsCard";
import { CustomerOrdersCard } from "~/components/customers/CustomerOrdersCard";
import { LedgerCard } from "~/components/customers/LedgerCard";
import { LoyaltyStatusCard } from "~/components/customers/LoyaltyStatusCard";
import { PointsAdjustmentCard } from "~/components/customers/PointsAdjustmentCard";
import { TierHistoryCard } from "~/components/customers/TierHistoryCard";
import { RewardsIssueCard } from "~/components/loyalty/RewardsIssueCard";
import { customerAction } from "./action.server";
import { customerLoader } from "./loader.server";

export const loader = customerLoader;
export const action = customerAction;
// The customer's name, as the page's heading shows it; an unknown customer's page says so.
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: documentTitle(data?.customer.name ?? "Customer not found") }];

export default function CustomerPage() {
  const profile = useLoaderData<typeof loader>();
  const { customer, loyalty, currency, timezone } = profile;
  const [, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const ledgerLoading = navigation.state === "loading" && navigation.location.search.includes("ledger");

  /** Another page of the ledger; the rest of the URL (the list to go back to) stays. */
  const ledgerPage = (key: "ledgerAfter" | "ledgerBefore", cursor: string | null) =>
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete("ledgerAfter");
        next.delete("ledgerBefore");
        if (cursor) next.set(key, cursor);
        return next;
      },
      { preventScrollReset: true },
    );

  return (
    <AppPage title={customer.name} subtitle={customer.email ?? undefined} back={{ content: "Customers", url: profile.backUrl }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="500">
            <CustomerFactsCard facts={customer} currency={currency} timezone={timezone} />
            <CustomerAnswersCard answers={profile.answers} truncated={profile.answersTruncated} timezone={timezone} />
            <LedgerCard
              rows={profile.ledger}
              pageInfo={profile.ledgerPageInfo}
              total={profile.ledgerTotal}
              timezone={timezone}
              loading={ledgerLoading}
              onNext={() => ledgerPage("ledgerAfter", profile.ledgerPageInfo.nextCursor)}
              onPrevious={() => ledgerPage("ledgerBefore", profile.ledgerPageInfo.previousCursor)}
            />
            <CustomerOrdersCard orders={profile.orders} truncated={profile.ordersTruncated} timezone={timezone} policySaved={profile.returnPolicySaved} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="500">
            <LoyaltyStatusCard
              loyalty={loyalty}
              points={customer.points}
              pending={{ points: customer.pendingPoints, availableAt: customer.pendingAvailableAt, timezone }}
            />
            <PointsAdjustmentCard balance={customer.points} />
            <RewardsIssueCard rewards={profile.rewards} timezone={timezone} />
            <TierHistoryCard rows={profile.tierHistory} timezone={timezone} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}

/** An unknown customer (or another shop's) gets a page that says so; anything else goes to Shopify's boundary. */
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <AppPage title="Customer not found">
        <Card>
          <BlockStack gap="200">
            <Text as="p">This customer does not exist in this shop, or their data was erased.</Text>
            <Text as="p">
              <Link to="/app/customers">Back to all customers</Link>
            </Text>
          </BlockStack>
        </Card>
      </AppPage>
    );
  }
  return boundary.error(error);
}
