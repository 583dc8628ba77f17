-- Answers to the merchant's own survey questions (issue 23, docs/decisions/037-survey-question-registry.md):
-- choices and ratings in customAnswers, the shopper's words apart in customText (erased by customers/redact).
-- Nullable, no default: adding them rewrites no row.
ALTER TABLE "SurveyResponse" ADD COLUMN "customAnswers" JSONB, ADD COLUMN "customText" JSONB;
ALTER TABLE "PendingSurveyAnswer" ADD COLUMN "customAnswers" JSONB, ADD COLUMN "customText" JSONB;
