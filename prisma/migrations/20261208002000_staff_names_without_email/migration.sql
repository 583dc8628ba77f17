-- Decision 049: staff are known by name only; the e-mail the online session carries is not kept.
ALTER TABLE "StaffMember" DROP COLUMN "email";
