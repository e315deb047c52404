-- CreateTable
CREATE TABLE "InvitationDailyRollup" (
    "shopDomain" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "invitations" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "InvitationDailyRollup_pkey" PRIMARY KEY ("shopDomain","day","stage","status")
);

-- The rollup follows every insert, status (or stage, day, shop) change and delete of an invitation, whichever code
-- path makes it (bulk expiry included).
CREATE FUNCTION "invitation_daily_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO "InvitationDailyRollup" ("shopDomain", "day", "stage", "status", "invitations")
    VALUES (OLD."shopDomain", to_char(OLD."createdAt", 'YYYY-MM-DD'), OLD."stage", OLD."status", -1)
    ON CONFLICT ("shopDomain", "day", "stage", "status")
    DO UPDATE SET "invitations" = "InvitationDailyRollup"."invitations" - 1;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "InvitationDailyRollup" ("shopDomain", "day", "stage", "status", "invitations")
    VALUES (NEW."shopDomain", to_char(NEW."createdAt", 'YYYY-MM-DD'), NEW."stage", NEW."status", 1)
    ON CONFLICT ("shopDomain", "day", "stage", "status")
    DO UPDATE SET "invitations" = "InvitationDailyRollup"."invitations" + 1;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Invitation_daily_rollup_insert_delete" AFTER INSERT OR DELETE ON "Invitation"
FOR EACH ROW EXECUTE FUNCTION "invitation_daily_rollup"();

CREATE TRIGGER "Invitation_daily_rollup_update" AFTER UPDATE OF "shopDomain", "stage", "status", "createdAt"
ON "Invitation" FOR EACH ROW
WHEN (OLD."shopDomain" IS DISTINCT FROM NEW."shopDomain" OR OLD."stage" IS DISTINCT FROM NEW."stage"
  OR OLD."status" IS DISTINCT FROM NEW."status"
  OR to_char(OLD."createdAt", 'YYYY-MM-DD') IS DISTINCT FROM to_char(NEW."createdAt", 'YYYY-MM-DD'))
EXECUTE FUNCTION "invitation_daily_rollup"();

-- The invitations already stored.
INSERT INTO "InvitationDailyRollup" ("shopDomain", "day", "stage", "status", "invitations")
SELECT "shopDomain", to_char("createdAt", 'YYYY-MM-DD'), "stage", "status", COUNT(*) FROM "Invitation"
GROUP BY 1, 2, 3, 4;
