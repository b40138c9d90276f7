CREATE TABLE "acquirer_connections" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"acquirer" text NOT NULL,
	"source" text NOT NULL,
	"credentials" text,
	"csv_mapping" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "booking_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"subject" text NOT NULL,
	"subject_id" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_connections" (
	"shop_id" text PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"platform" text NOT NULL,
	"event_id" text NOT NULL,
	"topic" text NOT NULL,
	"body" text NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"shop_id" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"status_code" integer NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_shop_id_key_pk" PRIMARY KEY("shop_id","key")
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"ledger_id" text NOT NULL,
	"number" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	CONSTRAINT "ledger_accounts_ledger_id_number_pk" PRIMARY KEY("ledger_id","number")
);
--> statement-breakpoint
CREATE TABLE "ledger_counters" (
	"ledger_id" text PRIMARY KEY NOT NULL,
	"last_voucher_number" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_vat_codes" (
	"ledger_id" text NOT NULL,
	"code" text NOT NULL,
	"rate" text NOT NULL,
	CONSTRAINT "ledger_vat_codes_ledger_id_code_pk" PRIMARY KEY("ledger_id","code")
);
--> statement-breakpoint
CREATE TABLE "ledgers" (
	"id" text PRIMARY KEY NOT NULL,
	"shop_id" text NOT NULL,
	"system" text NOT NULL,
	"currency" text NOT NULL,
	"mode" text DEFAULT 'draft' NOT NULL,
	"monthly_quota" integer,
	"start_date" date NOT NULL,
	"trial_seconds" integer DEFAULT 1209600 NOT NULL,
	"credentials" text,
	"settings" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"shop_id" text NOT NULL,
	"order_id" text NOT NULL,
	"order_number" text NOT NULL,
	"ledger_id" text NOT NULL,
	"status" text NOT NULL,
	"error_code" text,
	"error_details" jsonb,
	"currency" text NOT NULL,
	"total" bigint NOT NULL,
	"order_status" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"channel_line_refs" jsonb,
	"invoice_voucher_number" text,
	"payment_voucher_number" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_shop_id_order_id_pk" PRIMARY KEY("shop_id","order_id")
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"connection_id" text NOT NULL,
	"payout_id" text NOT NULL,
	"shop_id" text NOT NULL,
	"ledger_id" text NOT NULL,
	"acquirer" text NOT NULL,
	"currency" text NOT NULL,
	"paid_out_at" date NOT NULL,
	"net_amount" bigint NOT NULL,
	"payout" jsonb NOT NULL,
	"status" text NOT NULL,
	"error_code" text,
	"error_details" jsonb,
	"matches" jsonb,
	"voucher_number" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payouts_connection_id_payout_id_pk" PRIMARY KEY("connection_id","payout_id")
);
--> statement-breakpoint
CREATE TABLE "postings" (
	"ledger_id" text NOT NULL,
	"kind" text NOT NULL,
	"reference" text NOT NULL,
	"document_id" text NOT NULL,
	"voucher_number" text,
	"state" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"acquirer" text,
	"receivable_account" text,
	"transaction_id" text,
	"order_id" text,
	"order_number" text,
	"document_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "postings_ledger_id_kind_reference_pk" PRIMARY KEY("ledger_id","kind","reference")
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"shop_id" text NOT NULL,
	"refund_id" text NOT NULL,
	"order_id" text NOT NULL,
	"ledger_id" text NOT NULL,
	"status" text NOT NULL,
	"error_code" text,
	"error_details" jsonb,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"snapshot" jsonb NOT NULL,
	"credit_note_voucher_number" text,
	"refund_payment_voucher_number" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_shop_id_refund_id_pk" PRIMARY KEY("shop_id","refund_id")
);
--> statement-breakpoint
CREATE TABLE "settlements" (
	"ledger_id" text NOT NULL,
	"kind" text NOT NULL,
	"reference" text NOT NULL,
	"connection_id" text NOT NULL,
	"payout_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"rule" text NOT NULL,
	"amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlements_ledger_id_kind_reference_pk" PRIMARY KEY("ledger_id","kind","reference")
);
--> statement-breakpoint
CREATE TABLE "shops" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"api_key_hash" text NOT NULL,
	"webhook_secret" text,
	"mapping" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shops_api_key_hash_unique" UNIQUE("api_key_hash")
);
--> statement-breakpoint
CREATE TABLE "voucher_lines" (
	"id" serial PRIMARY KEY NOT NULL,
	"voucher_id" integer NOT NULL,
	"ledger_id" text NOT NULL,
	"account" text NOT NULL,
	"amount" bigint NOT NULL,
	"text" text NOT NULL,
	"vat_code" text
);
--> statement-breakpoint
CREATE TABLE "vouchers" (
	"id" serial PRIMARY KEY NOT NULL,
	"ledger_id" text NOT NULL,
	"number" integer,
	"kind" text NOT NULL,
	"reference" text NOT NULL,
	"state" text NOT NULL,
	"date" date NOT NULL,
	"currency" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"booked_at" timestamp with time zone,
	CONSTRAINT "vouchers_booked_has_number" CHECK (("vouchers"."state" = 'booked') = ("vouchers"."number" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "acquirer_connections" ADD CONSTRAINT "acquirer_connections_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_connections" ADD CONSTRAINT "channel_connections_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_ledger_id_ledgers_id_fk" FOREIGN KEY ("ledger_id") REFERENCES "public"."ledgers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_counters" ADD CONSTRAINT "ledger_counters_ledger_id_ledgers_id_fk" FOREIGN KEY ("ledger_id") REFERENCES "public"."ledgers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_vat_codes" ADD CONSTRAINT "ledger_vat_codes_ledger_id_ledgers_id_fk" FOREIGN KEY ("ledger_id") REFERENCES "public"."ledgers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledgers" ADD CONSTRAINT "ledgers_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_connection_id_acquirer_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."acquirer_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_lines" ADD CONSTRAINT "voucher_lines_voucher_id_vouchers_id_fk" FOREIGN KEY ("voucher_id") REFERENCES "public"."vouchers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vouchers" ADD CONSTRAINT "vouchers_ledger_id_ledgers_id_fk" FOREIGN KEY ("ledger_id") REFERENCES "public"."ledgers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booking_events_subject" ON "booking_events" USING btree ("shop_id","subject","subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "channel_events_shop_event" ON "channel_events" USING btree ("shop_id","event_id");--> statement-breakpoint
CREATE INDEX "channel_events_shop_outcome" ON "channel_events" USING btree ("shop_id","outcome");--> statement-breakpoint
CREATE INDEX "orders_shop_status" ON "orders" USING btree ("shop_id","status");--> statement-breakpoint
CREATE INDEX "orders_shop_error" ON "orders" USING btree ("shop_id","error_code");--> statement-breakpoint
CREATE INDEX "payouts_shop_status" ON "payouts" USING btree ("shop_id","status");--> statement-breakpoint
CREATE INDEX "postings_ledger_acquirer" ON "postings" USING btree ("ledger_id","acquirer");--> statement-breakpoint
CREATE INDEX "refunds_shop_order" ON "refunds" USING btree ("shop_id","order_id");--> statement-breakpoint
CREATE INDEX "settlements_payout" ON "settlements" USING btree ("connection_id","payout_id");--> statement-breakpoint
CREATE INDEX "voucher_lines_voucher" ON "voucher_lines" USING btree ("voucher_id");--> statement-breakpoint
CREATE INDEX "voucher_lines_ledger_account" ON "voucher_lines" USING btree ("ledger_id","account");--> statement-breakpoint
CREATE UNIQUE INDEX "vouchers_ledger_kind_reference" ON "vouchers" USING btree ("ledger_id","kind","reference");--> statement-breakpoint
CREATE UNIQUE INDEX "vouchers_ledger_number" ON "vouchers" USING btree ("ledger_id","number");