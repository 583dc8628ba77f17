import { InlineStack, Select } from "@shopify/polaris";
import { BAND_RANGES } from "~/domain/survey/score-bands";
import type { CustomerList } from "~/services/customer-pages.server";

/**
 * The list's tier and NPS group filters (and, where the table is condensed and has no column headings, its sort), as
 * native selects: each change replaces the URL parameter and starts from the first page.
 */

const range = ([from, to]: readonly [number, number]) => `${from}–${to}`;
const NPS_OPTIONS = [
  { label: "Any NPS", value: "" },
  { label: `Promoters (NPS ${range(BAND_RANGES.nps.promoter)})`, value: "promoter" },
  { label: `Passives (NPS ${range(BAND_RANGES.nps.passive)})`, value: "passive" },
  { label: `Detractors (NPS ${range(BAND_RANGES.nps.detractor)})`, value: "detractor" },
  { label: "No NPS answer", value: "none" },
];

const SORT_OPTIONS = [
  { label: "Net spend, highest first", value: "spend:desc" },
  { label: "Net spend, lowest first", value: "spend:asc" },
  { label: "Orders, most first", value: "orders:desc" },
  { label: "Orders, fewest first", value: "orders:asc" },
  { label: "Last order, newest first", value: "last-order:desc" },
  { label: "Last order, oldest first", value: "last-order:asc" },
  { label: "Points, most first", value: "points:desc" },
  { label: "Points, fewest first", value: "points:asc" },
];

interface CustomerFiltersProps {
  list: Pick<CustomerList, "tierChoices" | "tier" | "npsGroup" | "sort" | "direction">;
  /** Show the sort select (the condensed table has no sortable headings). */
  showSort: boolean;
  onChange(changes: Record<string, string | null>): void;
}

export function CustomerFilters({ list, showSort, onChange }: CustomerFiltersProps) {
  const tierOptions = [{ label: "All tiers", value: "" }, ...list.tierChoices];
  return (
    <InlineStack gap="300" blockAlign="end" wrap>
      <Select label="Tier" options={tierOptions} value={list.tier ?? ""} onChange={(tier) => onChange({ tier: tier || null })} />
      <Select label="NPS group" options={NPS_OPTIONS} value={list.npsGroup ?? ""} onChange={(nps) => onChange({ nps: nps || null })} />
      {showSort ? (
        <Select
          label="Sort by"
          options={SORT_OPTIONS}
          value={`${list.sort}:${list.direction}`}
          onChange={(value) => {
            const [sort, dir] = value.split(":");
            onChange({ sort: sort ?? null, dir: dir ?? null });
          }}
        />
      ) : null}
    </InlineStack>
  );
}
