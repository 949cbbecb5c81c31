import DCRModel
import DCRWire

/// What answering one request of an open conversation takes.
///
/// The connection (`Session`) owns order, backpressure and closing; this decides only what a
/// request means for the daemon: whether the role may ask it (`Admission`), and whether the answer
/// is ready now, comes from the store, or must be computed away from the event loop.
struct RequestDispatcher {
    let core: DaemonCore

    enum Answer {
        case now(Response)
        /// Stored, then acknowledged when its commit completes (on the store's writer thread).
        case store(Event)
        /// Seconds of work (a report over years, a backup): done by `core.offLoop`, so the
        /// terminals this event loop also serves are acknowledged meanwhile.
        case offLoop(@Sendable (UInt64) -> Response)
        /// Load updates every `intervalMs` until cancelled; the site was checked.
        case watch(intervalMs: Int, site: String?)
        case cancelWatch(UInt64)
    }

    func answer(_ request: Request, role: Role) -> Answer {
        let id = request.id
        guard Admission.permits(role, request.body) else {
            let needed = Admission.requiredRole(request.body)?.label ?? "?"
            return .now(Response(id: id, error: StatusError(.permissionDenied,
                "this request needs role \(needed); this connection is \(role.label)")))
        }
        switch request.body {
        case .hello:
            return .now(Response(id: id, error: StatusError(.failedPrecondition, "hello was already accepted on this connection")))
        case .ping(let nonce):
            return .now(Response(id: id, .pong(nonce: nonce)))
        case .cancel(let watchID):
            return .cancelWatch(watchID)
        case .event(let event):
            return .store(event)
        case .status:
            return .now(Response(id: id, .status(core.status())))
        case .load(let site):
            return .now(result(id) { () throws(StatusError) in .load(try core.load(site: site)) })
        case .report(let query):
            let core = self.core
            return .offLoop { id in
                do throws(StatusError) { return Response(id: id, .report(try core.report(query))) } catch { return Response(id: id, error: error) }
            }
        case .watch(let intervalMs, let site):
            let c = core.configuration
            let interval = intervalMs == 0 ? c.watchDefaultIntervalMs : max(Int(intervalMs), c.watchMinIntervalMs)
            do {
                _ = try core.load(site: site)
            } catch {
                return .now(Response(id: id, error: error))
            }
            return .watch(intervalMs: interval, site: site)
        case .history(let eventID):
            return .now(result(id) { () throws(StatusError) in .history(try core.history(of: eventID)) })
        case .reload:
            if let refusal = core.requestReload() { return .now(Response(id: id, error: refusal)) }
            return .now(Response(id: id))
        case .backup(let path):
            let desk = core.backups
            return .offLoop { id in
                switch desk.take(to: path) {
                case .success(let receipt): Response(id: id, .backup(receipt))
                case .failure(let error): Response(id: id, error: error)
                }
            }
        case .invalid(let error):
            return .now(Response(id: id, error: error))
        case .unknown:
            return .now(Response(id: id, error: StatusError(.unimplemented, "request has no body this daemon knows")))
        }
    }

    private func result(_ id: UInt64, _ body: () throws(StatusError) -> Response.Body) -> Response {
        do { return Response(id: id, try body()) } catch { return Response(id: id, error: error) }
    }
}
