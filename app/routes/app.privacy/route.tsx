import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { BlockStack, Card, Text } from "@shopify/polaris";
import { useState } from "react";
import { AppPage } from "~/components/AppPage";
import { titleMeta } from "~/components/page-title";
import { startEmbeddedDownload } from "~/components/embedded-download";
import { PrivacyRequestsTable, type PrivacyRequestRowView } from "~/components/privacy/PrivacyRequestsTable";
import { privacyLoader } from "./loader.server";

export const loader = privacyLoader;
export const meta = titleMeta("Privacy requests");

export default function PrivacyPage() {
  const { requests, pageInfo, timezone } = useLoaderData<typeof loader>();
  const [, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/privacy";
  const [downloading, setDownloading] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const download = (row: PrivacyRequestRowView) => {
    if (!row.exportPath) return;
    setDownloading(row.id);
    setError(null);
    startEmbeddedDownload(row.exportPath)
      .catch(() => setError("The export could not start. Reload the page and try again."))
      .finally(() => setDownloading(null));
  };
  const page = (key: "after" | "before", cursor: string | null) => setSearchParams(cursor ? { [key]: cursor } : {}, { preventScrollReset: true });

  return (
    <AppPage title="Privacy requests" subtitle="What customers asked Shopify about their data in this shop">
      <Card padding="0">
        <BlockStack gap="0">
          {error ? (
            <div style={{ padding: "var(--p-space-400)" }}>
              <Text as="p" tone="critical">
                {error}
              </Text>
            </div>
          ) : null}
          <PrivacyRequestsTable
            requests={requests}
            timezone={timezone}
            hasNext={pageInfo.hasNext}
            hasPrevious={pageInfo.hasPrevious}
            loading={loading}
            downloading={downloading}
            onDownload={download}
            onNext={() => page("after", pageInfo.nextCursor)}
            onPrevious={() => page("before", pageInfo.previousCursor)}
          />
        </BlockStack>
      </Card>
      <BlockStack gap="100">
        <Text as="p" variant="bodySm" tone="subdued">
          A data request asks for everything Afterglow holds about a customer. Download its export (JSON: their
          facts, orders, survey answers, points, tier history and follow-ups in this shop) and send it to the customer.
          It is assembled when you download it, so it always shows what Afterglow holds now.
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          A redaction has already been carried out: the customer&apos;s name and email, the free text of their answers
          and the notes on their follow-ups are erased; scores and totals stay, without their identity. Requests list
          customer ids only: Afterglow keeps no email address or phone number from them.
        </Text>
      </BlockStack>
    </AppPage>
  );
}
