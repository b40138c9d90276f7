-- A ledger is a merchant's accounting company, and shops point to it (issue 12): existing rows move over, each
-- ledger keeping its shop. Its identity in its system (company) is filled in from the settings where they name it;
-- e-conomic's agreement is known only through its sealed grant token, so those stay null until connected again.
ALTER TABLE "ledger_counters" ADD COLUMN "last_document_number" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ledgers" ADD COLUMN "merchant_id" text;--> statement-breakpoint
ALTER TABLE "ledgers" ADD COLUMN "company" text;--> statement-breakpoint
ALTER TABLE "shops" ADD COLUMN "ledger_id" text;--> statement-breakpoint
ALTER TABLE "shops" ADD COLUMN "reference_prefix" text;--> statement-breakpoint
ALTER TABLE "vouchers" ADD COLUMN "document_number" integer;--> statement-breakpoint
UPDATE "shops" SET "ledger_id" = l."id" FROM "ledgers" l WHERE l."shop_id" = "shops"."id";--> statement-breakpoint
UPDATE "ledgers" SET "merchant_id" = s."merchant_id" FROM "shops" s WHERE s."id" = "ledgers"."shop_id";--> statement-breakpoint
-- Two of a merchant's ledgers already connected to one company (each shop connected it on its own) keep their own
-- postings: only the oldest is named as the company, the others stay separate ledgers with no company.
UPDATE "ledgers" SET "company" = named."company"
FROM (
  SELECT "id", "company", row_number() OVER (PARTITION BY "merchant_id", "system", "company" ORDER BY "created_at", "id") AS "nth"
  FROM (
    SELECT "id", "merchant_id", "system", "created_at",
      CASE "system"
        WHEN 'local' THEN "id"
        WHEN 'billy' THEN "settings"->>'organizationId'
        WHEN 'fiken' THEN "settings"->>'companySlug'
        WHEN 'dinero' THEN "settings"->>'organizationId'
        WHEN 'uni-economy' THEN "settings"->>'companyKey'
      END AS "company"
    FROM "ledgers"
  ) identified
) named
WHERE named."id" = "ledgers"."id" AND named."nth" = 1 AND named."company" IS NOT NULL;--> statement-breakpoint
-- Local documents kept their global serial id as their document id; it stays theirs (postings hold it), and each
-- ledger's counter continues after its highest, so new ledgers start at 1.
UPDATE "vouchers" SET "document_number" = "id";--> statement-breakpoint
UPDATE "ledger_counters" c SET "last_document_number" = coalesce((SELECT max(v."document_number") FROM "vouchers" v WHERE v."ledger_id" = c."ledger_id"), 0);--> statement-breakpoint
ALTER TABLE "vouchers" ALTER COLUMN "document_number" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "ledgers" DROP CONSTRAINT "ledgers_shop_id_shops_id_fk";--> statement-breakpoint
ALTER TABLE "ledgers" ADD CONSTRAINT "ledgers_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shops" ADD CONSTRAINT "shops_ledger_id_ledgers_id_fk" FOREIGN KEY ("ledger_id") REFERENCES "public"."ledgers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledgers_merchant_company" ON "ledgers" USING btree ("merchant_id","system","company");--> statement-breakpoint
CREATE UNIQUE INDEX "shops_ledger_reference_prefix" ON "shops" USING btree ("ledger_id","reference_prefix");--> statement-breakpoint
CREATE UNIQUE INDEX "vouchers_ledger_document_number" ON "vouchers" USING btree ("ledger_id","document_number");--> statement-breakpoint
ALTER TABLE "ledgers" DROP COLUMN "shop_id";
