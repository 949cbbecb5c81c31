#!/usr/bin/python3
"""An independent peer for dcrd: shares no code with the project.

Google's protobuf runtime (Debian's python3-protobuf) with classes generated at test time by
`protoc --python_out` from Proto/, raw `socket` framing (flags byte, 4-byte big-endian length,
payload), against the real dcrd binary started in a temporary directory. It shows that what
protobuf-c writes, Google's runtime reads and writes back byte for byte, and the other way round.

    /usr/bin/python3 Tests/PeerTests/peer_test.py --dcrd .build/debug/dcrd --proto-dir Proto

Prints "N passed, M failed" last; exits non-zero on any failure. The daemon is stopped
(SIGTERM, then SIGKILL if it does not exit) and the temporary directory removed on every path.
"""

import argparse
import importlib
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import uuid

CLOCK_START_MS = 1773392400000  # Friday 2026-03-13 10:00 Copenhagen: the daemon's fixed "now"
TERMINAL_TOKEN = "peer-terminal-token-0123456789abcdef"
MONITOR_TOKEN = "peer-monitor-token-0123456789abcdef"
TIMEOUT = 10.0  # seconds: every wait has this deadline
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

pb = None  # the generated dcr.v1 module, set in main()


# --------------------------------------------------------------------------------------------
# The daemon
# --------------------------------------------------------------------------------------------

class Daemon:
    def __init__(self, binary, directory):
        self.extra_config = []  # more dcrd.conf lines (the dashboard tests add an http: listener)
        self.binary = binary
        self.dir = directory
        self.socket_path = os.path.join(directory, "dcrd.sock")
        self.log_path = os.path.join(directory, "dcrd.log")
        self.config_path = os.path.join(directory, "dcrd.conf")
        self.process = None
        self.tcp_port = 0
        self._log_file = None

    def start(self):
        terminal_token = os.path.join(self.dir, "terminal.token")
        monitor_token = os.path.join(self.dir, "monitor.token")
        with open(terminal_token, "w") as f:
            f.write(TERMINAL_TOKEN + "\n")
        with open(monitor_token, "w") as f:
            f.write(MONITOR_TOKEN + "\n")
        with open(self.config_path, "w") as f:
            f.write("\n".join([
                "listen unix:" + self.socket_path,
                "listen tcp:127.0.0.1:0",
                "state-dir " + os.path.join(self.dir, "state"),
                "pseudonym-key-file " + os.path.join(self.dir, "pseudonym.key"),
                "site H17 12",
                "site SKYEN 6",
                "site MOBILE 2",
                "token peer-terminal terminal " + terminal_token,
                "token peer-monitor monitor " + monitor_token,
                "commit-max-delay-us 500",
            ] + list(self.extra_config) + [""]))
        env = dict(os.environ)
        env["DCRD_TEST_CLOCK_START_MS"] = str(CLOCK_START_MS)
        for k in ("NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC"):
            env.pop(k, None)
        self._log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen([self.binary, "--config", self.config_path], env=env,
                                        stdin=subprocess.DEVNULL, stdout=self._log_file,
                                        stderr=self._log_file)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for line in self.log().splitlines():
                if "ready" in line:
                    m = re.search(r"ports=\[(\d+)", line)
                    assert m, "no ports=[N] in the ready line: " + line
                    self.tcp_port = int(m.group(1))
                    return
            if self.process.poll() is not None:
                raise RuntimeError("dcrd exited with %d before it was ready:\n%s"
                                   % (self.process.returncode, self.log()))
            time.sleep(0.02)
        raise RuntimeError("dcrd logged no 'ready' within 30 s:\n" + self.log())

    def log(self):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """SIGTERM and wait; SIGKILL if it does not exit. Returns the exit status."""
        if self.process is None:
            return None
        p, self.process = self.process, None
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if self._log_file:
            self._log_file.close()
            self._log_file = None
        return p.returncode


# --------------------------------------------------------------------------------------------
# Framing and a tiny client
# --------------------------------------------------------------------------------------------

def frame(payload, flags=0):
    return struct.pack(">BI", flags, len(payload)) + payload


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("connection closed after %d of %d bytes" % (len(data), n))
        data += chunk
    return data


def read_frame(sock):
    """One frame's (flags, payload); EOFError at a clean end of stream."""
    header = recv_exact(sock, 5)
    flags, length = struct.unpack(">BI", header)
    return flags, recv_exact(sock, length)


class Peer:
    def __init__(self, sock):
        self.sock = sock
        self.next_id = 1
        self.raw = []  # every response payload as received, for the byte-compatibility check

    @classmethod
    def unix(cls, path):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(TIMEOUT)
        s.connect(path)
        return cls(s)

    @classmethod
    def tcp(cls, port):
        s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        s.settimeout(TIMEOUT)
        return cls(s)

    def request(self, **body):
        r = pb.Request(id=self.next_id, **body)
        self.next_id += 1
        return r

    def send_all(self, requests):
        """Pipelines the requests in one write; returns their responses in order."""
        self.sock.sendall(b"".join(frame(r.SerializeToString()) for r in requests))
        out = []
        for r in requests:
            flags, payload = read_frame(self.sock)
            assert flags == 0, "response frame flags %#x" % flags
            self.raw.append(payload)
            resp = pb.Response()
            resp.ParseFromString(payload)
            assert resp.id == r.id, "response id %d for request %d" % (resp.id, r.id)
            out.append(resp)
        return out

    def call(self, **body):
        return self.send_all([self.request(**body)])[0]

    def hello(self, role, credential=""):
        r = self.call(hello=pb.Hello(protocol_version=1, client_name="python peer", role=role,
                                     credential=credential))
        assert r.status.code == pb.OK, "hello refused: %s" % r.status
        assert r.WhichOneof("body") == "welcome", r
        return r.welcome

    def close(self):
        self.sock.close()


def ok(resp):
    return not resp.HasField("status") or resp.status.code == pb.OK


def free_port():
    """A TCP port on loopback that nothing listens on now (for servers the tests start)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, condition, timeout=30.0, every=0.05):
    """Polls `condition` until it returns a true value or the deadline passes (never a bare sleep)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = condition()
            if last:
                return last
        except Exception as e:  # noqa: BLE001 — the last error is shown if the deadline passes
            last = e
        time.sleep(every)
    raise AssertionError("%s: not within %.1f s (last: %r)" % (what, timeout, last))


def event_id():
    return uuid.uuid4().bytes


def header(site="H17", booth=1, seconds_ago=60):
    return dict(event_id=event_id(), site=site, occurred_at_ms=CLOCK_START_MS - seconds_ago * 1000,
                booth=booth)


def one_of_each():
    return [
        dict(intake=pb.Intake(client_code="peer-client-1", gender=pb.GENDER_FEMALE, age=34,
                              municipality=101, substance=pb.SUBSTANCE_HEROIN,
                              route=pb.ROUTE_INJECTION, **header(booth=3))),
        dict(booth_release=pb.BoothRelease(**header(booth=3, seconds_ago=30))),
        dict(incident=pb.Incident(kind=pb.INCIDENT_KIND_OVERDOSE, victim_gender=pb.GENDER_MALE,
                                  victim_role=pb.VICTIM_ROLE_CLIENT, client_code="peer-client-2",
                                  overdose_response=pb.OVERDOSE_RESPONSE_NALOXONE,
                                  **header(site="SKYEN", booth=2))),
        dict(referral=pb.Referral(client_code="peer-client-1", gender=pb.GENDER_FEMALE,
                                  target=pb.REFERRAL_TARGET_OUTREACH_ASSESSMENT,
                                  **header(site="MOBILE", booth=0))),
    ]


def stored(status_reply):
    return {k.kind: k.events for k in status_reply.events_stored}


def rejected(status_reply):
    return {r.reason: r.count for r in status_reply.rejected_frames}


# --------------------------------------------------------------------------------------------
# The tests: each gets the one running daemon and compares counts before and after itself.
# --------------------------------------------------------------------------------------------

def monitor(d):
    m = Peer.unix(d.socket_path)
    m.hello(role=pb.ROLE_MONITOR)
    return m


def status_of(d):
    m = monitor(d)
    try:
        r = m.call(status=pb.StatusQuery())
        assert ok(r) and r.WhichOneof("body") == "status_reply", r
        return r.status_reply
    finally:
        m.close()


def test_hello_over_unix_is_welcomed(d):
    p = Peer.unix(d.socket_path)
    try:
        w = p.hello(role=pb.ROLE_TERMINAL)
        assert w.granted_role == pb.ROLE_TERMINAL, w
        assert w.max_frame_bytes == 65536, w
        assert w.server_version != ""
        assert w.server_time_ms >= CLOCK_START_MS, "the daemon runs on the test clock: %d" % w.server_time_ms
        assert w.server_time_ms < CLOCK_START_MS + 3600 * 1000, w.server_time_ms
    finally:
        p.close()


def test_every_event_kind_is_acknowledged_and_counted(d):
    before = stored(status_of(d))
    p = Peer.unix(d.socket_path)
    try:
        p.hello(role=pb.ROLE_TERMINAL)
        for body in one_of_each():
            r = p.call(**body)
            assert ok(r), "%s refused: %s" % (list(body), r.status)
            assert r.WhichOneof("body") == "ack", r
            assert r.ack.duplicate is False, r
    finally:
        p.close()
    after = stored(status_of(d))
    for kind in (pb.EVENT_KIND_INTAKE, pb.EVENT_KIND_BOOTH_RELEASE, pb.EVENT_KIND_INCIDENT,
                 pb.EVENT_KIND_REFERRAL):
        assert after.get(kind, 0) == before.get(kind, 0) + 1, \
            "%s: %s -> %s" % (pb.EventKind.Name(kind), before, after)


def test_a_resent_event_is_a_duplicate_and_counts_nothing(d):
    p = Peer.unix(d.socket_path)
    try:
        p.hello(role=pb.ROLE_TERMINAL)
        body = one_of_each()[0]
        first = p.call(**body)
        assert ok(first) and first.ack.duplicate is False, first
        before = status_of(d)
        again = p.call(**body)
        assert ok(again), again
        assert again.WhichOneof("body") == "ack" and again.ack.duplicate is True, again
        after = status_of(d)
        assert stored(after) == stored(before), (stored(before), stored(after))
        assert after.duplicates == before.duplicates + 1, (before.duplicates, after.duplicates)
    finally:
        p.close()


def test_pipelined_requests_are_answered_in_order(d):
    p = Peer.unix(d.socket_path)
    try:
        p.hello(role=pb.ROLE_TERMINAL)
        requests = []
        for n in range(60):
            if n % 3 == 0:
                requests.append(p.request(ping=pb.Ping(nonce=1000 + n)))
            else:
                requests.append(p.request(**one_of_each()[n % 4]))
        responses = p.send_all(requests)  # asserts ids match, in order
        for req, resp in zip(requests, responses):
            if req.WhichOneof("body") == "ping":
                assert resp.WhichOneof("body") == "pong" and resp.pong.nonce == req.ping.nonce, resp
            else:
                assert ok(resp) and resp.WhichOneof("body") == "ack", resp
    finally:
        p.close()


def test_an_invalid_event_names_the_field_and_the_connection_stays(d):
    p = Peer.unix(d.socket_path)
    try:
        p.hello(role=pb.ROLE_TERMINAL)
        before = status_of(d)
        bad = one_of_each()[0]
        bad["intake"].age = 214
        r = p.call(**bad)
        assert r.status.code == pb.INVALID_ARGUMENT == 3, r
        assert "intake.age" in r.status.message, r.status.message
        assert "214" in r.status.message, r.status.message
        assert r.WhichOneof("body") is None, r
        pong = p.call(ping=pb.Ping(nonce=7))
        assert pong.pong.nonce == 7, pong
        after = status_of(d)
        assert after.invalid_events == before.invalid_events + 1
        assert stored(after) == stored(before)
    finally:
        p.close()


def test_an_unknown_site_is_not_found(d):
    p = Peer.unix(d.socket_path)
    try:
        p.hello(role=pb.ROLE_TERMINAL)
        r = p.call(booth_release=pb.BoothRelease(**header(site="NOWHERE", booth=1)))
        assert r.status.code == pb.NOT_FOUND == 5, r
        assert "site" in r.status.message, r.status.message
    finally:
        p.close()


def test_unknown_enum_values_from_a_newer_terminal_are_kept_not_fatal(d):
    before = status_of(d)
    p = Peer.unix(d.socket_path)
    try:
        p.hello(role=pb.ROLE_TERMINAL)
        body = one_of_each()[0]
        body["intake"].gender = 77      # proto3 enums are open: Google's runtime sends the number
        body["intake"].substance = 99
        r = p.call(**body)
        assert ok(r) and r.WhichOneof("body") == "ack", r
    finally:
        p.close()
    after = status_of(d)
    assert after.unknown_enum_values >= before.unknown_enum_values + 2, \
        (before.unknown_enum_values, after.unknown_enum_values)
    assert stored(after)[pb.EVENT_KIND_INTAKE] == stored(before)[pb.EVENT_KIND_INTAKE] + 1


def test_tcp_with_a_terminal_token(d):
    p = Peer.tcp(d.tcp_port)
    try:
        w = p.hello(role=pb.ROLE_TERMINAL, credential=TERMINAL_TOKEN)
        assert w.granted_role == pb.ROLE_TERMINAL
        before = status_of(d)
        for body in one_of_each():
            r = p.call(**body)
            assert ok(r) and r.WhichOneof("body") == "ack" and not r.ack.duplicate, r
        after = stored(status_of(d))
        for kind in range(1, 5):
            assert after[kind] == stored(before)[kind] + 1, (stored(before), after)
    finally:
        p.close()


def test_tcp_refuses_a_missing_or_wrong_token(d):
    for credential in ("", "not-the-token-not-the-token"):
        p = Peer.tcp(d.tcp_port)
        try:
            r = p.call(hello=pb.Hello(protocol_version=1, client_name="peer", role=pb.ROLE_TERMINAL,
                                      credential=credential))
            assert r.status.code == pb.UNAUTHENTICATED == 16, r
            assert "hello.credential" in r.status.message, r.status.message
        finally:
            p.close()


def test_tcp_monitor_token_queries_status(d):
    p = Peer.tcp(d.tcp_port)
    try:
        w = p.hello(role=pb.ROLE_MONITOR, credential=MONITOR_TOKEN)
        assert w.granted_role == pb.ROLE_MONITOR
        r = p.call(status=pb.StatusQuery())
        assert ok(r) and r.WhichOneof("body") == "status_reply", r
        s = r.status_reply
        assert s.server_time_ms >= CLOCK_START_MS
        assert CLOCK_START_MS <= s.started_at_ms < CLOCK_START_MS + 60_000, s.started_at_ms
        roles = {c.role: c.connections for c in s.connections}
        assert roles.get(pb.ROLE_MONITOR, 0) >= 1, roles
        # A monitor may not send events.
        e = p.call(**one_of_each()[1])
        assert e.status.code == pb.PERMISSION_DENIED == 7, e
    finally:
        p.close()


def test_load_and_report_answer(d):
    m = monitor(d)
    try:
        r = m.call(load=pb.LoadQuery(site="H17"))
        assert ok(r) and r.WhichOneof("body") == "load", r
        assert [s.site for s in r.load.sites] == ["H17"], r.load
        h17 = r.load.sites[0]
        assert h17.capacity == 12
        assert h17.intakes_today >= 1, h17
        assert len(h17.intakes_per_minute) == 60, len(h17.intakes_per_minute)
        rep = m.call(report=pb.ReportQuery(measure=pb.MEASURE_INCIDENTS, to="2026-03-13",
                                           group_by=[pb.DIMENSION_SITE],
                                           **{"from": "2026-03-13"}))
        assert ok(rep) and rep.WhichOneof("body") == "report", rep
        rows = {tuple(row.keys): row.count for row in rep.report.rows}
        assert rows.get(("SKYEN",), 0) >= 1, rows
        assert rep.report.total == sum(rows.values()), rep.report
    finally:
        m.close()


def test_requests_before_hello_are_refused(d):
    before = rejected(status_of(d)).get("before_hello", 0)
    p = Peer.unix(d.socket_path)
    try:
        p.sock.sendall(frame(pb.Request(id=5, ping=pb.Ping(nonce=1)).SerializeToString()))
        flags, payload = read_frame(p.sock)
        r = pb.Response()
        r.ParseFromString(payload)
        assert r.status.code == pb.FAILED_PRECONDITION == 9, r
        try:
            extra = p.sock.recv(1)
        except ConnectionResetError:
            extra = b""
        assert extra == b"", "the connection stays open after a request before hello"
    finally:
        p.close()
    assert rejected(status_of(d)).get("before_hello", 0) == before + 1


def test_responses_are_byte_compatible_both_ways(d):
    """protobuf-c's bytes decode with Google's runtime and re-encode identically; Google's bytes
    decode with protobuf-c (the daemon echoes what it read, in its own encoding)."""
    p = Peer.unix(d.socket_path)
    m = monitor(d)
    try:
        p.hello(role=pb.ROLE_TERMINAL)
        p.call(**one_of_each()[0])
        p.call(ping=pb.Ping(nonce=2**64 - 1))                 # varint of the largest nonce
        bad = one_of_each()[0]
        bad["intake"].age = 214
        p.call(**bad)                                       # a Status with a message
        m.call(status=pb.StatusQuery())                       # repeated submessages, doubles
        m.call(load=pb.LoadQuery())                           # packed repeated uint32
        m.call(report=pb.ReportQuery(measure=pb.MEASURE_INTAKES, to="2026-03-13", scale=12,
                                     group_by=[pb.DIMENSION_GENDER, pb.DIMENSION_AGE_BAND],
                                     **{"from": "2026-03-01"}))
        payloads = p.raw + m.raw
        assert len(payloads) >= 8, len(payloads)
        for payload in payloads:
            r = pb.Response()
            r.ParseFromString(payload)
            assert r.SerializeToString() == payload, \
                "re-encoding differs:\n protobuf-c %s\n google     %s" % (payload.hex(), r.SerializeToString().hex())
            assert not r.UnknownFields() if hasattr(r, "UnknownFields") else True
        pong = pb.Response()
        pong.ParseFromString(p.raw[2])
        assert pong.pong.nonce == 2**64 - 1, pong
    finally:
        p.close()
        m.close()


def test_turn_aways_are_acknowledged_counted_and_reported(d):
    before = stored(status_of(d))
    p = Peer.unix(d.socket_path)
    try:
        p.hello(role=pb.ROLE_TERMINAL)
        for reason, code in ((pb.TURN_AWAY_REASON_FIRST_TIME_USER, ""),
                             (pb.TURN_AWAY_REASON_ROOM_FULL, "peer-client-9")):
            r = p.call(turn_away=pb.TurnAway(reason=reason, client_code=code, gender=pb.GENDER_MALE,
                                             age=19, **header(site="SKYEN", booth=0)))
            assert ok(r) and r.WhichOneof("body") == "ack", r
        bad = p.call(turn_away=pb.TurnAway(**header(site="SKYEN", booth=0)))
        assert bad.status.code == pb.INVALID_ARGUMENT, bad
        assert bad.status.message == "turn_away.reason: required", bad.status
    finally:
        p.close()
    after = stored(status_of(d))
    assert after.get(pb.EVENT_KIND_TURN_AWAY, 0) == before.get(pb.EVENT_KIND_TURN_AWAY, 0) + 2, after
    m = monitor(d)
    try:
        rep = m.call(report=pb.ReportQuery(measure=pb.MEASURE_TURN_AWAYS, to="2026-03-13",
                                           group_by=[pb.DIMENSION_TURN_AWAY_REASON],
                                           sites=["SKYEN"], **{"from": "2026-03-13"}))
        assert ok(rep), rep
        rows = {tuple(row.keys): row.count for row in rep.report.rows}
        assert rows.get(("first-time-user",), 0) >= 1 and rows.get(("room-full",), 0) >= 1, rows
        load = m.call(load=pb.LoadQuery(site="SKYEN"))
        assert ok(load) and load.load.sites[0].turn_aways_today >= 2, load
    finally:
        m.close()


def test_a_suspended_clients_intake_is_acknowledged_with_suspended_until(d):
    p = Peer.unix(d.socket_path)
    try:
        p.hello(role=pb.ROLE_TERMINAL)
        start = CLOCK_START_MS - 3600 * 1000
        until = CLOCK_START_MS + 3600 * 1000
        suspension = pb.Suspension(client_code="peer-suspended", from_ms=start, until_ms=until,
                                   reason=pb.SUSPENSION_REASON_THREAT, all_sites=True,
                                   **header(site="H17", booth=0))
        r = p.call(suspension=suspension)
        assert ok(r) and r.ack.suspended_until_ms == 0, r
        intake = dict(client_code="peer-suspended", age=40, **header(site="MOBILE", booth=1, seconds_ago=30))
        r = p.call(intake=pb.Intake(**intake))
        assert ok(r) and r.ack.duplicate is False and r.ack.suspended_until_ms == until, r
        too_long = p.call(suspension=pb.Suspension(client_code="peer-suspended", from_ms=start,
                                                   until_ms=start + 25 * 3600 * 1000,
                                                   reason=pb.SUSPENSION_REASON_OTHER,
                                                   **header(site="H17", booth=0)))
        assert too_long.status.code == pb.INVALID_ARGUMENT, too_long
        assert "at most 24 h" in too_long.status.message, too_long.status
        lift = p.call(suspension_lift=pb.SuspensionLift(suspension_id=suspension.event_id,
                                                        **header(site="H17", booth=0, seconds_ago=20)))
        assert ok(lift), lift
        r = p.call(intake=pb.Intake(client_code="peer-suspended", **header(site="MOBILE", booth=1, seconds_ago=10)))
        assert ok(r) and r.ack.suspended_until_ms == 0, r
        unknown = p.call(suspension_lift=pb.SuspensionLift(suspension_id=event_id(), **header(booth=0)))
        assert unknown.status.code == pb.NOT_FOUND, unknown
    finally:
        p.close()


def test_corrections_void_amend_and_referral_outcome_count_the_corrected_state(d):
    def intakes_today_at(site):
        m = monitor(d)
        try:
            r = m.call(load=pb.LoadQuery(site=site))
            assert ok(r), r
            return r.load.sites[0].intakes_today
        finally:
            m.close()

    p = Peer.unix(d.socket_path)
    try:
        p.hello(role=pb.ROLE_TERMINAL)
        first = pb.Intake(client_code="peer-corr", age=30, **header(site="MOBILE", booth=1, seconds_ago=300))
        second = pb.Intake(client_code="peer-corr", age=30, **header(site="MOBILE", booth=1, seconds_ago=290))
        for m in (first, second):
            r = p.call(intake=m)
            assert ok(r), r
        before = intakes_today_at("MOBILE")
        void = pb.Void(target_id=second.event_id, reason=pb.CORRECTION_REASON_ENTERED_TWICE,
                       **header(site="MOBILE", booth=0, seconds_ago=10))
        r = p.call(void_event=void)
        assert ok(r) and r.ack.duplicate is False, r
        assert intakes_today_at("MOBILE") == before - 1
        again = p.call(void_event=pb.Void(target_id=second.event_id, reason=pb.CORRECTION_REASON_OTHER,
                                          **header(site="MOBILE", booth=0, seconds_ago=9)))
        assert again.status.code == pb.FAILED_PRECONDITION, again
        unknown = p.call(void_event=pb.Void(target_id=event_id(), reason=pb.CORRECTION_REASON_OTHER,
                                            **header(booth=0)))
        assert unknown.status.code == pb.NOT_FOUND, unknown

        # Amend moves the first intake to SKYEN; the corrected event's event_id may stay empty.
        corrected = pb.Intake(client_code="peer-corr", age=31, site="SKYEN", booth=2,
                              occurred_at_ms=first.occurred_at_ms)
        r = p.call(amend=pb.Amend(target_id=first.event_id, reason=pb.CORRECTION_REASON_WRONG_DETAILS,
                                  intake=corrected, **header(site="MOBILE", booth=0, seconds_ago=8)))
        assert ok(r), r
        assert intakes_today_at("MOBILE") == before - 2
        kind_change = p.call(amend=pb.Amend(
            target_id=first.event_id, reason=pb.CORRECTION_REASON_WRONG_DETAILS,
            referral=pb.Referral(client_code="peer-corr", target=pb.REFERRAL_TARGET_HOUSING,
                                 **dict(header(site="SKYEN", booth=0), event_id=b"")),
            **header(site="MOBILE", booth=0, seconds_ago=7)))
        assert kind_change.status.code == pb.INVALID_ARGUMENT, kind_change
        assert "an amend keeps the kind" in kind_change.status.message, kind_change.status

        referral = pb.Referral(client_code="peer-corr", target=pb.REFERRAL_TARGET_HEALTH_CARE,
                               scope=pb.REFERRAL_SCOPE_OFFSITE, **header(site="SKYEN", booth=0))
        assert ok(p.call(referral=referral))
        r = p.call(referral_outcome=pb.ReferralOutcome(referral_id=referral.event_id,
                                                       accepted=pb.REFERRAL_ACCEPTANCE_ACCEPTED,
                                                       **header(site="SKYEN", booth=0, seconds_ago=5)))
        assert ok(r), r
    finally:
        p.close()
    m = monitor(d)
    try:
        rep = m.call(report=pb.ReportQuery(measure=pb.MEASURE_REFERRALS, to="2026-03-13",
                                           group_by=[pb.DIMENSION_REFERRAL_SCOPE, pb.DIMENSION_REFERRAL_ACCEPTED],
                                           **{"from": "2026-03-13"}))
        assert ok(rep), rep
        rows = {tuple(row.keys): row.count for row in rep.report.rows}
        assert rows.get(("offsite", "yes"), 0) == 1, rows
        h = m.call(history=pb.HistoryQuery(event_id=second.event_id))
        assert ok(h) and h.WhichOneof("body") == "history", h
        assert [e.kind for e in h.history.entries] == [pb.EVENT_KIND_INTAKE, pb.EVENT_KIND_VOID], h.history
        assert h.history.entries[1].corrected_by_role == pb.ROLE_TERMINAL, h.history
        assert h.history.counted is False, h.history
        assert "peer-corr" not in str(h.history), "no client code in a history"
    finally:
        m.close()


def test_the_daemon_is_still_up(d):
    assert d.alive(), "dcrd exited:\n" + d.log()
    s = status_of(d)
    assert s.config_state == "ok", s.config_state


TESTS = [v for k, v in list(globals().items()) if k.startswith("test_") and callable(v)]


# --------------------------------------------------------------------------------------------

def generate(proto_dir, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    subprocess.run(["protoc", "--python_out=" + out_dir, "-I", proto_dir,
                    os.path.join(proto_dir, "dcr", "v1", "dcr.proto")], check=True)
    sys.path.insert(0, out_dir)
    return importlib.import_module("dcr.v1.dcr_pb2")


def run_suite(description, tests, prefix, make_daemon):
    """Runs `tests` against one daemon that `make_daemon(dcrd, tmp)` builds (shared with
    tls_peer_test.py): one line per test, a clean SIGTERM stop counted as a test, a count, and the
    exit status."""
    global pb
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--dcrd", default=os.path.join(ROOT, ".build", "debug", "dcrd"))
    parser.add_argument("--proto-dir", default=os.path.join(ROOT, "Proto"))
    parser.add_argument("-k", dest="only", default="", help="run only tests whose name contains this")
    args = parser.parse_args()

    passed, failed = 0, 0
    tmp = tempfile.mkdtemp(prefix=prefix)
    daemon = None
    # SIGTERM/SIGINT to us still stop the daemon and clean up.
    def on_signal(signum, _frame):
        raise KeyboardInterrupt("signal %d" % signum)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        pb = generate(args.proto_dir, os.path.join(tmp, "gen"))
        daemon = make_daemon(os.path.abspath(args.dcrd), tmp)
        daemon.start()
        for test in tests:
            if args.only not in test.__name__:
                continue
            try:
                test(daemon)
                passed += 1
                print("ok     " + test.__name__)
            except Exception:
                failed += 1
                print("FAILED " + test.__name__)
                traceback.print_exc(file=sys.stdout)
        status = daemon.stop()
        if status != 0:
            failed += 1
            print("FAILED dcrd exited with status %s after SIGTERM\n%s" % (status, daemon.log()))
        else:
            passed += 1
            print("ok     dcrd stops cleanly on SIGTERM")
    except BaseException:
        failed += 1
        traceback.print_exc(file=sys.stdout)
        if daemon is not None:
            print("--- dcrd log ---\n" + daemon.log())
    finally:
        if daemon is not None:
            daemon.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main():
    return run_suite(__doc__.splitlines()[0], TESTS, "dcr-peer-", Daemon)

if __name__ == "__main__":
    sys.exit(main())
