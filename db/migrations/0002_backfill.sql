CREATE TABLE "backfills" (
	"shop_id" text PRIMARY KEY NOT NULL,
	"since" date NOT NULL,
	"status" text NOT NULL,
	"phase" text NOT NULL,
	"pages" integer DEFAULT 0 NOT NULL,
	"orders" integer DEFAULT 0 NOT NULL,
	"refunds" integer DEFAULT 0 NOT NULL,
	"payouts" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"error" jsonb,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "channel_connections" ADD COLUMN "store_url" text;--> statement-breakpoint
ALTER TABLE "channel_connections" ADD COLUMN "api_credentials" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "historical" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "shops" ADD COLUMN "transfer" text DEFAULT 'automatic' NOT NULL;--> statement-breakpoint
ALTER TABLE "shops" ADD COLUMN "activated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "backfills" ADD CONSTRAINT "backfills_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;