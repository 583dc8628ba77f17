import { useNavigation, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { formatUtcDay } from "~/domain/dates";

export interface RangeView {
  preset: string;
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  error: string | null;
}

const OPTIONS = [
  { label: "Last 7 days", value: "7d" },
  { label: "Last 30 days", value: "30d" },
  { label: "Last 90 days", value: "90d" },
  { label: "Last 12 months", value: "12m" },
  { label: "Custom range", value: "custom" },
];

/** Preset or custom dates, kept in the URL (so a range can be bookmarked and shared), compared with the period before. */
export function DateRangeBar({ range }: { range: RangeView }) {
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const [choice, setChoice] = useState(range.preset);
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  useEffect(() => {
    setChoice(range.preset);
    setFrom(range.from);
    setTo(range.to);
  }, [range.preset, range.from, range.to]);

  const apply = (next: Record<string, string | null>) => {
    const updated = new URLSearchParams(params);
    for (const key of ["range", "from", "to"]) updated.delete(key);
    for (const [key, value] of Object.entries(next)) if (value) updated.set(key, value);
    setParams(updated, { preventScrollReset: true });
  };
  const onPreset = (value: string) => {
    setChoice(value);
    if (value !== "custom") apply({ range: value });
  };

  return (
    <BlockStack gap="200">
      <InlineStack gap="300" blockAlign="end" wrap>
        <div style={{ minWidth: 180 }}>
          <Select label="Date range" options={OPTIONS} value={choice} onChange={onPreset} />
        </div>
        {choice === "custom" ? (
          <>
            <TextField label="From" type="date" value={from} onChange={setFrom} autoComplete="off" />
            <TextField label="To" type="date" value={to} onChange={setTo} autoComplete="off" />
            <Button onClick={() => apply({ from, to })} loading={navigation.state === "loading"}>
              Apply
            </Button>
          </>
        ) : null}
      </InlineStack>
      <Text as="p" variant="bodySm" tone="subdued">
        <span data-testid="range-summary">
          {formatUtcDay(range.from)} to {formatUtcDay(range.to)}, compared with {formatUtcDay(range.previousFrom)} to {formatUtcDay(range.previousTo)} (UTC days)
        </span>
      </Text>
      {range.error ? <Banner tone="warning" title={`${range.error}. Showing the last 30 days.`} /> : null}
    </BlockStack>
  );
}
