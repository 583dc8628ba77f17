import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { AppPage } from "~/components/AppPage";
import { titleMeta } from "~/components/page-title";
import { demoLogLoader } from "./loader.server";

export const loader = demoLogLoader;
export const meta = titleMeta("Admin API log");

export default function DemoAdminLog() {
  const { calls, totals } = useLoaderData<typeof loader>();
  return (
    <AppPage title="Admin API log" subtitle="What the demo would have sent to Shopify">
      <Card>
        <BlockStack gap="300">
          <Text as="p" tone="subdued">
            The demo never contacts Shopify. Each Admin GraphQL call is recorded here, newest first.
          </Text>
          <Text as="h2" variant="headingSm">
            Calls by operation since the demo started
          </Text>
          <DataTable
            columnContentTypes={["text", "numeric"]}
            headings={["Operation", "Calls"]}
            rows={totals.map(([operation, count]) => [operation, count])}
          />
          <Text as="h2" variant="headingSm">
            Newest calls
          </Text>
          <DataTable
            columnContentTypes={["text", "text", "text"]}
            headings={["When", "Operation", "Variables"]}
            rows={calls.map((c) => [wrap(c.at), wrap(c.operation), wrap(c.variables ? JSON.stringify(c.variables).slice(0, 200) : "—")])}
          />
        </BlockStack>
      </Card>
    </AppPage>
  );
}

/**
 * A cell that wraps (DataTable keeps cells on one line): the long variables would otherwise make the table scroll
 * sideways, a scrolling region with nothing in it to reach by keyboard.
 */
function wrap(text: string) {
  return <span style={{ whiteSpace: "normal", overflowWrap: "anywhere" }}>{text}</span>;
}
