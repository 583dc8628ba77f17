-- Answers saved as the shopper gives them, "seen" and an honest response rate (issue 23, decision 041).

-- completedAt: the last step was given; reached: the questions shown (drop-off); flowDecidedAt: the set's
-- "Survey answer received" moment passed. Sets stored before this change were sent whole at the end: they are
-- complete, and their moment has passed (the sweep must not send a Flow trigger for an old answer).
ALTER TABLE "SurveyResponse"
  ADD COLUMN "completedAt" TIMESTAMPTZ(3),
  ADD COLUMN "reached" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  ADD COLUMN "flowDecidedAt" TIMESTAMPTZ(3);
UPDATE "SurveyResponse" SET "completedAt" = "createdAt", "flowDecidedAt" = "createdAt";

ALTER TABLE "PendingSurveyAnswer"
  ADD COLUMN "completedAt" TIMESTAMPTZ(3),
  ADD COLUMN "reached" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
UPDATE "PendingSurveyAnswer" SET "completedAt" = "createdAt";

-- The hourly sweep: sets not yet decided whose edit window has closed. Partial, so it holds only recent sets.
CREATE INDEX "SurveyResponse_flow_undecided_idx" ON "SurveyResponse"("shop", "createdAt") WHERE "flowDecidedAt" IS NULL;

-- The survey was shown (once per order and surface): the response rate's denominator. No personal data.
CREATE TABLE "SurveySeen" (
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "surface" TEXT NOT NULL,
    "seenAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "SurveySeen_pkey" PRIMARY KEY ("shop", "orderId", "surface")
);
CREATE INDEX "SurveySeen_shop_seenAt_idx" ON "SurveySeen"("shop", "seenAt");
