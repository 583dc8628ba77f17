import { attributionRows, attributionRowView, type AttributionCounts, type AttributionRow } from "~/domain/cx/attribution";
import { parseDateRange, rangeView } from "~/domain/cx/date-range";
import { attributionLabeller, tierLabeller } from "~/domain/cx/segment-labels";
import { CSV_BOM, decimal, encodeRow, type CsvCell } from "~/domain/csv";
import { tierSlug } from "~/domain/loyalty/program";
import { minorToDecimal } from "~/domain/money";
import { attributionCounts } from "~/models/attribution-report.server";
import { getLoyaltyProgram } from "./loyalty.server";
import { shopDisplay } from "./shop-profile.server";
import { getSurveySettings } from "./survey-settings.server";

/**
 * The Reports page's attribution report and its CSV: per answer to "How did you hear about us?", for a date range
 * (the dashboard's, from the URL), the answers, the answered orders and their net revenue, the new-customer share,
 * the 90-day revenue per customer, the return rate, NPS and the tier mix (figures defined in
 * app/domain/cx/attribution.ts; counted in one SQL statement, app/models/attribution-report.server.ts).
 */

async function report(shop: string, params: URLSearchParams, now: Date) {
  const parsed = parseDateRange(params, now);
  const [groups, display, { program }, survey] = await Promise.all([
    attributionCounts(shop, parsed.range.from, parsed.range.to),
    shopDisplay(shop),
    getLoyaltyProgram(shop),
    getSurveySettings(shop),
  ]);
  const channelLabel = attributionLabeller(survey.published ?? survey.draft);
  const tierLabel = tierLabeller(program);
  // Every answer together, as one channel: the report's total row.
  const [total] = attributionRows(groups.map((g): AttributionCounts => ({ ...g, channel: "*" })));
  return { parsed, display, program, channelLabel, tierLabel, rows: attributionRows(groups), total: total ?? null };
}

export async function loadAttributionReport(shop: string, params: URLSearchParams, now = new Date()) {
  const { parsed, display, channelLabel, tierLabel, rows, total } = await report(shop, params, now);
  return {
    range: rangeView(parsed),
    currency: display.currency,
    rows: rows.map((row) => attributionRowView(row, channelLabel(row.channel), tierLabel)),
    total: total ? attributionRowView(total, "All answers", tierLabel) : null,
  };
}

/** An exact amount cell, whatever its size (csv.ts's moneyCell stops at 2^53; a channel's sum need not). */
const amountCell = (minor: bigint, currency: string): CsvCell => decimal(minorToDecimal(minor, currency));

/**
 * The report as CSV: one row per channel, then the total; one column per tier of the programme (then "No tier" and
 * "Guest checkout") with its answers. Amounts are exact decimals in the shop currency; empty cells where a figure has
 * no data.
 */
export async function attributionReportCsv(
  shop: string,
  params: URLSearchParams,
  now = new Date(),
): Promise<{ ok: true; filename: string; body: string } | { ok: false; error: string }> {
  const { parsed, display, program, channelLabel, tierLabel, rows, total } = await report(shop, params, now);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const tierKeys = [...program.tiers.map((t) => tierSlug(t.name)), "", "guest"];
  // A tier some answers still carry after it left the programme gets a column too.
  for (const row of rows) for (const { tier } of row.tiers) if (!tierKeys.includes(tier)) tierKeys.push(tier);
  const header: CsvCell[] = [
    "Channel",
    "Answers",
    "Orders",
    "Net revenue",
    "Currency",
    "New customer share (%)",
    "90-day revenue per customer",
    "Return rate (%)",
    "NPS",
    "Promoters",
    "Passives",
    "Detractors",
    ...tierKeys.map((key) => `Answers: ${tierLabel(key)}`),
  ];
  const line = (row: AttributionRow, label: string): CsvCell[] => [
    label,
    row.answers,
    row.orders,
    amountCell(row.netMinor, display.currency),
    display.currency,
    row.newCustomerShare.value,
    row.revenue90PerCustomerMinor === null ? null : amountCell(row.revenue90PerCustomerMinor, display.currency),
    row.returnRate.value,
    row.nps.value,
    row.nps.counts.promoters,
    row.nps.counts.passives,
    row.nps.counts.detractors,
    ...tierKeys.map((key) => row.tiers.find((t) => t.tier === key)?.answers ?? 0),
  ];
  const lines = [header, ...rows.map((row) => line(row, channelLabel(row.channel))), ...(total ? [line(total, "All answers")] : [])];
  const { from, to } = rangeView(parsed);
  return { ok: true, filename: `attribution-${from}-to-${to}.csv`, body: CSV_BOM + lines.map(encodeRow).join("") };
}
