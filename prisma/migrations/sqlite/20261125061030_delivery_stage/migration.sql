-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Invitation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "customerId" TEXT,
    "stage" TEXT NOT NULL DEFAULT 'purchase',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "suppressionReason" TEXT,
    "source" TEXT NOT NULL,
    "orderFacts" TEXT,
    "surveyVersion" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "opensAt" DATETIME,
    "expiresAt" DATETIME NOT NULL,
    "answeredAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Invitation" ("answeredAt", "createdAt", "customerId", "expiresAt", "id", "orderFacts", "orderId", "orderName", "shopDomain", "source", "status", "suppressionReason", "surveyVersion", "updatedAt") SELECT "answeredAt", "createdAt", "customerId", "expiresAt", "id", "orderFacts", "orderId", "orderName", "shopDomain", "source", "status", "suppressionReason", "surveyVersion", "updatedAt" FROM "Invitation";
DROP TABLE "Invitation";
ALTER TABLE "new_Invitation" RENAME TO "Invitation";
CREATE INDEX "Invitation_shopDomain_customerId_createdAt_idx" ON "Invitation"("shopDomain", "customerId", "createdAt");
CREATE INDEX "Invitation_shopDomain_status_expiresAt_idx" ON "Invitation"("shopDomain", "status", "expiresAt");
CREATE INDEX "Invitation_status_opensAt_idx" ON "Invitation"("status", "opensAt");
CREATE UNIQUE INDEX "Invitation_shopDomain_orderId_stage_key" ON "Invitation"("shopDomain", "orderId", "stage");
CREATE TABLE "new_Response" (
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
    "stage" TEXT NOT NULL DEFAULT 'purchase',
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
INSERT INTO "new_Response" ("category", "ces", "channel", "comment", "countryCode", "createdAt", "csat", "currencyCode", "customerId", "customerOrdersCount", "discountUsed", "id", "invitationId", "itemCount", "locale", "orderId", "orderValue", "returningCustomer", "salesChannel", "score", "shopDomain", "status", "surveyVersion") SELECT "category", "ces", "channel", "comment", "countryCode", "createdAt", "csat", "currencyCode", "customerId", "customerOrdersCount", "discountUsed", "id", "invitationId", "itemCount", "locale", "orderId", "orderValue", "returningCustomer", "salesChannel", "score", "shopDomain", "status", "surveyVersion" FROM "Response";
DROP TABLE "Response";
ALTER TABLE "new_Response" RENAME TO "Response";
CREATE UNIQUE INDEX "Response_invitationId_key" ON "Response"("invitationId");
CREATE INDEX "Response_shopDomain_createdAt_idx" ON "Response"("shopDomain", "createdAt");
CREATE INDEX "Response_shopDomain_category_createdAt_idx" ON "Response"("shopDomain", "category", "createdAt");
CREATE INDEX "Response_shopDomain_customerId_createdAt_idx" ON "Response"("shopDomain", "customerId", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
