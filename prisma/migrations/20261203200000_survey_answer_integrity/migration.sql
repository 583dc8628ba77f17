-- Survey answer integrity (docs/decisions/022-survey-answer-integrity.md): who may replace an order's answers, answers
-- for orders not received yet kept apart until the order arrives, and a per-shop answer window.
ALTER TABLE "SurveyResponse" ADD COLUMN "tokenCustomerId" TEXT;

ALTER TABLE "SurveySettings" ADD COLUMN "answerWindowDays" INTEGER NOT NULL DEFAULT 90;

CREATE TABLE "PendingSurveyAnswer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "tokenCustomerId" TEXT,
    "nps" INTEGER,
    "csat" INTEGER,
    "ces" INTEGER,
    "attributionOption" TEXT,
    "attributionOther" TEXT,
    "comment" TEXT,
    "locale" TEXT NOT NULL,
    "surface" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

CREATE UNIQUE INDEX "PendingSurveyAnswer_shop_orderId_key" ON "PendingSurveyAnswer"("shop", "orderId");

CREATE INDEX "PendingSurveyAnswer_shop_createdAt_idx" ON "PendingSurveyAnswer"("shop", "createdAt");
