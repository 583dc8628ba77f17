import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import { formatUtcDay } from "~/domain/dates";
import { formatMoney } from "~/domain/money";

interface WorthRow {
  category: "promoter" | "passive" | "detractor";
  answers: number;
  averageOrderMinor: number | null;
  repeatRate: number | null;
  netPerCustomerMinor: number | null;
}

const TITLES = { promoter: "Promoters (9–10)", passive: "Passives (7–8)", detractor: "Detractors (0–6)" } as const;
const COLORS = { promoter: "var(--p-color-bg-fill-success)", passive: "var(--p-color-bg-fill-caution)", detractor: "var(--p-color-bg-fill-critical)" } as const;

/** What promoters, passives and detractors are worth: order value, repeat purchases and revenue in the 90 days after answering. */
export function WorthCard({ worth, currency }: { worth: { from: string; to: string; rows: WorthRow[] }; currency: string }) {
  const money = (minor: number | null) => (minor === null ? "—" : formatMoney(minor, currency));
  const max = Math.max(1, ...worth.rows.map((r) => r.netPerCustomerMinor ?? 0));
  const promoter = worth.rows.find((r) => r.category === "promoter");
  const detractor = worth.rows.find((r) => r.category === "detractor");
  const ratio =
    promoter?.netPerCustomerMinor && detractor?.netPerCustomerMinor && detractor.netPerCustomerMinor > 0
      ? Math.round((promoter.netPerCustomerMinor / detractor.netPerCustomerMinor) * 10) / 10
      : null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          What customer experience is worth
        </Text>
        <Text as="p" tone="subdued">
          Answers from {formatUtcDay(worth.from)} to {formatUtcDay(worth.to)} (UTC days), each followed for the 90 days after it was given.
          {ratio !== null ? ` Promoters brought in ${ratio}× the net revenue of detractors.` : ""}
        </Text>
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
          {worth.rows.map((r) => (
            <BlockStack key={r.category} gap="150">
              <Text as="h3" variant="headingSm">
                {TITLES[r.category]}
              </Text>
              <div
                role="img"
                aria-label={`${TITLES[r.category]}: ${money(r.netPerCustomerMinor)} net revenue per customer in the next 90 days`}
                style={{ height: 8, borderRadius: 4, background: "var(--p-color-bg-surface-secondary)" }}
              >
                <div style={{ height: 8, borderRadius: 4, width: `${Math.max(0, ((r.netPerCustomerMinor ?? 0) / max) * 100)}%`, background: COLORS[r.category] }} />
              </div>
              <Text as="p">
                <span data-worth={r.category}>{money(r.netPerCustomerMinor)}</span> net revenue per customer, next 90 days
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                Average order {money(r.averageOrderMinor)} · {r.repeatRate === null ? "—" : `${r.repeatRate}%`} ordered again ·{" "}
                {r.answers.toLocaleString("en-US")} answers
              </Text>
            </BlockStack>
          ))}
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
