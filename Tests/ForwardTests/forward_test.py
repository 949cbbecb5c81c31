#!/usr/bin/python3
"""Many rooms, one city: two real dcrd (two sites, one shared pseudonym key) forwarding to a real
PostgreSQL (Debian's, initdb + pg_ctl in a temporary directory on a free port).

While EVENTS events go in across both sites, PostgreSQL is stopped for part of the run and one
dcrd is SIGKILLed once and started again. Afterwards the central table holds every stored event
exactly once (every acknowledged one among them), and the central views equal what the local
`dcrctl report` answers add up to (distinct clients across sites counted once: the key is
shared). A third dcrd with a wrong password logs one clear line per attempt, with back-off, and
keeps acknowledging its terminal.

    /usr/bin/python3 Tests/ForwardTests/forward_test.py --dcrd .build/debug/dcrd [--events 50000]

Prints "N passed, M failed" last; exits non-zero on any failure.
"""

import argparse
import collections
import glob
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "PeerTests"))
import peer_test as peer  # noqa: E402

TIMEOUT = 120.0
PASSWORD = "forwarder-password-0123456789"
ANALYST_PASSWORD = "analyst-password-0123456789"


def free_port():
    return peer.free_port()


def wait_for(what, condition, timeout=TIMEOUT, every=0.05):
    return peer.wait_for(what, condition, timeout, every)


class Postgres:
    """A throwaway cluster owned by the postgres user (initdb refuses root)."""

    def __init__(self, tmp):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.dir = os.path.join(tmp, "pg")
        os.makedirs(self.dir)
        shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(tmp, 0o755)
        self.port = free_port()
        self.as_postgres([os.path.join(self.bin, "initdb"), "-D", self.dir + "/data", "-U", "postgres",
                          "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8"])
        self.start()
        self.psql("postgres", "CREATE DATABASE dcr")
        subprocess.run(self.psql_cmd("dcr") + ["-f", os.path.join(ROOT, "Deploy", "postgres", "schema.sql")],
                       check=True, capture_output=True, timeout=60)
        # The roles Deploy/README.md describes: the forwarder may only insert, analysts only read views.
        self.psql("dcr", "CREATE ROLE dcr_forwarder LOGIN PASSWORD '%s'; GRANT USAGE ON SCHEMA public TO dcr_forwarder; "
                         "GRANT INSERT ON dcr_events TO dcr_forwarder; CREATE ROLE dcr_analyst LOGIN PASSWORD '%s'; "
                         "GRANT USAGE ON SCHEMA public TO dcr_analyst; GRANT SELECT ON dcr_clients_per_year_by_gender, dcr_clients_per_year_by_site_and_gender, "
                         "dcr_incidents_by_kind_and_victim_gender, dcr_intakes_per_week, dcr_referrals_by_target TO dcr_analyst" % (PASSWORD, ANALYST_PASSWORD))

    def enable_ssl(self, tmp):
        """A room CA of the city's and a server certificate for "localhost", as verify-full checks it."""
        d = os.path.join(tmp, "pg-tls")
        os.makedirs(d)
        run = lambda *a: subprocess.run(["openssl"] + list(a), check=True, capture_output=True, timeout=60, cwd=d)
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
            "-subj", "/CN=dcr test central CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=keyCertSign,cRLSign")
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
        with open(os.path.join(d, "ext"), "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
        run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt",
            "-days", "30", "-extfile", "ext")
        # Another CA, which never signed the server's certificate.
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other-ca.pem", "-days", "30",
            "-subj", "/CN=some other CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=keyCertSign,cRLSign")
        for name in ("server.crt", "server.key"):
            target = os.path.join(self.dir, "data", name)
            shutil.copy(os.path.join(d, name), target)
            shutil.chown(target, "postgres", "postgres")
            os.chmod(target, 0o600)
        self.psql("postgres", "ALTER SYSTEM SET ssl = on")
        self.as_postgres([os.path.join(self.bin, "pg_ctl"), "-D", self.dir + "/data", "reload"])
        wait_for("PostgreSQL with TLS", lambda: "on" in self.psql("postgres", "SHOW ssl"), timeout=30)
        return os.path.join(d, "ca.pem"), os.path.join(d, "other-ca.pem")

    def as_postgres(self, argv, check=True):
        return subprocess.run(["runuser", "-u", "postgres", "--"] + argv, check=check, capture_output=True, text=True, timeout=120)

    def start(self):
        self.as_postgres([os.path.join(self.bin, "pg_ctl"), "-D", self.dir + "/data", "-l", self.dir + "/log", "-w", "-o",
                          "-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off" % (self.port, self.dir), "start"])

    def stop(self):
        self.as_postgres([os.path.join(self.bin, "pg_ctl"), "-D", self.dir + "/data", "-m", "fast", "-w", "stop"], check=False)

    def psql_cmd(self, db):
        return ["runuser", "-u", "postgres", "--", os.path.join(self.bin, "psql"), "-h", self.dir, "-p", str(self.port),
                "-d", db, "-v", "ON_ERROR_STOP=1", "-At"]

    def psql(self, db, sql):
        return subprocess.run(self.psql_cmd(db) + ["-c", sql], check=True, capture_output=True, text=True, timeout=120).stdout

    def rows(self, sql):
        return [line.split("|") for line in self.psql("dcr", sql).splitlines() if line]


class Daemon(peer.Daemon):
    def __init__(self, binary, directory, site, key, forward_lines):
        super().__init__(binary, directory)
        self.site = site
        self.key = key
        self.forward_lines = forward_lines

    def start(self):
        os.makedirs(self.dir, exist_ok=True)
        self.extra_config = self.forward_lines
        super().start()

    @property
    def store(self):
        return os.path.join(self.dir, "state", "events.sqlite")

    def dcrctl(self, *args):
        dcrctl = os.path.join(os.path.dirname(self.binary), "dcrctl")
        return subprocess.run([dcrctl] + list(args) + ["--socket", self.socket_path], check=True,
                              capture_output=True, text=True, timeout=60).stdout

    def status(self):
        return json.loads(self.dcrctl("status", "--json"))


def make_daemon(binary, tmp, name, site, pg, password=PASSWORD):
    d = Daemon(binary, os.path.join(tmp, name), site, None, [])
    os.makedirs(d.dir, exist_ok=True)
    pw = os.path.join(d.dir, "forward.password")
    with open(pw, "w") as f:
        f.write(password + "\n")
    d.forward_lines = ["forward postgres://dcr_forwarder@127.0.0.1:%d/dcr?sslmode=disable" % pg.port,
                       "forward-password-file " + pw, "forward-source " + site, "forward-retry-max 2", "forward-timeout 5"]
    return d


def share_key(daemons, tmp):
    key = os.path.join(tmp, "shared-pseudonym.key")
    with open(key, "wb") as f:
        f.write(os.urandom(32))
    os.chmod(key, 0o600)
    for d in daemons:
        shutil.copy(key, os.path.join(d.dir, "pseudonym.key"))
        os.chmod(os.path.join(d.dir, "pseudonym.key"), 0o600)


class Traffic:
    """Intakes, incidents and referrals over two years; a client has one gender and visits both sites."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.clients = [("city-client-%04d" % i, self.rng.choice([1, 2, 3])) for i in range(1500)]
        self.acked = set()
        self.sent = collections.defaultdict(list)   # site -> [(kind, message)] acknowledged
        self.corrections = collections.Counter()    # kind name -> acknowledged corrections

    def request(self, p, site):
        pb = peer.pb
        r = self.rng.random()
        ago = self.rng.randrange(60, 700 * 86400)
        head = peer.header(site=site, booth=self.rng.randrange(1, 3), seconds_ago=ago)
        code, gender = self.rng.choice(self.clients)
        if r < 0.8:
            body = dict(intake=pb.Intake(client_code=code, gender=gender, age=self.rng.randrange(18, 70), municipality=101,
                                         substance=self.rng.choice([1, 2, 3]), route=self.rng.choice([1, 2]), **head))
        elif r < 0.9:
            kind = self.rng.choice([1, 3, 7])
            body = dict(incident=pb.Incident(kind=kind, victim_gender=self.rng.choice([1, 2]), victim_role=1,
                                             client_code=code, overdose_response=3 if kind == 7 else 0, **head))
        else:
            body = dict(referral=pb.Referral(client_code=code, gender=gender, target=self.rng.choice([1, 2, 4]), **head))
        return head["event_id"], p.request(**body), body

    def send(self, d, site, count, chunk=500):
        """Sends `count` events in pipelined chunks; returns how many were acknowledged."""
        p = peer.Peer.unix(d.socket_path)
        p.hello(role=peer.pb.ROLE_TERMINAL)
        sent = 0
        try:
            while sent < count:
                batch = [self.request(p, site) for _ in range(min(chunk, count - sent))]
                answers = p.send_all([r for _, r, _ in batch])
                for (eid, _, body), a in zip(batch, answers):
                    assert peer.ok(a) and a.WhichOneof("body") == "ack", a
                    self.acked.add(eid)
                    self.sent[site].extend(body.items())
                sent += len(batch)
        finally:
            p.close()
        return sent


    def correct(self, d, site, n):
        """Corrections of this site's earlier events, as the administration makes them: voids of intakes
        (entered twice), amends of incidents (the victim's gender), outcomes of referrals."""
        pb = peer.pb
        pick = lambda kind: [m for k, m in self.sent[site] if k == kind]
        intakes, incidents, referrals = pick("intake"), pick("incident"), pick("referral")
        requests = []
        p = peer.Peer.unix(d.socket_path)
        p.hello(role=peer.pb.ROLE_ADMIN)   # the events are older than void-window: the administration corrects them
        try:
            for m in self.rng.sample(intakes, n):
                requests.append(("void", p.request(void_event=pb.Void(
                    target_id=m.event_id, reason=pb.CORRECTION_REASON_ENTERED_TWICE, **peer.header(site=site, booth=0, seconds_ago=5)))))
            for m in self.rng.sample(incidents, n):
                fixed = pb.Incident()
                fixed.CopyFrom(m)
                fixed.event_id = b""
                fixed.victim_gender = 2 if m.victim_gender == 1 else 1
                requests.append(("amend", p.request(amend=pb.Amend(
                    target_id=m.event_id, reason=pb.CORRECTION_REASON_WRONG_DETAILS, incident=fixed,
                    **peer.header(site=site, booth=0, seconds_ago=5)))))
            for m in self.rng.sample(referrals, n):
                requests.append(("outcome", p.request(referral_outcome=pb.ReferralOutcome(
                    referral_id=m.event_id, accepted=self.rng.choice([pb.REFERRAL_ACCEPTANCE_ACCEPTED, pb.REFERRAL_ACCEPTANCE_DECLINED]),
                    **peer.header(site=site, booth=0, seconds_ago=5)))))
            answers = p.send_all([r for _, r in requests])
            for (kind, r), a in zip(requests, answers):
                assert peer.ok(a) and a.WhichOneof("body") == "ack", (kind, a)
                self.acked.add(getattr(r, r.WhichOneof("body")).event_id)
                self.corrections[kind] += 1
        finally:
            p.close()


def crash_excerpt(log):
    """The lines that say why a daemon crashed (the runtime's message and the crashed thread)."""
    start = max(log.find("Fatal error"), log.find("Program crashed"), 0)
    return log[max(0, start - 2000):start + 5000]


def local_ids(store):
    with sqlite3.connect("file:%s?mode=ro" % store, uri=True) as db:
        return {bytes(r[0]) for r in db.execute("SELECT event_id FROM events")}


def central_ids(pg):
    return {bytes.fromhex(r[0].replace("-", "")) for r in pg.rows("SELECT event_id FROM dcr_events")}


def report(d, measure, by, frm="2020-01-01", to="2030-12-31"):
    doc = json.loads(d.dcrctl("report", measure, "--from", frm, "--to", to, "--by", by, "--json"))
    return {tuple(r["keys"]): r["count"] for r in doc["rows"]}


def test_every_event_once_through_an_outage_and_a_kill(ctx):
    pg, a, b, traffic, events = ctx["pg"], ctx["a"], ctx["b"], ctx["traffic"], ctx["events"]
    quarter = events // 8
    traffic.send(a, "H17", quarter)
    traffic.send(b, "SKYEN", quarter)
    pg.stop()                                                 # the city network is down
    try:
        outage(a, b, traffic, quarter)
    finally:
        pg.start()                                            # the network is back
    traffic.send(a, "H17", quarter)
    traffic.send(b, "SKYEN", events - 7 * quarter)
    stored = local_ids(a.store) | local_ids(b.store)
    wait_for("every stored event in PostgreSQL", lambda: int(pg.rows("SELECT count(*) FROM dcr_events")[0][0]) == len(stored),
             timeout=300, every=0.5)
    central = central_ids(pg)
    assert central == stored, "central and local differ: %d only central, %d only local" % (len(central - stored), len(stored - central))
    assert traffic.acked <= central, "%d acknowledged events are not central" % len(traffic.acked - central)
    dupes = pg.rows("SELECT count(*) - count(DISTINCT (source, source_seq)) FROM dcr_events")[0][0]
    assert dupes == "0", dupes
    kinds = dict((int(k), int(n)) for k, n in pg.rows("SELECT kind, count(*) FROM dcr_events WHERE kind >= 8 GROUP BY kind"))
    assert kinds == {8: traffic.corrections["void"], 9: traffic.corrections["amend"], 10: traffic.corrections["outcome"]}, kinds
    for d in (a, b):
        f = wait_for("lag 0", lambda: (lambda s: s["forward"]["lag_events"] == 0 and s["forward"])(d.status()), timeout=30)
        assert f["last_error"] == "", f
        r = subprocess.run([os.path.join(os.path.dirname(d.binary), "dcrctl"), "forward", "--status", "--json", "--socket", d.socket_path],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0 and json.loads(r.stdout)["forward"]["lag_events"] == 0, (r.returncode, r.stdout, r.stderr)
    print("       %d events stored across both sites, %d acknowledged, all central exactly once" % (len(stored), len(traffic.acked)))


def outage(a, b, traffic, quarter):
    """Events while PostgreSQL is stopped: the lag and the reason show; one daemon is killed and
    comes back; terminals are acknowledged throughout."""
    traffic.send(a, "H17", quarter)
    traffic.send(b, "SKYEN", quarter)
    traffic.correct(a, "H17", max(3, quarter // 100))    # corrections wait in the backlog like any event
    traffic.correct(b, "SKYEN", max(3, quarter // 100))
    # The forwarder finds the server gone at its next attempt; from then on status says so.
    st = wait_for("lag and the error visible in dcrctl status",
                  lambda: (lambda s: s["forward"]["lag_events"] > 0 and s["forward"]["last_error"] and s)(a.status()), timeout=30)
    # Which words depends on the moment: the shutdown's own refusal, the closed port, or a query left unanswered.
    assert re.search(r"cannot reach the server|the server refused: .*(shutting down|terminating)|no answer from the server",
                     st["forward"]["last_error"]), st["forward"]
    text = a.dcrctl("status")
    assert re.search(r"^forward +postgres://dcr_forwarder@127\.0\.0\.1:\d+/dcr: [\d,]+ events behind .*FAILING: ", text, re.M), text
    r = subprocess.run([os.path.join(os.path.dirname(a.binary), "dcrctl"), "forward", "--status", "--socket", a.socket_path],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "state            FAILING" in r.stdout and "last error" in r.stdout, (r.returncode, r.stdout, r.stderr)
    # One clear line per attempt, with back-off (forward-retry-max 2: at most 2 s, ±25 % jitter).
    wait_for("two attempts logged", lambda: len(re.findall(r"forward: .*retrying in", a.log())) >= 2, timeout=30)
    pauses = [float(x) for x in re.findall(r"forward: .*retrying in ([\d.]+) s \(terminals are not affected\)", a.log())]
    assert len(pauses) >= 2 and all(0.3 <= s <= 2.5 for s in pauses), pauses
    assert not any(code in a.log() or code in b.log() for code, _ in traffic.clients), "a client code in a log"
    os.kill(a.process.pid, signal.SIGKILL)                    # one room's machine dies
    a.process.wait()
    a.process = None
    a.start()
    traffic.send(a, "H17", quarter)
    traffic.send(b, "SKYEN", quarter)


def _latest(rows):
    """(year, client) -> (time, gender) of the latest row."""
    latest = {}
    for y, client, gender, at in rows:
        if (y, client) not in latest or at > latest[(y, client)][0]:
            latest[(y, client)] = (at, gender)
    return latest


def test_central_views_equal_the_local_reports(ctx):
    pg, a, b = ctx["pg"], ctx["a"], ctx["b"]
    # Intakes per ISO week and site: the two local reports side by side.
    local = collections.Counter()
    for d in (a, b):
        for (week, site), n in report(d, "intakes", "week,site").items():
            local[(week, site)] += n
    central = {("%s-W%02d" % (y, int(w)), s): int(n) for y, w, s, n in pg.rows("SELECT iso_year, iso_week, site, intakes FROM dcr_intakes_per_week")}
    assert central == dict(local), "intakes per week differ: %s" % sorted(set(central.items()) ^ set(local.items()))[:6]
    # Incidents by kind and victim gender; referrals by target: totals per cell.
    def summed(measure, by):
        c = collections.Counter()
        for d in (a, b):
            for k, n in report(d, measure, by).items():
                c[k] += n
        return c
    inc = summed("incidents", "incident-kind,victim-gender")
    central_inc = collections.Counter()
    for kind, vg, n in pg.rows("SELECT incident_kind, victim_gender, sum(incidents) FROM dcr_incidents_by_kind_and_victim_gender GROUP BY 1, 2"):
        central_inc[(int(kind), int(vg))] += int(n)
    assert sorted(inc.values()) == sorted(central_inc.values()) and sum(inc.values()) == sum(central_inc.values()), (inc, central_inc)
    ref = summed("referrals", "target")
    central_ref = {int(t): int(n) for t, n in pg.rows("SELECT referral_target, sum(referrals) FROM dcr_referrals_by_target GROUP BY 1")}
    assert sorted(ref.values()) == sorted(central_ref.values()), (ref, central_ref)
    # Distinct clients per year by gender: each site's own equals the local report; all sites
    # together counts a client who visited both once (the key is shared), as the two stores say.
    for d in (a, b):
        mine = {k: n for k, n in report(d, "clients", "year,gender").items()}
        theirs = collections.Counter()
        for y, s, g, n in pg.rows("SELECT year, site, gender, clients FROM dcr_clients_per_year_by_site_and_gender"):
            if s == d.site:
                theirs[(y, int(g))] = int(n)
        assert sorted(mine.values()) == sorted(theirs.values()), (d.site, mine, dict(theirs))
    db = sqlite3.connect(":memory:")
    db.execute("ATTACH ? AS a", ("file:%s?mode=ro" % a.store,))
    db.execute("ATTACH ? AS b", ("file:%s?mode=ro" % b.store,))
    # Each client under the gender of their latest counted (not voided) intake of the year.
    counted = ("SELECT substr(local_date, 1, 4) AS y, client, gender, occurred_at_ms FROM {s}.events WHERE kind = 1 "
               "AND event_id NOT IN (SELECT target_id FROM {s}.events WHERE kind = 8)")
    union = collections.Counter()
    for (y, client), (t, g) in _latest(db.execute(counted.format(s="a") + " UNION ALL " + counted.format(s="b"))).items():
        union[(y, g)] += 1
    central_union = {(y, int(g)): int(n) for y, g, n in pg.rows("SELECT year, gender, clients FROM dcr_clients_per_year_by_gender")}
    assert central_union == {(y, g): n for (y, g), n in union.items()}, (central_union, union)
    both = int(pg.rows("SELECT count(*) FROM (SELECT client FROM dcr_counted WHERE kind = 1 GROUP BY client HAVING count(DISTINCT site) > 1) x")[0][0])
    assert both > 0, "the traffic should have clients who visit both sites"
    print("       %d clients visited both sites and are counted once in the city's Table 1" % both)


def as_role(pg, user, password, sql):
    """psql over TCP with a password, as Deploy/README.md's roles log in."""
    argv = [os.path.join(pg.bin, "psql"), "-h", "127.0.0.1", "-p", str(pg.port), "-d", "dcr", "-U", user, "-At", "-c", sql]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, env=dict(os.environ, PGPASSWORD=password))


def test_the_grants_of_deploy_readme(ctx):
    """The forwarder may only insert; analysts may only read the views."""
    pg = ctx["pg"]
    for sql in ["SELECT count(*) FROM dcr_events", "DELETE FROM dcr_events", "UPDATE dcr_events SET site = 'X'"]:
        r = as_role(pg, "dcr_forwarder", PASSWORD, sql)
        assert r.returncode != 0 and "permission denied" in r.stderr, (sql, r.stdout, r.stderr)
    for sql in ["SELECT client FROM dcr_events LIMIT 1", "SELECT count(*) FROM dcr_counted", "DELETE FROM dcr_events"]:
        r = as_role(pg, "dcr_analyst", ANALYST_PASSWORD, sql)
        assert r.returncode != 0 and "permission denied" in r.stderr, (sql, r.stdout, r.stderr)
    r = as_role(pg, "dcr_analyst", ANALYST_PASSWORD, "SELECT sum(clients) FROM dcr_clients_per_year_by_gender")
    assert r.returncode == 0 and int(r.stdout.strip()) > 0, (r.stdout, r.stderr)


def test_a_wrong_password_is_one_clear_line_per_attempt_and_terminals_go_on(ctx):
    c = make_daemon(ctx["binary"], ctx["tmp"], "c", "MOBILE", ctx["pg"], password="wrong-password-0123456789")
    c.start()
    try:
        ctx["traffic"].send(c, "MOBILE", 200)
        wait_for("three attempts", lambda: c.log().count("forward: the server refused: password authentication failed") >= 3, timeout=30)
        lines = [l for l in c.log().splitlines() if "forward:" in l]
        assert all("password authentication failed for user \"dcr_forwarder\"" in l and "retrying in" in l for l in lines), lines
        assert PASSWORD not in c.log() and "wrong-password" not in c.log(), "a password in the log"
        f = c.status()["forward"]
        assert f["lag_events"] == 200 and "password authentication failed" in f["last_error"], f
        ctx["traffic"].send(c, "MOBILE", 10)   # still acknowledged
    finally:
        assert c.stop() == 0


def test_verify_full_checks_the_servers_certificate(ctx):
    """sslmode=verify-full: with the city's CA the rows arrive over TLS (the server named by its
    IP address, checked against the certificate's IP entry); with another CA (the server named
    by its host name) nothing is sent, the log says why once per attempt, and terminals go on."""
    pg = ctx["pg"]
    ca, other_ca = pg.enable_ssl(ctx["tmp"])
    good = make_daemon(ctx["binary"], ctx["tmp"], "tls-good", "MOBILE", pg)
    good.forward_lines = [l.replace("sslmode=disable", "sslmode=verify-full") for l in good.forward_lines]
    good.forward_lines = [l.replace("forward-source MOBILE", "forward-source TLSROOM") for l in good.forward_lines] + ["forward-ca " + ca]
    bad = make_daemon(ctx["binary"], ctx["tmp"], "tls-bad", "MOBILE", pg)
    bad.forward_lines = [l.replace("127.0.0.1", "localhost").replace("sslmode=disable", "sslmode=verify-full") for l in bad.forward_lines]
    bad.forward_lines = [l.replace("forward-source MOBILE", "forward-source BADCA") for l in bad.forward_lines] + ["forward-ca " + other_ca]
    good.start()
    bad.start()
    try:
        ctx["traffic"].send(good, "MOBILE", 100)
        ctx["traffic"].send(bad, "MOBILE", 100)
        wait_for("the TLS room's rows", lambda: pg.rows("SELECT count(*) FROM dcr_events WHERE source = 'TLSROOM'")[0][0] == "100", timeout=60)
        wait_for("a certificate failure logged", lambda: "forward: cannot reach the server" in bad.log(), timeout=30)
        line = next(l for l in bad.log().splitlines() if "forward:" in l)
        assert re.search(r"certificate|CERTIFICATE", line) and "retrying in" in line, line
        assert pg.rows("SELECT count(*) FROM dcr_events WHERE source = 'BADCA'")[0][0] == "0"
        ssl_rows = pg.rows("SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = 'dcr_forwarder'")
        # H17 and SKYEN forward with sslmode=disable; the TLS room's connection is the encrypted one.
        assert sorted(r[0] for r in ssl_rows) == ["f", "f", "t"], ssl_rows
        ctx["traffic"].send(bad, "MOBILE", 10)   # terminals are still acknowledged
        wait_for("the lag of the refused room", lambda: bad.status()["forward"]["lag_events"] == 110, timeout=30)
    finally:
        codes = (good.stop(), bad.stop())
        assert codes == (0, 0), "exit codes %s\n%s\n%s" % (codes, crash_excerpt(good.log()), crash_excerpt(bad.log()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dcrd", default=os.path.join(ROOT, ".build", "debug", "dcrd"))
    parser.add_argument("--proto-dir", default=os.path.join(ROOT, "Proto"))
    parser.add_argument("--events", type=int, default=50000)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda n, f: (_ for _ in ()).throw(KeyboardInterrupt("signal %d" % n)))
    passed, failed = 0, 0
    tmp = tempfile.mkdtemp(prefix="dcr-forward-")
    ctx = {"binary": os.path.abspath(args.dcrd), "tmp": tmp, "events": args.events, "traffic": Traffic(16)}
    daemons = []
    pg = None
    try:
        peer.pb = peer.generate(args.proto_dir, os.path.join(tmp, "gen"))
        pg = ctx["pg"] = Postgres(tmp)
        a = ctx["a"] = make_daemon(ctx["binary"], tmp, "a", "H17", pg)
        b = ctx["b"] = make_daemon(ctx["binary"], tmp, "b", "SKYEN", pg)
        daemons = [a, b]
        share_key(daemons, tmp)
        for d in daemons:
            d.start()
        for test in [test_every_event_once_through_an_outage_and_a_kill, test_central_views_equal_the_local_reports,
                     test_the_grants_of_deploy_readme, test_a_wrong_password_is_one_clear_line_per_attempt_and_terminals_go_on,
                     test_verify_full_checks_the_servers_certificate]:
            try:
                test(ctx)
                passed += 1
                print("ok     " + test.__name__)
            except Exception:
                failed += 1
                print("FAILED " + test.__name__)
                traceback.print_exc(file=sys.stdout)
                for d in daemons:
                    print("--- %s log (tail) ---\n%s" % (d.site, "\n".join(d.log().splitlines()[-15:])))
    except BaseException:
        failed += 1
        traceback.print_exc(file=sys.stdout)
    finally:
        for d in daemons:
            d.stop()
        if pg is not None:
            pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
