#!/usr/bin/python3
"""An independent TLS peer for dcrd: Python's ssl module (OpenSSL) and Google's protobuf runtime.

Certificates come from Deploy/dcr-tls-certs (the openssl commands Deploy/README.md gives
operators), made in a temporary directory: a room CA, the daemon's certificate, terminals
that are configured (booth-h17-1 terminal, dashboard monitor), one with no tls-client line
(stranger), an expired one (booth-old) and one signed by another CA (booth-foreign). The real
dcrd listens on tls:127.0.0.1:0; every test talks to it over that port and checks what it
counted through the Unix socket.

    /usr/bin/python3 Tests/PeerTests/tls_peer_test.py --dcrd .build/debug/dcrd --proto-dir Proto

Framing, the protobuf classes and the one-of-each events come from peer_test.py, the sibling
independent peer; nothing comes from the project's Swift code.
"""

import os
import re
import socket
import ssl
import subprocess
import sys
import time
import warnings

import peer_test
from peer_test import CLOCK_START_MS, TIMEOUT, Peer, frame, ok, one_of_each, read_frame, rejected, stored

ROOT = peer_test.ROOT
CERTS_SCRIPT = os.path.join(ROOT, "Deploy", "dcr-tls-certs")


def certs(directory):
    def run(*args, ca=None):
        env = dict(os.environ)
        if ca:
            env["DCR_TLS_CA"] = ca
        subprocess.run(["bash", CERTS_SCRIPT] + list(args), check=True, env=env)
    run(directory, "ca")
    run(directory, "server", "dcrd", "127.0.0.1", "localhost")
    for name in ("booth-h17-1", "dashboard", "stranger"):
        run(directory, "terminal", name)
    run(directory, "expired", "booth-old")
    run(os.path.join(directory, "other"), "ca")
    run(directory, "terminal", "booth-foreign", ca=os.path.join(directory, "other", "ca"))


class TLSDaemon(peer_test.Daemon):
    def __init__(self, binary, directory, tls_dir):
        super().__init__(binary, directory)
        self.tls_dir = tls_dir
        self.tls_port = 0

    def start(self):
        with open(self.config_path, "w") as f:
            f.write("\n".join([
                "listen unix:" + self.socket_path,
                "listen tls:127.0.0.1:0",
                "state-dir " + os.path.join(self.dir, "state"),
                "site H17 12", "site SKYEN 6", "site MOBILE 2",
                "tls-certificate " + os.path.join(self.tls_dir, "dcrd.pem"),
                "tls-key " + os.path.join(self.tls_dir, "dcrd.key"),
                "tls-client-ca " + os.path.join(self.tls_dir, "ca.pem"),
                "tls-client booth-h17-1 terminal",
                "tls-client dashboard monitor",
                "tls-client booth-old terminal",
                "tls-client booth-foreign terminal",
                "commit-max-delay-us 500", "",
            ]))
        env = dict(os.environ)
        env["DCRD_TEST_CLOCK_START_MS"] = str(CLOCK_START_MS)
        for k in ("NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC"):
            env.pop(k, None)
        self._log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen([self.binary, "--config", self.config_path], env=env,
                                        stdin=subprocess.DEVNULL, stdout=self._log_file, stderr=self._log_file)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for line in self.log().splitlines():
                if "ready" in line and "tls_ports=" in line:
                    m = re.search(r'tls_ports="?\[(\d+)', line)
                    assert m, "no tls_ports=[N] in the ready line: " + line
                    self.tls_port = int(m.group(1))
                    return
            if self.process.poll() is not None:
                raise RuntimeError("dcrd exited with %d before it was ready:\n%s" % (self.process.returncode, self.log()))
            time.sleep(0.02)
        raise RuntimeError("dcrd logged no 'ready' within 30 s:\n" + self.log())

    def lines(self):
        return self.log().splitlines()

    def wait_for_line(self, text, after):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            found = [l for l in self.lines()[after:] if text in l]
            if found:
                return found
            time.sleep(0.02)
        raise AssertionError("no %r in dcrd's log within %s s:\n%s" % (text, TIMEOUT, "\n".join(self.lines()[after:])))


def context(d, name, maximum=None):
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=os.path.join(d.tls_dir, "ca.pem"))
    if name:
        ctx.load_cert_chain(os.path.join(d.tls_dir, name + ".pem"), os.path.join(d.tls_dir, name + ".key"))
    if maximum:
        # TLS 1.1 on purpose, to be refused: Python warns that it is deprecated, which is the point.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = maximum
            ctx.maximum_version = maximum
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    return ctx


def tls_peer(d, name, hostname="localhost"):
    raw = socket.create_connection(("127.0.0.1", d.tls_port), timeout=TIMEOUT)
    s = context(d, name).wrap_socket(raw, server_hostname=hostname)
    s.settimeout(TIMEOUT)
    return Peer(s)


def status_of(d):
    return peer_test.status_of(d)


# --------------------------------------------------------------------------------------------

def test_tls13_is_negotiated_and_the_daemon_certificate_verifies(d):
    p = tls_peer(d, "booth-h17-1")
    try:
        assert p.sock.version() == "TLSv1.3", p.sock.version()
        names = [v for k, v in p.sock.getpeercert()["subjectAltName"]]
        assert "127.0.0.1" in names and "localhost" in names, names
    finally:
        p.close()


def test_every_event_kind_over_tls_is_acknowledged_and_counted(d):
    before = stored(status_of(d))
    p = tls_peer(d, "booth-h17-1")
    try:
        w = p.hello(role=peer_test.pb.ROLE_UNSPECIFIED)
        assert w.granted_role == peer_test.pb.ROLE_TERMINAL, "booth-h17-1's certificate grants terminal: %s" % w
        for body in one_of_each():
            r = p.call(**body)
            assert ok(r) and r.WhichOneof("body") == "ack" and r.ack.duplicate is False, r
    finally:
        p.close()
    after = stored(status_of(d))
    pb = peer_test.pb
    for kind in (pb.EVENT_KIND_INTAKE, pb.EVENT_KIND_BOOTH_RELEASE, pb.EVENT_KIND_INCIDENT, pb.EVENT_KIND_REFERRAL):
        assert after.get(kind, 0) == before.get(kind, 0) + 1, "%s: %s -> %s" % (pb.EventKind.Name(kind), before, after)


def test_the_granted_role_follows_the_certificate(d):
    pb = peer_test.pb
    p = tls_peer(d, "dashboard")
    try:
        w = p.hello(role=pb.ROLE_UNSPECIFIED)
        assert w.granted_role == pb.ROLE_MONITOR, w
        r = p.call(**one_of_each()[0])
        assert r.status.code == pb.PERMISSION_DENIED, r
        s = p.call(status=pb.StatusQuery())
        assert ok(s) and s.status_reply.tls_certificate_expires_ms > CLOCK_START_MS, s
        r = p.call(hello=pb.Hello(protocol_version=1, client_name="again", role=pb.ROLE_ADMIN))
        assert r.status.code != pb.OK, r
    finally:
        p.close()
    p = tls_peer(d, "dashboard")
    try:
        r = p.call(hello=pb.Hello(protocol_version=1, client_name="python", role=pb.ROLE_ADMIN))
        assert r.status.code == pb.PERMISSION_DENIED, "a monitor certificate cannot become admin: %s" % r
    finally:
        p.close()


def refused(d, name, attempt, reason):
    """Runs `attempt` (which must not get an answer), then checks the one log line and that
    nothing was stored."""
    before_status = status_of(d)
    after = len(d.lines())
    attempt()
    lines = d.wait_for_line("reason=" + reason, after)
    refusals = [l for l in d.lines()[after:] if "tls handshake refused" in l]
    assert len(refusals) == 1, "%s: exactly one log line, got %s" % (name, refusals)
    assert "BoringSSL" not in "\n".join(d.lines()[after:]), "%s: no error stack in the log" % name
    assert "peer-client" not in "\n".join(d.lines()[after:]), "%s: no client data in the log" % name
    now = status_of(d)
    assert stored(now) == stored(before_status), "%s: nothing stored: %s -> %s" % (name, stored(before_status), stored(now))
    assert rejected(now).get(reason, 0) == rejected(before_status).get(reason, 0) + 1, rejected(now)
    return lines[0]


def hello_and_intake_bytes():
    pb = peer_test.pb
    hello = pb.Request(id=1, hello=pb.Hello(protocol_version=1, client_name="refused", role=pb.ROLE_TERMINAL))
    intake = pb.Request(id=2, **one_of_each()[0])
    return frame(hello.SerializeToString()) + frame(intake.SerializeToString())


def tls_attempt(d, name, maximum=None):
    """Handshakes, pipelines Hello and an intake at once, and reads: nothing may come back."""
    def attempt():
        raw = socket.create_connection(("127.0.0.1", d.tls_port), timeout=TIMEOUT)
        try:
            s = context(d, name, maximum).wrap_socket(raw, server_hostname="localhost")
            s.settimeout(TIMEOUT)
            s.sendall(hello_and_intake_bytes())
            flags, payload = read_frame(s)
            raise AssertionError("the refused peer got an answer: %r" % payload)
        except (ssl.SSLError, EOFError, ConnectionResetError, BrokenPipeError):
            pass
        finally:
            raw.close()
    return attempt


def test_refused_without_a_client_certificate(d):
    refused(d, "no certificate", tls_attempt(d, None), "tls_no_client_certificate")


def test_refused_a_certificate_from_another_ca(d):
    line = refused(d, "another CA", tls_attempt(d, "booth-foreign"), "tls_certificate_not_accepted")
    assert "not signed by tls-client-ca" in line, line


def test_refused_an_expired_certificate(d):
    line = refused(d, "expired", tls_attempt(d, "booth-old"), "tls_certificate_not_accepted")
    assert "expired" in line, line


def test_refused_an_unknown_name(d):
    line = refused(d, "unknown name", tls_attempt(d, "stranger"), "tls_unknown_name")
    assert "stranger" in line and "tls-client" in line, line


def test_refused_plain_tcp_on_the_tls_port(d):
    def attempt():
        s = socket.create_connection(("127.0.0.1", d.tls_port), timeout=TIMEOUT)
        try:
            s.sendall(hello_and_intake_bytes())
            data = s.recv(65536)
            assert b"peer-client" not in data, data
            assert not data.startswith(b"\x00"), "a dcr frame came back on the TLS port: %r" % data
        except ConnectionResetError:
            pass
        finally:
            s.close()
    refused(d, "plain tcp", attempt, "tls_not_tls")


def test_refused_tls_1_1(d):
    line = refused(d, "TLS 1.1", tls_attempt(d, "booth-h17-1", maximum=ssl.TLSVersion.TLSv1_1), "tls_protocol_too_old")
    assert "1.2" in line, line


def test_tls_1_2_is_still_accepted(d):
    raw = socket.create_connection(("127.0.0.1", d.tls_port), timeout=TIMEOUT)
    ctx = context(d, "booth-h17-1")
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    s = ctx.wrap_socket(raw, server_hostname="localhost")
    s.settimeout(TIMEOUT)
    p = Peer(s)
    try:
        assert s.version() == "TLSv1.2", s.version()
        w = p.hello(role=peer_test.pb.ROLE_TERMINAL)
        assert w.granted_role == peer_test.pb.ROLE_TERMINAL
    finally:
        p.close()


def test_the_daemon_is_still_up(d):
    assert d.alive(), "dcrd exited:\n" + d.log()


TESTS = [v for k, v in list(globals().items()) if k.startswith("test_") and callable(v)]


def main():
    def make_daemon(dcrd, tmp):
        tls_dir = os.path.join(tmp, "tls")
        certs(tls_dir)
        return TLSDaemon(dcrd, tmp, tls_dir)
    return peer_test.run_suite(__doc__.splitlines()[0], TESTS, "dcr-tls-peer-", make_daemon)

if __name__ == "__main__":
    sys.exit(main())
