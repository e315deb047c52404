-- AlterTable
ALTER TABLE "CustomerProfile" ADD COLUMN "enrichedAt" DATETIME;
