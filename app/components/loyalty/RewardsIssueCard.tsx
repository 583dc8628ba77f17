import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { useAppToast } from "~/components/use-app-toast";
import { formatDateTime } from "~/domain/dates";
import type { customerRewardsForStaff } from "~/services/rewards.server";

type CustomerRewards = Awaited<ReturnType<typeof customerRewardsForStaff>>;
type IssueResult = { ok: true; issued: { code: string | null; status: string } } | { ok: false; errors: Record<string, string> };

const STATUS: Record<string, { label: string; tone?: "success" | "info" | "critical" }> = {
  pending: { label: "Waiting for Shopify", tone: "info" },
  issued: { label: "Unused", tone: "success" },
  used: { label: "Used" },
  expired: { label: "Expired" },
  refused: { label: "Refused", tone: "critical" },
};

/**
 * The customer's reward codes (redeemed by them, or issued by staff with a reason), and a goodwill reward staff can
 * issue: a single-use code for this customer only, no points taken. Posts to the customer route's action.
 */
export function RewardsIssueCard({ rewards, timezone }: { rewards: CustomerRewards; timezone: string }) {
  const fetcher = useFetcher<IssueResult>({ key: "reward-issue" });
  const { show, notice, dismiss } = useAppToast();
  const [rewardId, setRewardId] = useState(String(rewards.offered[0]?.id ?? ""));
  const [reason, setReason] = useState("");
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : {};

  const handled = useRef<unknown>(null);
  useEffect(() => {
    if (!result || handled.current === result) return;
    handled.current = result;
    if (result.ok) {
      setReason("");
      show(result.issued.code ? `Reward issued: ${result.issued.code}` : "Reward requested; the code shows once Shopify confirms it");
    }
  }, [result, show]);

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Rewards
        </Text>
        {notice ? <Banner tone={notice.error ? "critical" : "success"} title={notice.message} onDismiss={dismiss} /> : null}
        {errors.reward ? <Banner tone="critical" title={errors.reward} /> : null}
        {rewards.redemptions.length ? (
          <BlockStack gap="200">
            {rewards.redemptions.map((r) => {
              const status = STATUS[r.status] ?? { label: r.status };
              return (
                <BlockStack gap="050" key={r.id}>
                  <Text as="p" fontWeight="semibold">
                    {r.title} <Badge tone={status.tone}>{status.label}</Badge>
                  </Text>
                  <Text as="p" tone="subdued" variant="bodySm">
                    {[r.code, r.points ? `${r.points.toLocaleString("en-US")} points` : "no points", `valid until ${formatDateTime(r.expiresAt, timezone)}`].filter(Boolean).join(" · ")}
                  </Text>
                  {r.issuedBy || r.note ? (
                    <Text as="p" tone="subdued" variant="bodySm" breakWord>
                      {`Issued by ${r.issuedBy ?? "staff"}${r.note ? `: ${r.note}` : ""}`}
                    </Text>
                  ) : null}
                  {r.status === "refused" && r.reason ? (
                    <Text as="p" tone="critical" variant="bodySm">
                      {r.reason}
                    </Text>
                  ) : null}
                </BlockStack>
              );
            })}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            No reward codes yet.
          </Text>
        )}
        {rewards.offered.length ? (
          <fetcher.Form method="post" onSubmit={dismiss}>
            <input type="hidden" name="intent" value="issue-reward" />
            <FormLayout>
              <Select
                label="Issue a reward"
                name="rewardId"
                options={rewards.offered.map((r) => ({ label: `${r.title} (${r.valueText})`, value: String(r.id) }))}
                value={rewardId}
                onChange={setRewardId}
                error={errors.rewardId}
                helpText="A single-use code only this customer can use; no points are taken."
              />
              <TextField
                label="Reason for the reward"
                name="reason"
                value={reason}
                onChange={setReason}
                placeholder="e.g. Sorry for the late delivery"
                maxLength={200}
                showCharacterCount
                error={errors.reason}
                autoComplete="off"
              />
              <Button submit loading={fetcher.state !== "idle"}>
                Issue reward
              </Button>
            </FormLayout>
          </fetcher.Form>
        ) : (
          <Text as="p" tone="subdued">
            Turn on a reward on the Loyalty page to issue one from here.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
