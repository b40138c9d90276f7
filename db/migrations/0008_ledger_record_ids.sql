CREATE TABLE "ledger_record_ids" (
	"ledger_id" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"vendor_id" text NOT NULL,
	CONSTRAINT "ledger_record_ids_ledger_id_kind_key_pk" PRIMARY KEY("ledger_id","kind","key")
);
--> statement-breakpoint
ALTER TABLE "ledger_record_ids" ADD CONSTRAINT "ledger_record_ids_ledger_id_ledgers_id_fk" FOREIGN KEY ("ledger_id") REFERENCES "public"."ledgers"("id") ON DELETE no action ON UPDATE no action;