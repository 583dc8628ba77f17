-- Rate limits shared by every app instance (issue 17, docs/decisions/028-scale-out.md). Before, each process kept its
-- own token buckets in memory, so N instances allowed N times the limit. Now a bucket is a row, taken from by one
-- function call (one round trip), under the row's lock.
--
-- UNLOGGED: a bucket is not worth a WAL record or a disk flush on every request. A crash (or a failover to a replica)
-- empties the table, and every bucket starts full again: the limits exist to refuse abuse, not to meter anything.
CREATE UNLOGGED TABLE "RateLimitBucket" (
  "key" text PRIMARY KEY,
  -- Tokens left at "at" (fractions refill continuously).
  "tokens" double precision NOT NULL,
  "capacity" double precision NOT NULL,
  "windowMs" double precision NOT NULL,
  "at" timestamptz NOT NULL
);

-- The tokens a bucket holds at p_now: refilled at capacity per window since "at", never above capacity, and a clock
-- that reads earlier than "at" (another instance's) refills nothing.
CREATE FUNCTION "rate_limit_available"(p_tokens double precision, p_at timestamptz, p_capacity double precision, p_window_ms double precision, p_now timestamptz)
  RETURNS double precision
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT LEAST(p_capacity, p_tokens + GREATEST(extract(epoch FROM p_now - p_at) * 1000, 0) * p_capacity / p_window_ms) $$;

-- Takes one token from every bucket named, or from none: 0 when all of them had one, else the seconds until all of
-- them will (the Retry-After). A bucket seen for the first time starts full. p_now NULL: the database's clock (the
-- same for every instance). Buckets are locked in key order, so two callers never deadlock.
-- A bucket left alone for a whole window is full, exactly as if it had no row: about one call in a thousand deletes
-- such rows, which changes no answer and keeps the table to the keys seen in the last window.
CREATE FUNCTION "rate_limit_take"(p_keys text[], p_capacities double precision[], p_windows_ms double precision[], p_now timestamptz DEFAULT NULL)
  RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_now timestamptz := COALESCE(p_now, clock_timestamp());
  v_wait integer;
BEGIN
  IF random() < 0.001 THEN
    DELETE FROM "RateLimitBucket" b WHERE b."at" + make_interval(secs => b."windowMs" / 1000) <= v_now;
  END IF;
  INSERT INTO "RateLimitBucket" ("key", "tokens", "capacity", "windowMs", "at")
  SELECT k."key", k."capacity", k."capacity", k."windowMs", v_now
  FROM unnest(p_keys, p_capacities, p_windows_ms) AS k("key", "capacity", "windowMs")
  ORDER BY k."key"
  ON CONFLICT ("key") DO NOTHING;

  -- A row deleted since (it was full) counts as full.
  SELECT COALESCE(max(GREATEST(1, ceil((1 - a."available") * a."windowMs" / a."capacity" / 1000))::integer) FILTER (WHERE a."available" < 1), 0)
  INTO v_wait
  FROM (
    SELECT k."capacity", k."windowMs",
      COALESCE("rate_limit_available"(l."tokens", l."at", k."capacity", k."windowMs", v_now), k."capacity") AS "available"
    FROM unnest(p_keys, p_capacities, p_windows_ms) AS k("key", "capacity", "windowMs")
    LEFT JOIN (SELECT b."key", b."tokens", b."at" FROM "RateLimitBucket" b WHERE b."key" = ANY (p_keys) ORDER BY b."key" FOR UPDATE) AS l
      ON l."key" = k."key"
  ) AS a;

  IF v_wait = 0 THEN
    INSERT INTO "RateLimitBucket" AS b ("key", "tokens", "capacity", "windowMs", "at")
    SELECT k."key", k."capacity" - 1, k."capacity", k."windowMs", v_now
    FROM unnest(p_keys, p_capacities, p_windows_ms) AS k("key", "capacity", "windowMs")
    ORDER BY k."key"
    ON CONFLICT ("key") DO UPDATE SET
      "tokens" = "rate_limit_available"(b."tokens", b."at", excluded."capacity", excluded."windowMs", v_now) - 1,
      "capacity" = excluded."capacity", "windowMs" = excluded."windowMs", "at" = GREATEST(b."at", v_now);
  END IF;
  RETURN v_wait;
END $$;
