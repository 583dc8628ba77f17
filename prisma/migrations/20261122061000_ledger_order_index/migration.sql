-- CreateIndex
CREATE INDEX "PointsLedger_shop_orderId_idx" ON "PointsLedger"("shop", "orderId");

