import Prometheus

/// Every metric family (computed: the descriptor type is not Sendable) the daemon exports: name, unit and the HELP line, in one place, so a
/// family is always made with the same help and the same label names (the registry requires it)
/// and the Grafana dashboard and alert rules have one list to be checked against.
enum Family {
    private static func d(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "dcr", metricName: name, unitName: unit, helpText: help)
    }

    static var eventsStored: MetricNameDescriptor { d("events_stored", "total", "Events stored since the daemon started (duplicates not included), by site and kind.") }
    static var duplicates: MetricNameDescriptor { d("events_duplicate", "total", "Events answered as duplicates of one already stored (a terminal's resend).") }
    static var invalid: MetricNameDescriptor { d("events_invalid", "total", "Events refused by the event rules (the terminal got the field and the rule).") }
    static var rejectedFrames: MetricNameDescriptor { d("frames_rejected", "total", "Frames and connections refused before reaching the store, by reason.") }
    static var reloads: MetricNameDescriptor { d("config_reloads", "total", "Configuration reloads (SIGHUP or dcrctl reload), by result.") }
    static var commitDuration: MetricNameDescriptor { d("store_commit_duration", "seconds", "Time to commit one batch of events to the store, fsync included.") }
    static var commitBatch: MetricNameDescriptor { d("store_commit_batch", "events", "Events per committed batch (group commit).") }
    static var replayDuration: MetricNameDescriptor { d("replay_duration", "seconds", "Time the start-up replay of the store into the counters took.") }
    static var startTime: MetricNameDescriptor { d("start_time", "seconds", "When the daemon started, in seconds since the Unix epoch.") }
    static var buildInfo: MetricNameDescriptor { d("build", "info", "The daemon's version; always 1.") }
    static var boothsTaken: MetricNameDescriptor { d("booths_taken", "", "Booths taken now, by site.") }
    static var boothsCapacity: MetricNameDescriptor { d("booths_capacity", "", "Booths a site has (site CODE CAPACITY in dcrd.conf).") }
    static var intakesRecent: MetricNameDescriptor { d("intakes_recent", "", "Intakes in the last 5 minutes, 15 minutes and hour, by site.") }
    static var intakesToday: MetricNameDescriptor { d("intakes_today", "", "Intakes since local midnight, by site.") }
    static var intakesTypical: MetricNameDescriptor { d("intakes_typical_today", "", "Mean intakes up to this time of day on the same weekday over the last 4 weeks, by site.") }
    static var incidentsToday: MetricNameDescriptor { d("incidents_today", "", "Incidents since local midnight, by site.") }
    static var referralsToday: MetricNameDescriptor { d("referrals_today", "", "Referrals since local midnight, by site.") }
    static var turnAwaysToday: MetricNameDescriptor { d("turn_aways_today", "", "Turn-aways since local midnight, by site.") }
    static var connections: MetricNameDescriptor { d("connections", "", "Open connections with a granted role, by role.") }
    static var lastBackupTime: MetricNameDescriptor { d("last_backup_timestamp", "seconds", "When the last backup finished, in seconds since the Unix epoch.") }
    static var lastBackupSuccess: MetricNameDescriptor { d("last_backup_success", "", "1 when the last backup was written and verified, 0 when it failed.") }
    static var tlsExpiry: MetricNameDescriptor { d("tls_certificate_expiry_timestamp", "seconds", "When the daemon's TLS certificate expires, in seconds since the Unix epoch.") }
    static var configOK: MetricNameDescriptor { d("config_last_reload_success", "", "1 when the configuration in force is the file as last read, 0 after a refused reload.") }
    static var forwardLagEvents: MetricNameDescriptor { d("forward_lag", "events", "Stored events not yet committed in the central PostgreSQL.") }
    static var forwardLagSeconds: MetricNameDescriptor { d("forward_lag", "seconds", "How long the oldest event not yet forwarded has waited.") }
    static var forwardFailing: MetricNameDescriptor { d("forward_failing", "", "1 while the last attempt to forward failed.") }
}
