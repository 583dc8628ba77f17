import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { parseAnswerFilters } from "~/domain/survey/answer-filters";
import { shopDisplay } from "~/services/shop-profile.server";
import { surveyResponseRate } from "~/services/survey-response-rate.server";
import { getSurveySettings, listSurveyAnswers } from "~/services/survey-settings.server";

export async function surveyLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const filters = parseAnswerFilters(new URL(request.url).searchParams);
  const [settings, answers, { timezone, currency }] = await Promise.all([getSurveySettings(shop), listSurveyAnswers(shop, filters), shopDisplay(shop)]);
  const responseRate = await surveyResponseRate(shop, filters, settings.draft);
  return { settings, answers, filters, timezone, currency, responseRate };
}
