import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PerkDiscountsCard, type PerkDiscountView } from "./PerkDiscountsCard";
import { RecomputeStatus } from "./RecomputeCard";
import { TierDistributionChart } from "./TierDistributionChart";

const render = (node: ReactNode) => renderToStaticMarkup(<AppProvider i18n={en}>{node}</AppProvider>);

describe("RecomputeStatus", () => {
  const job = { id: 7, total: 350, done: 120, startedAt: "2026-11-01T10:00:00.000Z", finishedAt: null };

  it("shows a progress bar with done of total while the job runs", () => {
    const html = render(<RecomputeStatus job={{ ...job, status: "running" }} timezone="UTC" />);
    expect(html).toMatch(/<progress[^>]*value="34"[^>]*max="100"|<progress[^>]*max="100"[^>]*value="34"/);
    expect(html).toContain("120 of 350 customers re-evaluated");
    expect(html).toContain('data-job-status="running"');
  });

  it("says how a finished or failed job ended, without a progress bar", () => {
    const done = render(<RecomputeStatus job={{ ...job, status: "done", done: 350, finishedAt: "2026-11-01T10:00:05.000Z" }} timezone="UTC" />);
    expect(done).not.toContain("<progress");
    expect(done).toContain("Finished Nov 1, 2026, 10:00 AM: 350 of 350 customers re-evaluated.");
    const failed = render(<RecomputeStatus job={{ ...job, status: "failed", finishedAt: "2026-11-01T10:00:05.000Z" }} timezone="UTC" />);
    expect(failed).toContain("after 120 of 350 customers");
  });

  it("renders nothing without a job", () => {
    expect(render(<RecomputeStatus job={null} timezone="UTC" />)).not.toContain("Tier recompute");
  });
});

describe("TierDistributionChart", () => {
  it("renders on the server as a named chart placeholder of fixed height (polaris-viz loads in the browser) with every tier in its data table", () => {
    const html = render(
      <TierDistributionChart
        title="Customers per tier"
        data={[
          { key: "bronze", label: "Bronze", value: 10, description: "Bronze: 10 customers" },
          { key: "gold", label: "Gold", value: 5, description: "Gold: 5 customers" },
          { key: "none", label: "No tier", value: 0, description: "No tier: 0 customers" },
        ]}
      />,
    );
    expect(html).toContain('role="img" aria-label="Customers per tier" data-chart="horizontal-bar"');
    expect(html).toContain("height:148px");
    expect(html).toContain("data-chart-skeleton");
    expect(html).not.toContain("<svg");
    expect(html).toContain('<th scope="col">Tier</th>');
    expect(html).toContain('<th scope="row">Gold</th><td>Gold: 5 customers</td>');
    expect(html).toContain('<th scope="row">No tier</th><td>No tier: 0 customers</td>');
    expect(html).not.toContain("data-partial");
  });
});

describe("PerkDiscountsCard", () => {
  const perk = (over: Partial<PerkDiscountView>): PerkDiscountView => ({
    kind: "discount",
    key: "percent-10",
    label: "Afterglow tier perk: 10% off",
    tiers: ["Afterglow Silver tier", "Afterglow Gold tier"],
    state: "active",
    reason: null,
    endsAt: "2027-01-03T09:00:00.000Z",
    ...over,
  });
  const noop = () => undefined;

  it("lists discounts (their tiers and end) before segments, each with its state and no Retry when nothing failed", () => {
    const html = render(
      <PerkDiscountsCard
        perks={[perk({}), perk({ kind: "segment", key: "tier-2", label: "Afterglow Silver tier", tiers: [], endsAt: null, state: "pending" })]}
        timezone="UTC"
        retrying={null}
        onRetry={noop}
      />,
    );
    expect(html).toContain('data-perk="percent-10" data-perk-state="active"');
    expect(html).toContain('data-perk="tier-2" data-perk-state="pending"');
    expect(html.indexOf("Automatic discounts")).toBeLessThan(html.indexOf("Customer segments"));
    expect(html).toContain("For Afterglow Silver tier, Afterglow Gold tier · Ends Jan 3, 2027, renewed daily");
    expect(html).toContain(">Active<");
    expect(html).toContain(">Pending<");
    expect(html).not.toContain("Retry");
  });

  it("shows a failed perk with Shopify's reason and a Retry button named after it", () => {
    const reason = "MAX_ACTIVE_AUTOMATIC_DISCOUNTS Your store has reached the limit of 25 active automatic discounts.";
    const html = render(<PerkDiscountsCard perks={[perk({ state: "failed", reason, endsAt: null })]} timezone="UTC" retrying={null} onRetry={noop} />);
    expect(html).toContain(`Shopify: ${reason}`);
    expect(html).toContain('aria-label="Retry: Afterglow tier perk: 10% off"');
    expect(html).not.toContain("Ends ");
  });

  it("says what to do when no tier has a perk", () => {
    const html = render(<PerkDiscountsCard perks={[]} timezone="UTC" retrying={null} onRetry={noop} />);
    expect(html).toContain("Give a tier a perk and save the program.");
  });
});
