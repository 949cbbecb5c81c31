import DCRCounters
import DCRModel
import DCRStore

/// Corrections: checked against the stored event and its earlier corrections, stored, and then
/// the counters take back the event's old state and count its new one.
extension DaemonCore {
    /// `local` is the correction's own local time, which `ingest` has already worked out
    /// (`corrected(by:)` changes only who corrected, not when).
    func correct(_ correction: Event, nowMs now: Int64, local: LocalTime,
                 completion: @escaping @Sendable (Result<EventAcknowledgement, StatusError>) -> Void) {
        guard let targetID = correction.correctionTarget else {
            // Never for the three correction kinds; but every event read is answered (and a
            // session counts it owed until then: `OwedAcknowledgements`).
            completion(.failure(StatusError(.internal, "\(EventRules.messageName(correction.kind)): not a correction")))
            return
        }
        let field = EventRules.messageName(correction.kind) + (correction.kind == .referralOutcome ? ".referral_id" : ".target_id")
        func refuse(_ error: StatusError) {
            health.withLock { $0.invalidEvents += 1 }
            completion(.failure(error))
        }
        do {
            try rules.withLock { r throws(StatusError) in try r.check(correction, nowMs: now) }
        } catch {
            refuse(error)
            return
        }
        guard correcting.withLock({ $0.insert(targetID).inserted }) else {
            completion(.failure(StatusError(.unavailable, "\(field): another correction of \(targetID) is being stored; retry")))
            return
        }
        let release: @Sendable () -> Void = { [self] in _ = correcting.withLock { $0.remove(targetID) } }
        let stored: StoredHistory?
        do {
            // A resend of a stored correction is a duplicate, whatever the target's state now.
            if try log.history(of: correction.id) != nil {
                release()
                health.withLock { $0.duplicates += 1 }
                completion(.success(EventAcknowledgement(duplicate: true)))
                return
            }
            stored = try log.history(of: targetID)
        } catch {
            release()
            completion(.failure(StatusError(.unavailable, "cannot read the store now (\(error)); retry later")))
            return
        }
        let pseudonymous = correction.pseudonymized(pseudonymize)
        let change: (before: Event, after: Event?)
        do {
            change = try CorrectionCheck.change(pseudonymous, of: stored, targetID: targetID, field: field, nowMs: now,
                                                voidWindowMs: Int64(configuration.voidWindowMinutes) * 60_000)
        } catch {
            release()
            refuse(error)
            return
        }
        log.append(pseudonymous, receivedAtMs: now, local: local) { [self] outcome in
            defer { release() }
            switch outcome {
            case .stored:
                counters.withLock { c in
                    let at = clock.nowMs()
                    c.remove(change.before, nowMs: at)
                    if let after = change.after { c.apply(after, nowMs: at) }
                }
                metrics.eventStored(site: pseudonymous.header.site, kind: pseudonymous.kind)
                completion(.success(EventAcknowledgement(duplicate: false)))
            case .duplicate:
                health.withLock { $0.duplicates += 1 }
                completion(.success(EventAcknowledgement(duplicate: true)))
            case .unavailable(let why):
                completion(.failure(StatusError(.unavailable, "cannot store the event now (\(why)); retry later")))
            case .refused(let why):
                completion(.failure(StatusError(.internal, "the store refused the event (\(why)); it is not stored, and a retry will not store it")))
            }
        }
    }

    /// An event and every correction of it, for `dcrctl history`.
    public func history(of id: EventID) throws(StatusError) -> EventHistory {
        let stored: StoredHistory?
        do { stored = try log.history(of: id) } catch {
            throw StatusError(.unavailable, "cannot read the store now (\(error)); retry later")
        }
        guard let stored else { throw StatusError(.notFound, "history.event_id: no stored event has the id \(id)") }
        func entry(_ s: StoredEvent) -> EventHistory.Entry {
            let e = s.event
            var by = Corrector.unknown, reason = CorrectionReason.unspecified
            switch e {
            case .voiding(let v): by = v.by; reason = v.reason
            case .amend(let a): by = a.by; reason = a.reason
            case .referralOutcome(let o): by = o.by
            default: break
            }
            return EventHistory.Entry(id: e.id, kind: e.kind, site: e.header.site, occurredAtMs: e.header.occurredAtMs,
                                      receivedAtMs: s.receivedAtMs, correctedBy: by, reason: reason,
                                      summary: EventSummary.describe(e))
        }
        let effective = stored.state.effective(stored.original.event)
        return EventHistory(entries: [entry(stored.original)] + stored.corrections.map(entry),
                            counted: effective != nil && stored.original.event.kind.isCorrectable,
                            countedAs: effective.map(EventSummary.describe) ?? "")
    }
}

/// The rules of a correction that need the stored event, with the messages a terminal's
/// programmer or an on-call lead reads.
enum CorrectionCheck {
    /// The target's state before and after the correction (nil after: withdrawn).
    static func change(_ correction: Event, of stored: StoredHistory?, targetID: EventID, field: String,
                       nowMs: Int64, voidWindowMs: Int64) throws(StatusError) -> (before: Event, after: Event?) {
        guard let stored else {
            throw StatusError(.notFound, "\(field): no stored event has the id \(targetID)")
        }
        let original = stored.original.event
        guard original.kind.isCorrectable else {
            throw StatusError(.invalidArgument, "\(field): \(targetID) is a \(original.kind.label); correct the event itself, not a correction")
        }
        var state = stored.state
        guard let before = state.effective(original) else {
            throw StatusError(.failedPrecondition, "\(field): \(targetID) is already voided")
        }
        switch correction {
        case .voiding(let v):
            try checkWindow(v.by, original, targetID: targetID, field: field, nowMs: nowMs, windowMs: voidWindowMs)
        case .amend(let a):
            try checkWindow(a.by, original, targetID: targetID, field: field, nowMs: nowMs, windowMs: voidWindowMs)
            if a.corrected.kind != before.kind {
                throw StatusError(.invalidArgument, "amend.corrected: \(targetID) is a \(before.kind.label), not a \(a.corrected.kind.label); an amend keeps the kind (void the event and send a new one instead)")
            }
        case .referralOutcome:
            if before.kind != .referral {
                throw StatusError(.invalidArgument, "\(field): \(targetID) is a \(before.kind.label), not a referral")
            }
        default:
            break
        }
        state.apply(correction)
        return (before, state.effective(original))
    }

    /// A terminal corrects only recent events; the admin role any. Age by the daemon's clock
    /// against when the event happened.
    private static func checkWindow(_ by: Corrector, _ original: Event, targetID: EventID, field: String,
                                    nowMs: Int64, windowMs: Int64) throws(StatusError) {
        let age = nowMs - original.header.occurredAtMs
        guard by.role != .admin, age > windowMs else { return }
        throw StatusError(.permissionDenied, "\(field): \(targetID) happened \(EventRules.hours(age)) ago; a terminal corrects events up to \(EventRules.hours(windowMs)) old (void-window); older ones need the admin role")
    }
}
