import { Badge, Banner, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import type { PolicyDocument } from "~/domain/returns/policy-text";
import { RETURN_LOCALES, type ReturnLocale } from "~/domain/returns/policy";
import { formatDateTime } from "~/domain/dates";
import { RETURN_LOCALE_LABELS } from "~/domain/returns/version-diff";
import { PolicyText } from "./PolicyText";

type SyncState = "in_sync" | "differs" | "missing" | "other" | "none" | "unknown";

interface PublicationView {
  version: number | null;
  publishedAt: string | null;
  locale: string | null;
  summaries: Record<ReturnLocale, string> | null;
  document: PolicyDocument | null;
  lastError: string | null;
  lastErrorAt: string | null;
  shopify: { state: SyncState; fresh: boolean; readError: string | null; readAt: string | null; updatedAt: string | null };
}

const SYNC: Record<SyncState, { tone: "success" | "attention" | "critical" | undefined; badge: string; text: string }> = {
  in_sync: { tone: "success", badge: "In sync with Shopify", text: "Shopify's refund policy says what Afterglow published." },
  differs: {
    tone: "attention",
    badge: "Differs from Shopify's copy",
    text: "Shopify's refund policy has been changed since Afterglow published it (in the Shopify admin, or by another app). Publish again to replace it.",
  },
  missing: { tone: "critical", badge: "Missing in Shopify", text: "Shopify has no refund policy now. Publish again to restore it." },
  other: { tone: undefined, badge: "Not published yet", text: "Shopify has a refund policy that Afterglow did not write. Publishing replaces it." },
  none: { tone: undefined, badge: "Not published yet", text: "The shop has no refund policy in Shopify yet." },
  unknown: { tone: undefined, badge: "Shopify's copy unknown", text: "Shopify's refund policy could not be compared." },
};

/** What is published now (version, when, the text and the summaries) and whether Shopify's copy still says it. */
export function PublicationCard({ publication, latestVersion, timezone }: { publication: PublicationView; latestVersion: number | null; timezone: string }) {
  const [showText, setShowText] = useState(false);
  const sync = SYNC[publication.shopify.state];
  const { shopify } = publication;
  const behind = publication.version !== null && latestVersion !== null && latestVersion !== publication.version;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            Published policy
          </Text>
          <span data-testid="sync-state" data-state={shopify.state}>
            <Badge tone={sync.tone}>{sync.badge}</Badge>
          </span>
        </InlineStack>
        {publication.version !== null && publication.publishedAt ? (
          <Text as="p">
            <span data-testid="published-version">{`Version ${publication.version}`}</span>
            {`, published ${formatDateTime(publication.publishedAt, timezone)}`}
            {publication.locale && (RETURN_LOCALES as readonly string[]).includes(publication.locale)
              ? ` in ${RETURN_LOCALE_LABELS[publication.locale as ReturnLocale]}.`
              : "."}
          </Text>
        ) : (
          <Text as="p" tone="subdued">
            Nothing published yet. Publish writes the policy text as your shop&apos;s refund policy in Shopify, and the one-line summary for the
            survey on the thank-you page.
          </Text>
        )}
        {behind ? (
          <Text as="p" tone="caution">
            {`The latest saved version, ${latestVersion}, is not published yet.`}
          </Text>
        ) : null}
        <Text as="p" variant="bodySm" tone={shopify.state === "in_sync" ? "subdued" : undefined}>
          {sync.text}
        </Text>
        {!shopify.fresh ? (
          <Text as="p" variant="bodySm" tone="caution">
            {`Shopify's copy could not be read just now (${shopify.readError ?? "no answer"}).`}
            {shopify.readAt ? ` This compares with the copy read ${formatDateTime(shopify.readAt, timezone)}.` : ""}
          </Text>
        ) : null}
        {publication.lastError ? (
          <Banner tone="critical" title="The last publish failed">
            <Text as="p">{publication.lastError}</Text>
            {publication.lastErrorAt ? (
              <Text as="p" variant="bodySm">
                {formatDateTime(publication.lastErrorAt, timezone)}
              </Text>
            ) : null}
          </Banner>
        ) : null}
        {publication.summaries ? (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Published one-line summary
            </Text>
            <dl style={{ margin: 0, display: "grid", gridTemplateColumns: "max-content 1fr", gap: "4px 12px" }}>
              {RETURN_LOCALES.map((locale) => (
                <div key={locale} style={{ display: "contents" }}>
                  <dt>
                    <Text as="span" tone="subdued">
                      {locale}
                    </Text>
                  </dt>
                  <dd style={{ margin: 0 }} lang={locale}>
                    <Text as="span">{publication.summaries?.[locale] ?? "—"}</Text>
                  </dd>
                </div>
              ))}
            </dl>
          </BlockStack>
        ) : null}
        {publication.document ? (
          <BlockStack gap="200">
            <InlineStack>
              <Button variant="plain" onClick={() => setShowText((v) => !v)} ariaExpanded={showText} ariaControls="published-policy-text">
                {showText ? "Hide the published text" : "View the published text"}
              </Button>
            </InlineStack>
            {showText ? (
              <div id="published-policy-text">
                <PolicyText document={publication.document} lang={publication.locale ?? undefined} />
              </div>
            ) : null}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
