-- CreateTable
CREATE TABLE "InvitationDailyRollup" (
    "shopDomain" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "invitations" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("shopDomain", "day", "stage", "status")
);

-- The rollup follows every insert, status (or stage, day, shop) change and delete of an invitation, whichever code
-- path makes it (bulk expiry included).
CREATE TRIGGER "Invitation_daily_rollup_insert" AFTER INSERT ON "Invitation"
BEGIN
  INSERT INTO "InvitationDailyRollup" ("shopDomain", "day", "stage", "status", "invitations")
  VALUES (NEW."shopDomain", substr(NEW."createdAt", 1, 10), NEW."stage", NEW."status", 1)
  ON CONFLICT ("shopDomain", "day", "stage", "status") DO UPDATE SET "invitations" = "invitations" + 1;
END;

CREATE TRIGGER "Invitation_daily_rollup_update" AFTER UPDATE OF "shopDomain", "stage", "status", "createdAt" ON "Invitation"
WHEN OLD."shopDomain" IS NOT NEW."shopDomain" OR OLD."stage" IS NOT NEW."stage" OR OLD."status" IS NOT NEW."status"
  OR substr(OLD."createdAt", 1, 10) IS NOT substr(NEW."createdAt", 1, 10)
BEGIN
  INSERT INTO "InvitationDailyRollup" ("shopDomain", "day", "stage", "status", "invitations")
  VALUES (OLD."shopDomain", substr(OLD."createdAt", 1, 10), OLD."stage", OLD."status", -1)
  ON CONFLICT ("shopDomain", "day", "stage", "status") DO UPDATE SET "invitations" = "invitations" - 1;
  INSERT INTO "InvitationDailyRollup" ("shopDomain", "day", "stage", "status", "invitations")
  VALUES (NEW."shopDomain", substr(NEW."createdAt", 1, 10), NEW."stage", NEW."status", 1)
  ON CONFLICT ("shopDomain", "day", "stage", "status") DO UPDATE SET "invitations" = "invitations" + 1;
END;

CREATE TRIGGER "Invitation_daily_rollup_delete" AFTER DELETE ON "Invitation"
BEGIN
  INSERT INTO "InvitationDailyRollup" ("shopDomain", "day", "stage", "status", "invitations")
  VALUES (OLD."shopDomain", substr(OLD."createdAt", 1, 10), OLD."stage", OLD."status", -1)
  ON CONFLICT ("shopDomain", "day", "stage", "status") DO UPDATE SET "invitations" = "invitations" - 1;
END;

-- The invitations already stored.
INSERT INTO "InvitationDailyRollup" ("shopDomain", "day", "stage", "status", "invitations")
SELECT "shopDomain", substr("createdAt", 1, 10), "stage", "status", COUNT(*) FROM "Invitation" GROUP BY 1, 2, 3, 4;
