-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" DATETIME,
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN,
    "locale" TEXT,
    "collaborator" BOOLEAN,
    "emailVerified" BOOLEAN,
    "refreshToken" TEXT,
    "refreshTokenExpires" DATETIME
);

-- CreateTable
CREATE TABLE "Shop" (
    "shopDomain" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT,
    "currencyCode" TEXT,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Survey" (
    "shopDomain" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL DEFAULT 1,
    "settings" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SurveyVersion" (
    "shopDomain" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "settings" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shopDomain", "version")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "webhookId" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CustomerProfile" (
    "shopDomain" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "ordersCount" INTEGER NOT NULL DEFAULT 0,
    "totalSpent" REAL NOT NULL DEFAULT 0,
    "currencyCode" TEXT,
    "firstOrderAt" DATETIME,
    "lastOrderAt" DATETIME,
    "latestScore" INTEGER,
    "latestCategory" TEXT,
    "latestRespondedAt" DATETIME,
    "responsesCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shopDomain", "customerId")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "customerId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "suppressionReason" TEXT,
    "source" TEXT NOT NULL,
    "orderFacts" TEXT,
    "surveyVersion" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "answeredAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Response" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "invitationId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "customerId" TEXT,
    "score" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "comment" TEXT,
    "csat" INTEGER,
    "ces" INTEGER,
    "channel" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "surveyVersion" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'confirmed',
    "orderValue" REAL,
    "currencyCode" TEXT,
    "salesChannel" TEXT,
    "countryCode" TEXT,
    "discountUsed" BOOLEAN,
    "itemCount" INTEGER,
    "customerOrdersCount" INTEGER,
    "returningCustomer" BOOLEAN,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Response_invitationId_fkey" FOREIGN KEY ("invitationId") REFERENCES "Invitation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SyncJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "customerId" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "lastError" TEXT,
    "doneAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "responseId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "note" TEXT,
    "owner" TEXT,
    "contactedAt" DATETIME,
    "resolvedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shopDomain_receivedAt_idx" ON "WebhookDelivery"("shopDomain", "receivedAt");

-- CreateIndex
CREATE INDEX "CustomerProfile_shopDomain_latestCategory_idx" ON "CustomerProfile"("shopDomain", "latestCategory");

-- CreateIndex
CREATE INDEX "Invitation_shopDomain_customerId_createdAt_idx" ON "Invitation"("shopDomain", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "Invitation_shopDomain_status_expiresAt_idx" ON "Invitation"("shopDomain", "status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_shopDomain_orderId_key" ON "Invitation"("shopDomain", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "Response_invitationId_key" ON "Response"("invitationId");

-- CreateIndex
CREATE INDEX "Response_shopDomain_createdAt_idx" ON "Response"("shopDomain", "createdAt");

-- CreateIndex
CREATE INDEX "Response_shopDomain_category_createdAt_idx" ON "Response"("shopDomain", "category", "createdAt");

-- CreateIndex
CREATE INDEX "Response_shopDomain_customerId_createdAt_idx" ON "Response"("shopDomain", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "SyncJob_status_runAt_idx" ON "SyncJob"("status", "runAt");

-- CreateIndex
CREATE INDEX "SyncJob_shopDomain_status_idx" ON "SyncJob"("shopDomain", "status");

-- CreateIndex
CREATE INDEX "SyncJob_shopDomain_customerId_status_idx" ON "SyncJob"("shopDomain", "customerId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "FollowUp_responseId_key" ON "FollowUp"("responseId");

-- CreateIndex
CREATE INDEX "FollowUp_shopDomain_status_idx" ON "FollowUp"("shopDomain", "status");
