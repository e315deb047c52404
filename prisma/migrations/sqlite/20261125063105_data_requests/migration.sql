-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "ordersRequested" TEXT NOT NULL DEFAULT '[]',
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "DataRequest_webhookId_key" ON "DataRequest"("webhookId");

-- CreateIndex
CREATE INDEX "DataRequest_shopDomain_receivedAt_idx" ON "DataRequest"("shopDomain", "receivedAt");
