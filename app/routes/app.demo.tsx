import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { requireAdmin } from "~/auth.server";
import { AppPage } from "~/components/AppPage";

/** Demo only: every Admin API document the demo would have sent to Shopify. 404 in a production build. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!__AFTERGLOW_DEMO_BUILD__) throw new Response("Not found", { status: 404 });
  await requireAdmin(request);
  const { callTotals, recordedCalls } = await import("~/demo/admin-recorder.server");
  return { calls: recordedCalls().slice(0, 100), totals: callTotals() };
}

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
            rows={calls.map((c) => [c.at, c.operation, c.variables ? JSON.stringify(c.variables).slice(0, 200) : "—"])}
          />
        </BlockStack>
      </Card>
    </AppPage>
  );
}
