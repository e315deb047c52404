-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "fulfilledAt" TIMESTAMP(3);
