-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN "fulfilledAt" DATETIME;
