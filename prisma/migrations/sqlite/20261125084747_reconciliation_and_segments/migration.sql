-- CreateTable
CREATE TABLE "ReconciliationRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "activeShop" TEXT,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "step" INTEGER NOT NULL DEFAULT 0,
    "checked" INTEGER NOT NULL DEFAULT 0,
    "drifted" INTEGER NOT NULL DEFAULT 0,
    "repaired" INTEGER NOT NULL DEFAULT 0,
    "gone" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReconciliationMark" (
    "shopDomain" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,

    PRIMARY KEY ("runId", "customerId")
);

-- CreateTable
CREATE TABLE "NpsSegment" (
    "shopDomain" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shopDomain", "category")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReconciliationRun_activeShop_key" ON "ReconciliationRun"("activeShop");

-- CreateIndex
CREATE INDEX "ReconciliationRun_shopDomain_createdAt_idx" ON "ReconciliationRun"("shopDomain", "createdAt");

-- CreateIndex
CREATE INDEX "ReconciliationMark_shopDomain_idx" ON "ReconciliationMark"("shopDomain");
