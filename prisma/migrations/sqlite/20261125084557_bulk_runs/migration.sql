-- CreateTable
CREATE TABLE "BulkRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "activeShop" TEXT,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "step" INTEGER NOT NULL DEFAULT 0,
    "pollMs" INTEGER NOT NULL DEFAULT 3000,
    "preparedAt" DATETIME,
    "tagNames" TEXT,
    "customers" INTEGER NOT NULL DEFAULT 0,
    "operations" TEXT NOT NULL DEFAULT '[]',
    "lineErrors" INTEGER NOT NULL DEFAULT 0,
    "errorSample" TEXT,
    "lastError" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "BulkRun_activeShop_key" ON "BulkRun"("activeShop");

-- CreateIndex
CREATE INDEX "BulkRun_shopDomain_startedAt_idx" ON "BulkRun"("shopDomain", "startedAt");
