-- The city's central table of dcr events and the council's tables over every site.
-- Load once as the database owner:  psql -v ON_ERROR_STOP=1 -d dcr -f schema.sql
-- Roles and grants: Deploy/README.md ("Many rooms, one city").
--
-- Each room's dcrd copies every stored event here (dcrd.conf `forward postgres://…`), in its
-- store order, exactly once: the primary key is the event id and dcrd inserts with
-- ON CONFLICT DO NOTHING. Rows are never updated or deleted by dcrd. Columns and
-- their numbers are those of the local store (dcrd's StoreSchema, Proto/dcr/v1/dcr.proto).
-- `client` is the pseudonym (a keyed hash): sites that share one pseudonym key give one client
-- the same pseudonym everywhere, so distinct clients across sites are counted once; sites with
-- their own keys count a client who visits both twice.

CREATE TABLE IF NOT EXISTS dcr_events (
    event_id uuid PRIMARY KEY,
    source text NOT NULL,                 -- which dcrd sent it (forward-source; default its site codes)
    source_seq bigint NOT NULL,           -- its order in that dcrd's store
    kind smallint NOT NULL,               -- 1 intake, 2 booth release, 3 incident, 4 referral, 5 turn-away,
                                          -- 6 suspension, 7 suspension lift, 8 void, 9 amend, 10 referral outcome
    site text NOT NULL,
    occurred_at_ms bigint NOT NULL,
    received_at_ms bigint NOT NULL,
    local_date date NOT NULL,             -- in the room's time zone
    local_hour smallint NOT NULL,
    booth integer NOT NULL,
    client text,
    gender smallint,                      -- 0 unknown, 1 male, 2 female, 3 other
    age smallint,
    municipality integer,
    substance smallint,
    route smallint,
    incident_kind smallint,
    victim_gender smallint,
    victim_role smallint,
    overdose_response smallint,
    referral_target smallint,
    turn_away_reason smallint,
    suspension_from_ms bigint,
    suspension_until_ms bigint,
    suspension_reason smallint,
    suspension_all_sites smallint,
    target_id uuid,                       -- lift, void, amend, outcome: the event it concerns
    correction_reason smallint,
    corrected_by text,
    corrected_by_role smallint,
    referral_scope smallint,
    referral_accepted smallint,
    amended_kind smallint,
    amended_site text,
    amended_occurred_at_ms bigint,
    amended_booth integer,
    amended_local_date date,
    forwarded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS dcr_events_target ON dcr_events (target_id) WHERE target_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS dcr_events_kind_date ON dcr_events (kind, local_date);
-- Not unique: the primary key must stay the table's only unique constraint, because dcrd inserts
-- with a bare ON CONFLICT DO NOTHING (its role may only INSERT, and naming the conflict column
-- would need SELECT on it). Two rooms misconfigured with one forward-source both keep their rows.
CREATE INDEX IF NOT EXISTS dcr_events_source_order ON dcr_events (source, source_seq);

-- The corrected state of every counted event (kinds 1-5), as dcrd's own reports count it: a void
-- withdraws an event, the latest amend replaces its fields, the latest outcome (or amend) sets
-- whether a referral was accepted.
CREATE OR REPLACE VIEW dcr_counted AS
SELECT e.event_id, e.kind, e.source,
       coalesce(a.amended_site, e.site) AS site,
       coalesce(a.amended_local_date, e.local_date) AS local_date,
       coalesce(a.amended_occurred_at_ms, e.occurred_at_ms) AS occurred_at_ms,
       coalesce(a.amended_booth, e.booth) AS booth,
       CASE WHEN a.event_id IS NULL THEN e.client ELSE a.client END AS client,
       CASE WHEN a.event_id IS NULL THEN e.gender ELSE a.gender END AS gender,
       CASE WHEN a.event_id IS NULL THEN e.age ELSE a.age END AS age,
       CASE WHEN a.event_id IS NULL THEN e.municipality ELSE a.municipality END AS municipality,
       CASE WHEN a.event_id IS NULL THEN e.substance ELSE a.substance END AS substance,
       CASE WHEN a.event_id IS NULL THEN e.route ELSE a.route END AS route,
       CASE WHEN a.event_id IS NULL THEN e.incident_kind ELSE a.incident_kind END AS incident_kind,
       CASE WHEN a.event_id IS NULL THEN e.victim_gender ELSE a.victim_gender END AS victim_gender,
       CASE WHEN a.event_id IS NULL THEN e.victim_role ELSE a.victim_role END AS victim_role,
       CASE WHEN a.event_id IS NULL THEN e.referral_target ELSE a.referral_target END AS referral_target,
       CASE WHEN a.event_id IS NULL THEN e.referral_scope ELSE a.referral_scope END AS referral_scope,
       CASE WHEN o.source_seq IS NOT NULL AND (a.source_seq IS NULL OR o.source_seq > a.source_seq) THEN o.referral_accepted
            WHEN a.event_id IS NOT NULL THEN a.referral_accepted
            ELSE e.referral_accepted END AS referral_accepted,
       CASE WHEN a.event_id IS NULL THEN e.turn_away_reason ELSE a.turn_away_reason END AS turn_away_reason
FROM dcr_events e
LEFT JOIN LATERAL (SELECT * FROM dcr_events x WHERE x.kind = 9 AND x.target_id = e.event_id
                   ORDER BY x.source_seq DESC LIMIT 1) a ON true
LEFT JOIN LATERAL (SELECT x.source_seq, x.referral_accepted FROM dcr_events x WHERE x.kind = 10 AND x.target_id = e.event_id
                   ORDER BY x.source_seq DESC LIMIT 1) o ON true
WHERE e.kind BETWEEN 1 AND 5
  AND NOT EXISTS (SELECT 1 FROM dcr_events v WHERE v.kind = 8 AND v.target_id = e.event_id);

-- Table 1: distinct clients with an intake per year, by gender (each client under the gender of
-- their latest intake that year), all sites together, and per site.
CREATE OR REPLACE VIEW dcr_clients_per_year_by_gender AS
SELECT year, gender, count(*) AS clients FROM (
    SELECT DISTINCT ON (client, extract(year FROM local_date))
           extract(year FROM local_date)::int AS year, client, gender
    FROM dcr_counted WHERE kind = 1 AND client IS NOT NULL
    ORDER BY client, extract(year FROM local_date), occurred_at_ms DESC, event_id DESC) latest
GROUP BY year, gender;

CREATE OR REPLACE VIEW dcr_clients_per_year_by_site_and_gender AS
SELECT year, site, gender, count(*) AS clients FROM (
    SELECT DISTINCT ON (client, site, extract(year FROM local_date))
           extract(year FROM local_date)::int AS year, site, client, gender
    FROM dcr_counted WHERE kind = 1 AND client IS NOT NULL
    ORDER BY client, site, extract(year FROM local_date), occurred_at_ms DESC, event_id DESC) latest
GROUP BY year, site, gender;

-- Tables 2 and 3: incidents by kind and the victim's gender, per day and site (sum any period).
CREATE OR REPLACE VIEW dcr_incidents_by_kind_and_victim_gender AS
SELECT local_date, site, incident_kind, victim_gender, count(*) AS incidents
FROM dcr_counted WHERE kind = 3 GROUP BY local_date, site, incident_kind, victim_gender;

-- Intakes per ISO week and site.
CREATE OR REPLACE VIEW dcr_intakes_per_week AS
SELECT extract(isoyear FROM local_date)::int AS iso_year, extract(week FROM local_date)::int AS iso_week,
       site, count(*) AS intakes
FROM dcr_counted WHERE kind = 1 GROUP BY 1, 2, site;

-- Referrals by target, per day and site (sum any period).
CREATE OR REPLACE VIEW dcr_referrals_by_target AS
SELECT local_date, site, referral_target, count(*) AS referrals
FROM dcr_counted WHERE kind = 4 GROUP BY local_date, site, referral_target;
