-- CreateTable
CREATE TABLE "BulkRun" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "activeShop" TEXT,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "step" INTEGER NOT NULL DEFAULT 0,
    "pollMs" INTEGER NOT NULL DEFAULT 3000,
    "preparedAt" TIMESTAMP(3),
    "tagNames" TEXT,
    "customers" INTEGER NOT NULL DEFAULT 0,
    "operations" TEXT NOT NULL DEFAULT '[]',
    "lineErrors" INTEGER NOT NULL DEFAULT 0,
    "errorSample" TEXT,
    "lastError" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BulkRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BulkRun_activeShop_key" ON "BulkRun"("activeShop");

-- CreateIndex
CREATE INDEX "BulkRun_shopDomain_startedAt_idx" ON "BulkRun"("shopDomain", "startedAt");
