import { BlockStack, InlineStack, Text } from "@shopify/polaris";

const PARTS = [
  { key: "promoters", label: "Promoters (9–10)", color: "var(--p-color-bg-fill-success)" },
  { key: "passives", label: "Passives (7–8)", color: "var(--p-color-bg-fill-caution)" },
  { key: "detractors", label: "Detractors (0–6)", color: "var(--p-color-bg-fill-critical)" },
] as const;

/**
 * The promoters / passives / detractors split as one stacked bar with a legend that carries the numbers. Kept as a
 * plain proportion bar, not a polaris-viz chart (decision 032): one row of three shares has no axis, no period and
 * nothing a tooltip would add to the legend, and drawn on the server it is there at first paint, with no chart code.
 */
export function NpsSplitBar({
  split,
  counts,
}: {
  split: { promoters: number; passives: number; detractors: number } | null;
  counts: { promoters: number; passives: number; detractors: number };
}) {
  if (!split) {
    return (
      <Text as="p" tone="subdued">
        No NPS answers in this period.
      </Text>
    );
  }
  const description = PARTS.map((p) => `${p.label}: ${split[p.key]}% (${counts[p.key]})`).join(", ");
  return (
    <BlockStack gap="200">
      <div role="img" aria-label={`NPS split. ${description}`} style={{ display: "flex", height: 20, borderRadius: 6, overflow: "hidden" }}>
        {PARTS.map((p) => (split[p.key] > 0 ? <div key={p.key} title={`${p.label}: ${split[p.key]}%`} style={{ width: `${split[p.key]}%`, background: p.color }} /> : null))}
      </div>
      <InlineStack gap="400" wrap>
        {PARTS.map((p) => (
          <InlineStack key={p.key} gap="100" blockAlign="center">
            <span aria-hidden style={{ width: 10, height: 10, borderRadius: 2, background: p.color, display: "inline-block" }} />
            <Text as="span" variant="bodySm">
              {p.label}: {split[p.key]}% ({counts[p.key].toLocaleString("en-US")})
            </Text>
          </InlineStack>
        ))}
      </InlineStack>
    </BlockStack>
  );
}
