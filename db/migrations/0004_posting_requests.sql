CREATE TABLE "posting_requests" (
	"request_id" text PRIMARY KEY NOT NULL,
	"ledger_id" text NOT NULL,
	"work" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "posting_requests_ledger" ON "posting_requests" USING btree ("ledger_id");