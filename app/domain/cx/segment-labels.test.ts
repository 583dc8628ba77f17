import { describe, expect, it } from "vitest";
import { DEFAULT_PROGRAM } from "~/domain/loyalty/program";
import { DEFAULT_SURVEY_CONFIG } from "~/domain/survey/questions";
import { attributionLabeller, tierLabeller } from "./segment-labels";

describe("segment labels", () => {
  it("names tiers by the programme, with the two keys that are not tiers", () => {
    const label = tierLabeller(DEFAULT_PROGRAM);
    expect(["silver", "", "guest", "retired-tier"].map(label)).toEqual(["Silver", "No tier", "Guest checkout", "retired-tier"]);
  });

  it("names attribution options in the survey's default language", () => {
    const label = attributionLabeller({ ...DEFAULT_SURVEY_CONFIG, defaultLocale: "fr" });
    expect(["search", "other", "", "gone"].map(label)).toEqual(["Moteur de recherche", "Other", "Not answered", "gone"]);
  });
});
