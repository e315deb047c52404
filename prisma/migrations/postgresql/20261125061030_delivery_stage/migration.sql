-- DropIndex
DROP INDEX "Invitation_shopDomain_orderId_key";

-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "opensAt" TIMESTAMP(3),
ADD COLUMN     "stage" TEXT NOT NULL DEFAULT 'purchase';

-- AlterTable
ALTER TABLE "Response" ADD COLUMN     "stage" TEXT NOT NULL DEFAULT 'purchase';

-- CreateIndex
CREATE INDEX "Invitation_status_opensAt_idx" ON "Invitation"("status", "opensAt");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_shopDomain_orderId_stage_key" ON "Invitation"("shopDomain", "orderId", "stage");
