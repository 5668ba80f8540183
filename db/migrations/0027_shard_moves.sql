CREATE TABLE "shard_bucket_fences" (
	"bucket" integer PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"move_id" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shard_move_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"table_name" text NOT NULL,
	"tenant" uuid NOT NULL,
	"key" jsonb NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shard_moves" (
	"id" uuid PRIMARY KEY NOT NULL,
	"region" text NOT NULL,
	"buckets" jsonb NOT NULL,
	"from_shard" text NOT NULL,
	"to_shard" text NOT NULL,
	"state" text NOT NULL,
	"base_version" integer NOT NULL,
	"map_version" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Bucket moves (db/moves/). crm_bucket is db/shard-map.ts's bucketOf in SQL (FNV-1a over the UUID's 16 bytes,
-- mod 256); db/moves/moves.pg.test.ts checks that both agree.
CREATE OR REPLACE FUNCTION crm_bucket(org uuid) RETURNS integer LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  b bytea := uuid_send(org);
  h bigint := 2166136261;
BEGIN
  FOR i IN 0..15 LOOP
    h := ((h # get_byte(b, i)::bigint) * 16777619) & 4294967295;
  END LOOP;
  RETURN (h % 256)::integer;
END $$;
--> statement-breakpoint
-- Every tenant transaction starts here (db/shard-set.ts): it holds the bucket's advisory lock shared, which a move's
-- fence takes exclusively to drain and hold off writers, then refuses buckets this shard does not serve. The fence
-- row is read by its own statement, so after waiting for the lock it sees what the move committed meanwhile.
CREATE OR REPLACE FUNCTION crm_enter_bucket(b integer, wait_ms integer) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  fence text;
  deadline timestamptz := clock_timestamp() + make_interval(secs => wait_ms / 1000.0);
BEGIN
  WHILE NOT pg_try_advisory_xact_lock_shared(1936224868, b) LOOP
    IF clock_timestamp() >= deadline THEN
      RAISE EXCEPTION 'bucket % is fenced for a move', b USING ERRCODE = 'CRFEN';
    END IF;
    PERFORM pg_sleep(0.005);
  END LOOP;
  SELECT state INTO fence FROM shard_bucket_fences WHERE bucket = b;
  IF fence IN ('moved', 'left') THEN
    RAISE EXCEPTION 'bucket % has moved to another shard', b USING ERRCODE = 'CRMOV';
  ELSIF fence = 'incoming' THEN
    RAISE EXCEPTION 'bucket % is still being moved to this shard', b USING ERRCODE = 'CRFEN';
  END IF;
END $$;
--> statement-breakpoint
-- The capture trigger a move installs on every tenant table of its source shard: the key of each row changed in a
-- departing bucket, before and after, for the catch-up to copy (or delete) again. Arguments: the tenant column,
-- then the primary key's columns.
-- (TG_ARGV counts from 0, hence array_lower.)
CREATE OR REPLACE FUNCTION crm_capture_move_key(tbl text, r jsonb, args text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tenant uuid := (r ->> args[array_lower(args, 1)])::uuid;
  k jsonb := '{}'::jsonb;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM shard_bucket_fences WHERE bucket = crm_bucket(tenant) AND state IN ('departing', 'moved')) THEN
    RETURN;
  END IF;
  FOR i IN array_lower(args, 1) + 1 .. array_upper(args, 1) LOOP
    k := k || jsonb_build_object(args[i], r -> args[i]);
  END LOOP;
  INSERT INTO shard_move_changes (table_name, tenant, key) VALUES (tbl, tenant, k);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION crm_capture_move_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM crm_capture_move_key(TG_TABLE_NAME, to_jsonb(OLD), TG_ARGV); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM crm_capture_move_key(TG_TABLE_NAME, to_jsonb(NEW), TG_ARGV); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The mover lists a departing bucket's organizations; everything else it reads one organization at a time.
CREATE POLICY "shard_mover" ON "organizations" FOR SELECT
  USING (current_setting('app.shard_mover', true) = 'on');
