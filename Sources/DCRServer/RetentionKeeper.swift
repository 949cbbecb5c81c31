import DCRModel
import DCRStore
import Foundation
import Logging
import Synchronization

/// `retain-years`: deletes raw events older than the retention period, each year only after it
/// is kept as aggregates, in small transactions with a pause between them, so the store's
/// writer (and so every acknowledgement) waits for at most one small delete at a time.
///
/// Time is the daemon's clock (injectable for tests), dates its time zone.
final class RetentionKeeper: Sendable {
    let store: EventStore
    let core: DaemonCore
    let calendar: LocalCalendar
    let years: Int
    let batch: Int
    let pause: Duration
    let interval: Duration
    let logger: Logger

    init(store: EventStore, core: DaemonCore, calendar: LocalCalendar, years: Int, batch: Int,
         pause: Duration, interval: Duration, logger: Logger) {
        self.store = store
        self.core = core
        self.calendar = calendar
        self.years = years
        self.batch = batch
        self.pause = pause
        self.interval = interval
        self.logger = logger
    }

    /// The first day whose events are kept raw: today `years` years ago (28 February for a
    /// 29 February).
    static func cutoff(today: LocalDate, years: Int) -> LocalDate {
        LocalDate(year: today.year - years, month: today.month, day: today.month == 2 ? min(today.day, 28) : today.day)
    }

    /// Until cancelled: a pass, then wait one interval.
    func run() async {
        while !Task.isCancelled {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                OffLoop.background.run {
                    self.pass()
                    done.resume()
                }
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    /// Aggregates every year with raw events before the cutoff, then deletes those events. Every
    /// write is a transaction of at most `batch` rows with `pause` after it, so the store's writer
    /// waits for one small transaction at a time; the log line says how long each step took.
    func pass() {
        let today = calendar.localTime(ms: core.clock.nowMs()).date
        let cutoff = Self.cutoff(today: today, years: years)
        let rest = { if self.pause > .zero { Thread.sleep(forTimeInterval: Double(self.pause / .milliseconds(1)) / 1000) } }
        let stopwatch = ContinuousClock()
        do {
            for year in try store.yearsToAggregate(before: cutoff) {
                let began = stopwatch.now
                let kept = try store.aggregateYear(year, nowMs: core.clock.nowMs(), batch: batch, between: rest)
                let stored = stopwatch.now
                core.applyAggregates(kept)
                logger.notice("retention: year kept as aggregates", metadata: [
                    "year": "\(year)", "event_cells": "\(kept.events.count)", "client_cells": "\(kept.clients.count)",
                    "store_ms": "\(milliseconds(stored - began))", "counters_ms": "\(milliseconds(stopwatch.now - stored))"])
            }
            var deleted = 0
            let began = stopwatch.now
            while true {
                let n = try store.deleteRawEvents(before: cutoff, limit: batch)
                if n == 0 { break }
                deleted += n
                core.retentionDeleted(n)
                rest()
            }
            core.setOldestRawEvent(try store.oldestRawDate())
            if deleted > 0 {
                logger.notice("retention: raw events deleted", metadata: [
                    "events": "\(deleted)", "before": "\(cutoff)", "retain_years": "\(years)",
                    "took_ms": "\(milliseconds(stopwatch.now - began))"])
            }
        } catch {
            logger.error("retention pass failed; the next pass tries again", metadata: ["error": "\(retentionErrorText(error))"])
        }
    }
}

private func milliseconds(_ d: Duration) -> Int64 {
    d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
}

/// An error's text for a log line without statement arguments (which GRDB may include).
func retentionErrorText(_ error: any Error) -> String {
    if let e = error as? StoreError { return e.description }
    return "\(type(of: error))"
}
