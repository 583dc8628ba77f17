import { Badge, BlockStack, Box, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { formatDateTime } from "~/components/customers/format";
import type { ReturnPolicy } from "~/domain/returns/policy";
import { policyDocument, policySummary } from "~/domain/returns/policy-text";
import { PolicyText } from "./PolicyText";

interface VersionView {
  version: number;
  savedBy: string | null;
  savedAt: string;
  policy: ReturnPolicy;
}

function VersionText({ policy, currency }: { policy: ReturnPolicy; currency: string }) {
  const document = useMemo(() => policyDocument(policy, { locale: policy.publishLocale, currency }), [policy, currency]);
  return <PolicyText document={document} headingLevel="h4" lang={policy.publishLocale} />;
}

/**
 * Every saved version, newest first: who saved it and when, which one is published and which one judges new orders,
 * and the text of any version on request. Orders are judged by the version in force when they were placed.
 */
export function VersionsCard(props: {
  versions: VersionView[];
  total: number;
  publishedVersion: number | null;
  currency: string;
  timezone: string;
}) {
  const { versions, total, publishedVersion, currency, timezone } = props;
  const [open, setOpen] = useState<number | null>(null);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Versions
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          Every saved change is kept. Each order is judged by the version in force when it was placed.
        </Text>
        {versions.length === 0 ? (
          <Text as="p" tone="subdued">
            No version saved yet.
          </Text>
        ) : (
          <ol aria-label="Saved versions" style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {versions.map((v, i) => {
              const expanded = open === v.version;
              const id = `version-${v.version}-text`;
              return (
                <li key={v.version} data-version={v.version} style={{ borderTop: i ? "1px solid var(--p-color-border-secondary)" : undefined }}>
                  <Box paddingBlock="300">
                    <BlockStack gap="200">
                      <InlineStack align="space-between" blockAlign="center" gap="200">
                        <InlineStack gap="200" blockAlign="center">
                          <Text as="h3" variant="headingSm">
                            {`Version ${v.version}`}
                          </Text>
                          {i === 0 ? <Badge tone="info">Current</Badge> : null}
                          {v.version === publishedVersion ? <Badge tone="success">Published</Badge> : null}
                        </InlineStack>
                        <Button variant="plain" onClick={() => setOpen(expanded ? null : v.version)} ariaExpanded={expanded} ariaControls={id}>
                          {expanded ? `Hide version ${v.version}` : `View version ${v.version}`}
                        </Button>
                      </InlineStack>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {`Saved ${formatDateTime(v.savedAt, timezone)} by ${v.savedBy ?? "an unknown staff member"}`}
                      </Text>
                      <Text as="p" variant="bodySm">
                        {policySummary(v.policy, { locale: "en", currency })}
                      </Text>
                      {expanded ? (
                        <div id={id}>
                          <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
                            <VersionText policy={v.policy} currency={currency} />
                          </Box>
                        </div>
                      ) : null}
                    </BlockStack>
                  </Box>
                </li>
              );
            })}
          </ol>
        )}
        {total > versions.length ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {`Showing the latest ${versions.length} of ${total} versions.`}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
