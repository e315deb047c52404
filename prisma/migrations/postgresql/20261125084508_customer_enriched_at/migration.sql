-- AlterTable
ALTER TABLE "CustomerProfile" ADD COLUMN     "enrichedAt" TIMESTAMP(3);
