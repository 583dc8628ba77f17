-- CreateTable
CREATE TABLE "SurveyResponse" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "customerId" TEXT,
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

-- CreateTable
CREATE TABLE "SurveySettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "draft" TEXT NOT NULL,
    "published" TEXT,
    "publishedAt" DATETIME,
    "lastPublishError" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "SurveyResponse_shop_createdAt_idx" ON "SurveyResponse"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "SurveyResponse_shop_customerId_createdAt_idx" ON "SurveyResponse"("shop", "customerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyResponse_shop_orderId_key" ON "SurveyResponse"("shop", "orderId");

