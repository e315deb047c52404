-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
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
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "shopDomain" TEXT NOT NULL,
    "name" TEXT,
    "currencyCode" TEXT,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("shopDomain")
);

-- CreateTable
CREATE TABLE "Survey" (
    "shopDomain" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "settings" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Survey_pkey" PRIMARY KEY ("shopDomain")
);

-- CreateTable
CREATE TABLE "SurveyVersion" (
    "shopDomain" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "settings" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SurveyVersion_pkey" PRIMARY KEY ("shopDomain","version")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "webhookId" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("webhookId")
);

-- CreateTable
CREATE TABLE "CustomerProfile" (
    "shopDomain" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "ordersCount" INTEGER NOT NULL DEFAULT 0,
    "totalSpent" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "currencyCode" TEXT,
    "firstOrderAt" TIMESTAMP(3),
    "lastOrderAt" TIMESTAMP(3),
    "latestScore" INTEGER,
    "latestCategory" TEXT,
    "latestRespondedAt" TIMESTAMP(3),
    "responsesCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerProfile_pkey" PRIMARY KEY ("shopDomain","customerId")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "customerId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "suppressionReason" TEXT,
    "source" TEXT NOT NULL,
    "orderFacts" TEXT,
    "surveyVersion" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Response" (
    "id" TEXT NOT NULL,
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
    "orderValue" DOUBLE PRECISION,
    "currencyCode" TEXT,
    "salesChannel" TEXT,
    "countryCode" TEXT,
    "discountUsed" BOOLEAN,
    "itemCount" INTEGER,
    "customerOrdersCount" INTEGER,
    "returningCustomer" BOOLEAN,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncJob" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "customerId" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "doneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "responseId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "note" TEXT,
    "owner" TEXT,
    "contactedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FollowUp_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_invitationId_fkey" FOREIGN KEY ("invitationId") REFERENCES "Invitation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
