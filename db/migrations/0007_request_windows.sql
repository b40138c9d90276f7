CREATE TABLE "request_windows" (
	"key" text PRIMARY KEY NOT NULL,
	"starts" timestamp with time zone[] DEFAULT '{}' NOT NULL,
	"paused_until" timestamp with time zone
);
