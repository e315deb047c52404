-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Shop" (
    "shopDomain" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT,
    "currencyCode" TEXT,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    "flowTriggerEnabled" BOOLEAN NOT NULL DEFAULT false,
    "flowTriggerChangedAt" DATETIME
);
INSERT INTO "new_Shop" ("currencyCode", "installedAt", "name", "shopDomain", "uninstalledAt", "updatedAt") SELECT "currencyCode", "installedAt", "name", "shopDomain", "uninstalledAt", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
