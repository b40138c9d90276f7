CREATE TABLE "payout_lines" (
	"connection_id" text NOT NULL,
	"payout_id" text NOT NULL,
	"shop_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"type" text NOT NULL,
	"date" text NOT NULL,
	"amount" bigint NOT NULL,
	"fee" bigint NOT NULL,
	"currency" text NOT NULL,
	"transaction_id" text,
	"order_reference" text,
	"payment_method" text,
	"description" text,
	"destination" text NOT NULL,
	"rule" text,
	"settles_kind" text,
	"settles_reference" text,
	"settles_order_number" text,
	"disputes_reference" text,
	"disputes_order_number" text,
	"reason" text,
	CONSTRAINT "payout_lines_connection_id_payout_id_line_no_pk" PRIMARY KEY("connection_id","payout_id","line_no")
);
--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "line_totals" jsonb;--> statement-breakpoint
CREATE INDEX "payout_lines_destination" ON "payout_lines" USING btree ("connection_id","payout_id","destination","line_no");
--> statement-breakpoint
-- Existing payouts: their lines from payouts.payout, each with its match from payouts.matches (by line number), and
-- where it goes as src/services/payout-lines.ts destinationOf says.
INSERT INTO "payout_lines" ("connection_id", "payout_id", "shop_id", "line_no", "type", "date", "amount", "fee", "currency", "transaction_id",
  "order_reference", "payment_method", "description", "destination", "rule", "settles_kind", "settles_reference",
  "settles_order_number", "disputes_reference", "disputes_order_number", "reason")
SELECT p."connection_id", p."payout_id", p."shop_id", (l->>'lineNo')::integer, l->>'type', l->>'date', (l->>'amount')::bigint, (l->>'fee')::bigint,
  l->>'currency', l->>'transactionId', l->>'orderReference', l->>'paymentMethod', l->>'description',
  CASE
    WHEN l->>'type' = 'fee' THEN 'fees'
    WHEN m IS NULL THEN 'not_planned'
    WHEN jsonb_typeof(m->'settles') = 'object' THEN 'receivable'
    WHEN jsonb_typeof(m->'disputes') = 'object' THEN 'disputes'
    WHEN m->>'rule' = 'fee' THEN 'fees'
    ELSE 'error_account'
  END,
  m->>'rule', m->'settles'->>'kind', m->'settles'->>'reference', m->'settles'->>'orderNumber',
  m->'disputes'->>'reference', m->'disputes'->>'orderNumber', m->>'reason'
FROM "payouts" p
CROSS JOIN LATERAL jsonb_array_elements(p."payout"->'lines') l
-- A join on the line number, not a search of the match list per line: a payout may have hundreds of thousands.
LEFT JOIN (
  SELECT q."connection_id", q."payout_id", (e->>'lineNo')::integer AS "line_no", e AS m
  FROM "payouts" q CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(q."matches") = 'array' THEN q."matches" ELSE '[]'::jsonb END) e
) matched ON matched."connection_id" = p."connection_id" AND matched."payout_id" = p."payout_id" AND matched."line_no" = (l->>'lineNo')::integer;
--> statement-breakpoint
-- Their totals, as src/services/payout-lines.ts totalsOf counts them when it writes the rows.
UPDATE "payouts" p SET "line_totals" = (
  SELECT jsonb_build_object(
    'lines', count(*),
    'gross', coalesce(sum(l."amount") FILTER (WHERE l."type" <> 'fee'), 0),
    'fees', coalesce(sum(l."fee"), 0) - coalesce(sum(l."amount") FILTER (WHERE l."type" = 'fee'), 0),
    'settled', count(*) FILTER (WHERE l."destination" = 'receivable'),
    'settledAmount', coalesce(sum(l."amount") FILTER (WHERE l."destination" = 'receivable'), 0),
    'errorAccount', count(*) FILTER (WHERE l."destination" = 'error_account'),
    'errorAccountAmount', coalesce(sum(l."amount") FILTER (WHERE l."destination" = 'error_account'), 0),
    'disputes', count(*) FILTER (WHERE l."destination" = 'disputes'),
    'disputesAmount', coalesce(sum(l."amount") FILTER (WHERE l."destination" = 'disputes'), 0),
    'matched', coalesce(bool_or(l."rule" IS NOT NULL), false))
  FROM "payout_lines" l WHERE l."connection_id" = p."connection_id" AND l."payout_id" = p."payout_id"
);
