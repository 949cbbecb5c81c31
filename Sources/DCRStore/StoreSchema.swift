import GRDB

/// The layout of `events.sqlite`, for the daemon and for analysts who query a copy with `sqlite3`.
///
/// ## Table `events`: one row per acknowledged event, never updated, never deleted by the daemon
///
/// | column | type | meaning |
/// | --- | --- | --- |
/// | `seq` | INTEGER PRIMARY KEY | order in which the daemon stored the events (1, 2, 3, …) |
/// | `event_id` | BLOB(16) UNIQUE | the terminal's UUID for the event; a resend with the same id is a duplicate and is not stored again |
/// | `kind` | INTEGER | 1 intake, 2 booth release, 3 incident, 4 referral, 5 turn-away, 6 suspension, 7 suspension lift |
/// | `site` | TEXT | site code, e.g. `H17`, `SKYEN`, `MOBILE` |
/// | `occurred_at_ms` | INTEGER | when it happened by the terminal's clock, Unix milliseconds (UTC) |
/// | `received_at_ms` | INTEGER | when the daemon received it, Unix milliseconds (UTC); late uploads show here |
/// | `local_date` | TEXT | `YYYY-MM-DD` of `occurred_at_ms` in the daemon's time zone (`meta.time_zone`) |
/// | `local_hour` | INTEGER | 0…23, hour of `occurred_at_ms` in that zone |
/// | `booth` | INTEGER | booth number, 0 where no booth is involved |
/// | `client` | TEXT | the client's pseudonym (32 hex digits, a keyed hash; the raw client code is never stored), NULL for booth releases, suspension lifts and incidents or turn-aways without a client |
/// | `gender` | INTEGER | intake, referral, turn-away: 0 unknown, 1 male, 2 female, 3 other |
/// | `age` | INTEGER | intake, turn-away: years, 0 unknown |
/// | `municipality` | INTEGER | intake: Danish municipality code, 0 unknown |
/// | `substance` | INTEGER | intake: 0 unknown, 1 heroin, 2 cocaine, 3 crack, 4 amphetamine, 5 methamphetamine, 6 methadone, 7 opioid medicine, 8 benzodiazepine, 9 ketamine, 10 other |
/// | `route` | INTEGER | intake: 0 unknown, 1 injection, 2 smoking, 3 snorting, 4 oral, 5 other |
/// | `incident_kind` | INTEGER | incident: 0 unknown, 1 violence, 2 theft, 3 threat, 4 sexual harassment, 5 sexual assault, 6 rape, 7 overdose, 8 needle-stick injury, 9 weapon, 10 other |
/// | `victim_gender` | INTEGER | incident: as `gender` |
/// | `victim_role` | INTEGER | incident: 0 unknown, 1 client, 2 staff, 3 other |
/// | `overdose_response` | INTEGER | incident: 0 unknown/not an overdose, 1 none, 2 oxygen, 3 naloxone, 4 ambulance, 5 other |
/// | `referral_target` | INTEGER | referral: 0 unknown, 1 drug treatment, 2 outreach assessment, 3 treatment trial, 4 health care, 5 housing/shelter, 6 social services, 7 mental health, 8 other |
/// | `encoded` | BLOB | no longer written (NULL); rows stored before 2026-12-07 hold the pseudonymised event as `dcr.v1.Request` bytes. Nothing ever read it, and it was a third of every row: the bytes each commit writes and fsyncs |
/// | `turn_away_reason` | INTEGER | turn-away: 1 first-time user, 2 under age, 3 intoxicated, 4 suspended, 5 room full, 6 other |
/// | `suspension_from_ms` | INTEGER | suspension: start, Unix milliseconds (UTC), inclusive |
/// | `suspension_until_ms` | INTEGER | suspension: end, Unix milliseconds (UTC), exclusive |
/// | `suspension_reason` | INTEGER | suspension: 1 violence, 2 threat, 3 theft, 4 dealing, 5 other |
/// | `suspension_all_sites` | INTEGER | suspension: 1 every site, 0 only `site` |
/// | `target_id` | BLOB(16) | suspension lift: the `event_id` of the suspension it ends; void, amend, referral outcome: the `event_id` of the event corrected |
/// | `correction_reason` | INTEGER | void, amend: 1 wrong client, 2 entered twice, 3 wrong details, 4 other |
/// | `corrected_by` | TEXT | void, amend, referral outcome: the terminal's name (its Hello) |
/// | `corrected_by_role` | INTEGER | void, amend, referral outcome: the connection's role, 1 terminal, 3 admin |
/// | `referral_scope` | INTEGER | referral: 0 unknown, 1 in the room, 2 elsewhere on site, 3 offsite |
/// | `referral_accepted` | INTEGER | referral, referral outcome: 0 unknown, 1 accepted, 2 declined |
/// | `amended_kind` | INTEGER | amend: the kind of the corrected event (its fields are in the usual columns) |
/// | `amended_site`, `amended_occurred_at_ms`, `amended_booth` | | amend: the corrected event's site, time and booth (`site`, `occurred_at_ms`, `booth` are the amend's own) |
///
/// Corrections (kinds 8 void, 9 amend, 10 referral outcome) never change a row: the corrected
/// state of an event is its row with its corrections applied in `seq` order (a void withdraws
/// it, an amend replaces its fields, an outcome sets `referral_accepted`).
///
/// Columns that do not apply to a kind are NULL (an intake has no `incident_kind`). The numbers
/// are the wire enumerations of `Proto/dcr/v1/dcr.proto` and never change meaning.
///
/// The columns from `turn_away_reason` to `target_id` come from the migration "v3-door:
/// turn-aways and suspensions", those after it from "v3-corrections: void, amend, referral
/// outcome"; a database written before them gets them (NULL in its old rows) when the daemon
/// opens it.
///
/// Indexes: `events_by_time (occurred_at_ms, seq)` for replay in time order,
/// `events_by_day (local_date, site)` for reports over a period.
///
/// ## Table `meta`: `key`/`value` text pairs about the file
/// `time_zone`: the zone `local_date` and `local_hour` were computed in.
/// `key_fingerprint`: HMAC of a fixed label under the pseudonym key (never the key): a start
/// with another key is refused.
///
/// ## Retention (`retain-years`): tables `aggregate_events`, `aggregate_clients`, `aggregated_years`
/// Before any raw event of a year is deleted, the whole year is kept as counts:
/// `aggregate_events` has one row per local date, hour, site, kind and every report column
/// (age in years) with the number of `events`; `aggregate_clients` the number of distinct
/// `clients` with an intake per `year` and `month` (0: the whole year) and `site` ('': every
/// site), under the gender, age band and municipality of each client's latest intake in that
/// period and site scope (as reports count them). `aggregated_years` lists the years so kept.
/// No pseudonym is in any of them.
///
/// ## Querying a copy
/// ```
/// sqlite3 -readonly copy.sqlite \
///   "SELECT local_date, count(*) FROM events WHERE kind = 1 GROUP BY local_date"
/// ```
/// Copy the database with `sqlite3 events.sqlite ".backup copy.sqlite"` (or stop the daemon and
/// copy `events.sqlite` together with `events.sqlite-wal`), never the main file alone.
enum StoreSchema {
    static let fileName = "events.sqlite"

    /// Every migration this build knows, by identifier; a restored file must have exactly these.
    static let migrationIdentifiers = ["v1: events and meta", "v2: retention aggregates", doorMigration, correctionsMigration]

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(migrationIdentifiers[0]) { db in
            try db.execute(sql: """
                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY,
                    event_id BLOB NOT NULL UNIQUE CHECK (length(event_id) = 16),
                    kind INTEGER NOT NULL,
                    site TEXT NOT NULL,
                    occurred_at_ms INTEGER NOT NULL,
                    received_at_ms INTEGER NOT NULL,
                    local_date TEXT NOT NULL,
                    local_hour INTEGER NOT NULL,
                    booth INTEGER NOT NULL,
                    client TEXT,
                    gender INTEGER,
                    age INTEGER,
                    municipality INTEGER,
                    substance INTEGER,
                    route INTEGER,
                    incident_kind INTEGER,
                    victim_gender INTEGER,
                    victim_role INTEGER,
                    overdose_response INTEGER,
                    referral_target INTEGER,
                    encoded BLOB
                );
                CREATE INDEX events_by_time ON events (occurred_at_ms, seq);
                CREATE INDEX events_by_day ON events (local_date, site);
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                """)
        }
        migrator.registerMigration(migrationIdentifiers[1]) { db in
            try db.execute(sql: """
                CREATE TABLE aggregate_events (
                    local_date TEXT NOT NULL,
                    local_hour INTEGER NOT NULL,
                    site TEXT NOT NULL,
                    kind INTEGER NOT NULL,
                    gender INTEGER, age INTEGER, municipality INTEGER, substance INTEGER, route INTEGER,
                    incident_kind INTEGER, victim_gender INTEGER, victim_role INTEGER,
                    overdose_response INTEGER, referral_target INTEGER,
                    events INTEGER NOT NULL
                );
                CREATE INDEX aggregate_events_by_day ON aggregate_events (local_date);
                CREATE TABLE aggregate_clients (
                    year INTEGER NOT NULL,
                    month INTEGER NOT NULL,
                    site TEXT NOT NULL,
                    gender INTEGER NOT NULL,
                    age_band INTEGER NOT NULL,
                    municipality INTEGER NOT NULL,
                    clients INTEGER NOT NULL
                );
                CREATE TABLE aggregated_years (
                    year INTEGER PRIMARY KEY,
                    events INTEGER NOT NULL,
                    aggregated_at_ms INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration(doorMigration) { db in
            try db.execute(sql: """
                ALTER TABLE events ADD COLUMN turn_away_reason INTEGER;
                ALTER TABLE events ADD COLUMN suspension_from_ms INTEGER;
                ALTER TABLE events ADD COLUMN suspension_until_ms INTEGER;
                ALTER TABLE events ADD COLUMN suspension_reason INTEGER;
                ALTER TABLE events ADD COLUMN suspension_all_sites INTEGER;
                ALTER TABLE events ADD COLUMN target_id BLOB CHECK (target_id IS NULL OR length(target_id) = 16);
                """)
        }
        migrator.registerMigration(correctionsMigration) { db in
            try db.execute(sql: """
                ALTER TABLE events ADD COLUMN correction_reason INTEGER;
                ALTER TABLE events ADD COLUMN corrected_by TEXT;
                ALTER TABLE events ADD COLUMN corrected_by_role INTEGER;
                ALTER TABLE events ADD COLUMN referral_scope INTEGER;
                ALTER TABLE events ADD COLUMN referral_accepted INTEGER;
                ALTER TABLE events ADD COLUMN amended_kind INTEGER;
                ALTER TABLE events ADD COLUMN amended_site TEXT;
                ALTER TABLE events ADD COLUMN amended_occurred_at_ms INTEGER;
                ALTER TABLE events ADD COLUMN amended_booth INTEGER;
                CREATE INDEX events_by_target ON events (target_id) WHERE target_id IS NOT NULL;
                """)
        }
        return migrator
    }

    static let correctionsMigration = "v3-corrections: void, amend, referral outcome"

    /// A migration of its own, so that other changes to the schema merge without clashing.
    static let doorMigration = "v3-door: turn-aways and suspensions"

    /// Column order of `insertSQL`; `EventColumns.row` binds in this order.
    static let insertSQL = """
        INSERT INTO events (event_id, kind, site, occurred_at_ms, received_at_ms,
            local_date, local_hour, booth, client, gender, age, municipality, substance, route,
            incident_kind, victim_gender, victim_role, overdose_response, referral_target,
            turn_away_reason, suspension_from_ms, suspension_until_ms, suspension_reason,
            suspension_all_sites, target_id, correction_reason, corrected_by, corrected_by_role,
            referral_scope, referral_accepted, amended_kind, amended_site, amended_occurred_at_ms,
            amended_booth)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
            ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(event_id) DO NOTHING
        """

    /// Column order that `EventColumns.event(from:)` reads by index; `received_at_ms` last.
    static let replayColumns = """
        SELECT event_id, kind, site, occurred_at_ms, booth, client, gender, age, municipality,
            substance, route, incident_kind, victim_gender, victim_role, overdose_response,
            referral_target, turn_away_reason, suspension_from_ms, suspension_until_ms,
            suspension_reason, suspension_all_sites, target_id, correction_reason, corrected_by,
            corrected_by_role, referral_scope, referral_accepted, amended_kind, amended_site,
            amended_occurred_at_ms, amended_booth, received_at_ms
        FROM events
        """

    /// The events that can be corrected, in time order: what replay counts.
    static let replaySQL = replayColumns + " WHERE kind < 8 ORDER BY occurred_at_ms, seq"
    /// Every correction in storage order: replay folds them before it counts.
    static let correctionsSQL = replayColumns + " WHERE kind >= 8 ORDER BY seq"
    static let eventByIDSQL = replayColumns + " WHERE event_id = ?"
    static let correctionsOfSQL = replayColumns + " WHERE target_id = ? AND kind >= 8 ORDER BY seq"
}
