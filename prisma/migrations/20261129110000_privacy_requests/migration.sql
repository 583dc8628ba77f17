-- CreateTable
CREATE TABLE "PrivacyRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "dataRequestId" TEXT,
    "customerId" TEXT NOT NULL,
    "orderIds" TEXT NOT NULL DEFAULT '[]',
    "rowsChanged" INTEGER,
    "receivedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "PrivacyRequest_shop_receivedAt_id_idx" ON "PrivacyRequest"("shop", "receivedAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "PrivacyRequest_shop_webhookId_key" ON "PrivacyRequest"("shop", "webhookId");

-- CreateIndex
CREATE UNIQUE INDEX "PrivacyRequest_shop_dataRequestId_key" ON "PrivacyRequest"("shop", "dataRequestId");

