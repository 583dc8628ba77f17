import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { useAppToast } from "~/components/use-app-toast";
import { formatCount } from "./format";

type AdjustmentResult = { ok: true; balance: number } | { ok: false; errors: Record<string, string> };

/**
 * Staff adds or removes points with a reason. Posts to the customer route's action; field errors come back
 * with a 400 and sit on the fields; success shows a toast (a banner outside the Shopify admin).
 */
export function PointsAdjustmentCard({ balance }: { balance: number }) {
  const fetcher = useFetcher<AdjustmentResult>({ key: "points-adjustment" });
  const { show, notice, dismiss } = useAppToast();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const submitting = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : {};

  const handled = useRef<unknown>(null);
  useEffect(() => {
    if (!result || handled.current === result) return;
    handled.current = result;
    if (result.ok) {
      setPoints("");
      setReason("");
      show(`Points adjusted. New balance: ${formatCount(result.balance)}`);
    }
  }, [result, show]);

  const otherErrors = Object.entries(errors).filter(([key]) => key !== "points" && key !== "reason");
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Adjust points
        </Text>
        {notice ? <Banner tone={notice.error ? "critical" : "success"} title={notice.message} onDismiss={dismiss} /> : null}
        {otherErrors.length ? (
          <Banner tone="critical" title="The adjustment was not saved">
            {otherErrors.map(([key, message]) => (
              <Text as="p" key={key}>
                {message}
              </Text>
            ))}
          </Banner>
        ) : null}
        <fetcher.Form method="post" onSubmit={dismiss}>
          <FormLayout>
            <TextField
              label="Points"
              name="points"
              value={points}
              onChange={setPoints}
              inputMode="numeric"
              placeholder="e.g. 50 or -20"
              helpText={`Positive adds, negative removes. The balance (${formatCount(balance)}) cannot go below zero.`}
              error={errors.points}
              autoComplete="off"
            />
            <TextField
              label="Reason"
              name="reason"
              value={reason}
              onChange={setReason}
              placeholder="e.g. Goodwill for a late delivery"
              maxLength={200}
              showCharacterCount
              error={errors.reason}
              autoComplete="off"
            />
            <Button submit variant="primary" loading={submitting}>
              Adjust points
            </Button>
          </FormLayout>
        </fetcher.Form>
      </BlockStack>
    </Card>
  );
}
