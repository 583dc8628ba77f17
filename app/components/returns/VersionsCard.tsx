import { Badge, BlockStack, Box, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { formatDateTime } from "~/domain/dates";
import type { ReturnPolicy } from "~/domain/returns/policy";
import { policyDocument, policySummary } from "~/domain/returns/policy-text";
import { policyChanges } from "~/domain/returns/version-diff";
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

/** What changed from `previous` to `version`, one setting a line: its name, then the old and the new reading. */
function VersionChanges({ version, previous, currency }: { version: VersionView; previous: VersionView; currency: string }) {
  const changes = useMemo(() => policyChanges(previous.policy, version.policy, currency), [previous, version, currency]);
  if (changes.length === 0) {
    return (
      <Text as="p" tone="subdued">
        {`Nothing a shopper would notice changed from version ${previous.version}.`}
      </Text>
    );
  }
  return (
    <BlockStack gap="200">
      <Text as="h4" variant="headingSm">
        {`Changed from version ${previous.version}`}
      </Text>
      <ul aria-label={`Changes in version ${version.version}`} style={{ margin: 0, paddingInlineStart: "var(--p-space-500)" }}>
        {changes.map((change) => (
          <li key={change.setting} data-setting={change.setting}>
            <Text as="span" fontWeight="semibold">
              {`${change.label}: `}
            </Text>
            <span style={{ whiteSpace: "pre-wrap" }}>{change.before}</span>
            <Text as="span" visuallyHidden>
              {" changed to "}
            </Text>
            <span aria-hidden> → </span>
            <span style={{ whiteSpace: "pre-wrap" }}>{change.after}</span>
          </li>
        ))}
      </ul>
    </BlockStack>
  );
}

type Opened = { version: number; part: "text" | "changes" } | null;

/**
 * Every saved version, newest first: who saved it and when, which one is published and which one judges new orders,
 * and on request its text, what changed from the version before it, and, for an older version, Restore (it fills the
 * settings form; nothing is saved until the merchant saves). Orders are judged by the version in force when they
 * were placed.
 */
export function VersionsCard(props: {
  versions: VersionView[];
  /** The version before the oldest listed one, to compare that one with; null when the list reaches version 1. */
  versionBeforeOldest: VersionView | null;
  total: number;
  publishedVersion: number | null;
  currency: string;
  timezone: string;
  onRestore(version: VersionView): void;
}) {
  const { versions, versionBeforeOldest, total, publishedVersion, currency, timezone, onRestore } = props;
  const [open, setOpen] = useState<Opened>(null);
  const toggle = (version: number, part: "text" | "changes") =>
    setOpen((current) => (current?.version === version && current.part === part ? null : { version, part }));
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Versions
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          Every saved change is kept. Each order is judged by the version in force when it was placed. Restoring an older version fills the form
          above; it becomes a new version when you save it.
        </Text>
        {versions.length === 0 ? (
          <Text as="p" tone="subdued">
            No version saved yet.
          </Text>
        ) : (
          <ol aria-label="Saved versions" style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {versions.map((v, i) => {
              const previous = versions[i + 1] ?? (i === versions.length - 1 ? versionBeforeOldest : null);
              const textOpen = open?.version === v.version && open.part === "text";
              const changesOpen = open?.version === v.version && open.part === "changes";
              const textId = `version-${v.version}-text`;
              const changesId = `version-${v.version}-changes`;
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
                        <InlineStack gap="300" blockAlign="center">
                          {previous ? (
                            <Button variant="plain" onClick={() => toggle(v.version, "changes")} ariaExpanded={changesOpen} ariaControls={changesId}>
                              {changesOpen ? `Hide changes in version ${v.version}` : `Compare version ${v.version} with version ${previous.version}`}
                            </Button>
                          ) : null}
                          <Button variant="plain" onClick={() => toggle(v.version, "text")} ariaExpanded={textOpen} ariaControls={textId}>
                            {textOpen ? `Hide version ${v.version}` : `View version ${v.version}`}
                          </Button>
                          {i > 0 ? (
                            <Button variant="plain" onClick={() => onRestore(v)}>
                              {`Restore version ${v.version}`}
                            </Button>
                          ) : null}
                        </InlineStack>
                      </InlineStack>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {`Saved ${formatDateTime(v.savedAt, timezone)} by ${v.savedBy ?? "an unknown staff member"}`}
                      </Text>
                      <Text as="p" variant="bodySm">
                        {policySummary(v.policy, { locale: "en", currency })}
                      </Text>
                      {changesOpen && previous ? (
                        <div id={changesId}>
                          <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
                            <VersionChanges version={v} previous={previous} currency={currency} />
                          </Box>
                        </div>
                      ) : null}
                      {textOpen ? (
                        <div id={textId}>
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
