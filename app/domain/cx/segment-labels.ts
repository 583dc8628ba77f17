import { tierSlug, type LoyaltyProgram } from "~/domain/loyalty/program";
import { localized, type SurveyConfig } from "~/domain/survey/questions";

/**
 * How the admin names the segments answers are grouped by, the same on the dashboard and the Reports page: a tier
 * slug by the programme's tier name, an attribution option id by its label in the survey's default language.
 */

/** "guest" → "Guest checkout", "" → "No tier", a slug → its tier's name (the slug itself once the tier is gone). */
export function tierLabeller(program: LoyaltyProgram): (key: string) => string {
  const names = new Map(program.tiers.map((t) => [tierSlug(t.name), t.name]));
  return (key) => (key === "guest" ? "Guest checkout" : key === "" ? "No tier" : (names.get(key) ?? key));
}

/** "" → "Not answered", "other" → "Other", an option id → its label (the id itself once the option is gone). */
export function attributionLabeller(config: SurveyConfig): (key: string) => string {
  const labels = new Map(config.questions.attribution.options.map((o) => [o.id, localized(o.label, config.defaultLocale, config.defaultLocale) ?? o.id]));
  return (key) => (key === "" ? "Not answered" : key === "other" ? "Other" : (labels.get(key) ?? key));
}
