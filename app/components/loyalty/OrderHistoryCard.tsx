import { useAppBridge } from "@shopify/app-bridge-react";
import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { formatDate } from "~/domain/dates";
import { ALL_ORDERS_SCOPE, RECENT_ORDERS_DAYS, type HistoryReach } from "~/domain/orders/history-reach";

type ShopifyGlobal = ReturnType<typeof useAppBridge>;

/** App Bridge's `shopify` global inside the admin; undefined in the demo build and on the server. */
const appBridge = (): ShopifyGlobal | undefined => (typeof window === "undefined" ? undefined : (window as { shopify?: ShopifyGlobal }).shopify);

interface OrderHistoryCardProps {
  reach: HistoryReach;
  timezone: string;
}

/**
 * How far back lifetime tiers can see (decision 047). Until the merchant grants the optional `read_all_orders` scope
 * (asked through App Bridge's Scopes API, never at install), Shopify shares 60 days of past orders; once granted, the
 * whole history can be imported again through the dashboard's import.
 */
export function OrderHistoryCard({ reach, timezone }: OrderHistoryCardProps) {
  const [granted, setGranted] = useState(reach.allOrders);
  const [asking, setAsking] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const importer = useFetcher({ key: "loyalty-import-orders" });
  const since = reach.earliestOrderAt ? formatDate(reach.earliestOrderAt, timezone) : null;
  const embedded = appBridge()?.scopes !== undefined;

  const ask = async () => {
    const shopify = appBridge();
    if (!shopify) return;
    setAsking(true);
    try {
      const answer = await shopify.scopes.request([ALL_ORDERS_SCOPE]);
      const ok = answer.result === "granted-all" || answer.detail.granted.includes(ALL_ORDERS_SCOPE);
      setGranted(ok);
      setMessage(ok ? "Granted. Import your past orders to count all of them." : "Not granted: tiers keep counting the orders Afterglow has.");
    } catch {
      setMessage("The permission request did not open. Try again from the Shopify admin.");
    } finally {
      setAsking(false);
    }
  };
  const importAll = () => {
    importer.submit({ intent: "import-orders" }, { method: "post", action: "/app?index" });
    setMessage("Import started: the dashboard's Past orders card shows its progress.");
  };

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">Order history behind tiers</Text>
        <Text as="p">
          {since ? `Tiers count the orders Afterglow holds, from ${since} on.` : "Afterglow holds no orders yet: tiers start with the next order."}
        </Text>
        {granted ? (
          <Text as="p" tone="subdued">Afterglow may read all your past orders. Import them to count spending from before the first import.</Text>
        ) : (
          <Text as="p" tone="subdued">
            {`Without permission to read all orders, Shopify shares only the last ${RECENT_ORDERS_DAYS} days of past orders with apps, so lifetime tiers miss older spending.`}
          </Text>
        )}
        <InlineStack gap="200" blockAlign="center">
          {granted ? (
            <Button onClick={importAll} loading={importer.state !== "idle"}>
              Import all past orders
            </Button>
          ) : (
            <Button onClick={() => void ask()} loading={asking} disabled={!embedded}>
              Allow access to all orders
            </Button>
          )}
          {!granted && !embedded ? <Text as="span" tone="subdued">Asked in the Shopify admin; not available in this demo.</Text> : null}
        </InlineStack>
        <div role="status">{message ? <Text as="p">{message}</Text> : null}</div>
      </BlockStack>
    </Card>
  );
}
