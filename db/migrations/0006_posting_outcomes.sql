ALTER TABLE "posting_requests" ADD COLUMN "holder_workflow_id" text;--> statement-breakpoint
ALTER TABLE "posting_requests" ADD COLUMN "outcome" jsonb;--> statement-breakpoint
ALTER TABLE "posting_requests" ADD COLUMN "done_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "posting_requests_pending" ON "posting_requests" USING btree ("ledger_id","created_at") WHERE "posting_requests"."outcome" is null;