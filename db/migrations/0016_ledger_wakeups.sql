CREATE TABLE "ledger_wakeups" (
	"lock_id" text PRIMARY KEY NOT NULL,
	"awake_until" timestamp with time zone,
	"woken_by" text
);
--> statement-breakpoint
ALTER TABLE "posting_requests" ADD COLUMN "taken_in" text;