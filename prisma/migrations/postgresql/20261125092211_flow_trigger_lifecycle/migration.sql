-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "flowTriggerChangedAt" TIMESTAMP(3),
ADD COLUMN     "flowTriggerEnabled" BOOLEAN NOT NULL DEFAULT false;
