CREATE TABLE "intake_handoffs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"order_id" text NOT NULL,
	"task_queue" text NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "intake_handoffs_queue_order" ON "intake_handoffs" USING btree ("task_queue","shop_id","order_id","id");--> statement-breakpoint
CREATE INDEX "intake_handoffs_shop" ON "intake_handoffs" USING btree ("shop_id","created_at");