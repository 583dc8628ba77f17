-- Return policy versions and publication state (issue 6). Created with `prisma migrate diff` from the previous schema.
-- CreateTable
CREATE TABLE "ReturnPolicyVersion" (
    "shop" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "settings" TEXT NOT NULL,
    "savedBy" TEXT,
    "savedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "version")
);

-- CreateTable
CREATE TABLE "ReturnPolicyPublication" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER,
    "publishedAt" DATETIME,
    "body" TEXT,
    "locale" TEXT,
    "summaries" TEXT,
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "shopifyBody" TEXT,
    "shopifyUpdatedAt" DATETIME,
    "shopifyReadAt" DATETIME
);

