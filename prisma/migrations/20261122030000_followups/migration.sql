-- CreateTable
CREATE TABLE "FollowUp" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "responseId" INTEGER NOT NULL,
    "orderId" TEXT NOT NULL,
    "customerId" TEXT,
    "kind" TEXT NOT NULL,
    "trigger" TEXT,
    "status" TEXT NOT NULL,
    "owner" TEXT,
    "notes" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "FollowUp_shop_status_createdAt_idx" ON "FollowUp"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "FollowUp_shop_customerId_idx" ON "FollowUp"("shop", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "FollowUp_shop_responseId_kind_key" ON "FollowUp"("shop", "responseId", "kind");

