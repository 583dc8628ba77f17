-- The dashboard's setup guide (app/services/setup-guide.server.ts). Which of its steps are done is never stored: it is
-- read from the rows that complete them. Only the merchant's choice to hide the guide is kept, one row per shop.
CREATE TABLE "SetupGuide" (
    "shop" TEXT NOT NULL,
    "dismissedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SetupGuide_pkey" PRIMARY KEY ("shop")
);

-- "Has the survey on this surface (thank-you page, order status page) ever sent an answer?" is an EXISTS on the
-- shop's answers of one surface. Without this index it walks the shop's answers until one of that surface turns up:
-- all of them (a million for a large shop) when the survey was never added to that page, on every dashboard load.
CREATE INDEX "SurveyResponse_shop_surface_idx" ON "SurveyResponse"("shop", "surface");

-- The planner takes shop and surface as independent: for a large shop whose answers all come from one page, it
-- expects the other page's rows to be plentiful and the first one near, and scans the table instead. Their common
-- values (a large shop's surfaces are among them) tell it which pairs are rare or absent.
CREATE STATISTICS "SurveyResponse_shop_surface_stats" (mcv) ON "shop", "surface" FROM "SurveyResponse";
