CREATE TABLE "posting_attempts" (
	"ledger_id" text NOT NULL,
	"kind" text NOT NULL,
	"reference" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "posting_attempts_ledger_id_kind_reference_pk" PRIMARY KEY("ledger_id","kind","reference")
);
