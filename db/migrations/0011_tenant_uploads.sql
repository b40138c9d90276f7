CREATE TABLE "payout_plan_parts" (
	"connection_id" text NOT NULL,
	"payout_id" text NOT NULL,
	"part" integer NOT NULL,
	"parts" integer NOT NULL,
	"voucher" jsonb NOT NULL,
	"settles" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payout_plan_parts_connection_id_payout_id_part_pk" PRIMARY KEY("connection_id","payout_id","part")
);
--> statement-breakpoint
CREATE TABLE "settlement_uploads" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"connection_id" text NOT NULL,
	"sha256" text NOT NULL,
	"bytes" integer NOT NULL,
	"content" text NOT NULL,
	"status" text NOT NULL,
	"lines_read" integer DEFAULT 0 NOT NULL,
	"result" jsonb,
	"error" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "settlement_uploads" ADD CONSTRAINT "settlement_uploads_connection_id_acquirer_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."acquirer_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "settlement_uploads_connection_sha" ON "settlement_uploads" USING btree ("connection_id","sha256");