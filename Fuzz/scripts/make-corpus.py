#!/usr/bin/env python3
"""Writes the seed corpus under Fuzz/corpus/ (committed; rerun only to change the seeds).

The frames are built by hand from the protobuf encoding rules, sharing no code with dcr, so the
seeds cover every request kind, and the hostile shapes of issue 17: NUL bytes and invalid UTF-8 in
strings, a body split over two occurrences, field numbers past 2^29-1, bad frame flags.
"""
import os, struct, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..", "corpus")

def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append(v & 0x7F | 0x80); v >>= 7
    out.append(v)
    return bytes(out)

def key(n, t): return varint(n << 3 | t)
def vi(n, v): return key(n, 0) + varint(v & (1 << 64) - 1)
def ld(n, b): return key(n, 2) + varint(len(b)) + (b if isinstance(b, bytes) else b.encode())
def frame(payload, flags=0): return bytes([flags]) + struct.pack(">I", len(payload)) + payload
def request(rid, field, body): return vi(1, rid) + ld(field, body)

EVENT_ID = bytes(range(1, 17))
NOW = 1_767_225_600_000
TOKEN = "fuzz-admin-token-0123456789abcdef"

def header(site="H17", booth=3, eid=EVENT_ID, at=NOW):
    return ld(1, eid) + ld(2, site) + vi(3, at) + vi(4, booth)

hello = ld(2, "fuzz terminal") + vi(1, 1) + vi(3, 1) + ld(4, TOKEN)
intake = header() + ld(10, "client-7") + vi(11, 1) + vi(12, 34) + vi(13, 101) + vi(14, 1) + vi(15, 1)
release = header()
incident = header() + vi(10, 7) + vi(11, 2) + vi(12, 1) + ld(13, "client-7") + vi(14, 3)
referral = header() + ld(10, "client-7") + vi(11, 1) + vi(12, 5)
report = vi(1, 2) + ld(2, "2026-01-01") + ld(3, "2026-01-31") + ld(4, bytes([1, 3])) + ld(5, "H17") + ld(5, "SKYEN") \
    + key(6, 1) + struct.pack("<d", 12.0)

requests = {
    "hello": request(1, 10, hello),
    "ping": request(2, 11, vi(1, 42)),
    "cancel": request(3, 12, vi(1, 7)),
    "intake": request(4, 20, intake),
    "booth_release": request(5, 21, release),
    "incident": request(6, 22, incident),
    "referral": request(7, 23, referral),
    "status": request(8, 30, b""),
    "load": request(9, 31, ld(1, "H17")),
    "report": request(10, 32, report),
    "watch": request(11, 33, vi(1, 100) + ld(2, "SKYEN")),
    "reload": request(12, 40, b""),
    # issue 17's hostile shapes
    "site_nul": request(13, 20, header(site="H17\0junk") + ld(10, "c")),
    "code_bad_utf8": request(14, 20, header() + ld(10, b"m\xc0\x80x")),
    "code_nul": request(15, 23, header() + ld(10, "m\0one") + vi(12, 1)),
    "split_body": vi(1, 16) + ld(20, header()) + ld(20, ld(10, "client-8") + vi(12, 40)),
    "split_bad_first": vi(1, 17) + ld(20, header() + ld(10, b"\xff")) + ld(20, ld(10, "ok")),
    "oneof_replaced": vi(1, 18) + ld(11, vi(1, 1)) + ld(31, ld(1, "H17")),
    "big_field_number": vi(1, 19) + key((1 << 29) + 1, 0) + varint(1) + ld(11, vi(1, 1)),
    "credential_nul": request(20, 10, vi(1, 1) + ld(4, TOKEN + "\0anything")),
    "combining_code": request(21, 20, header() + ld(10, "a" + "\u0301" * 80)),
    "old_event": request(22, 21, header(at=1000)),
    "unknown_body": vi(1, 23) + ld(99, b"\x08\x01"),
}

def write(target, name, data):
    d = os.path.join(root, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

for name, payload in requests.items():
    write("decode", name, frame(payload))
write("decode", "pipelined", b"".join(frame(requests[k]) for k in ("hello", "intake", "ping", "status")))
write("decode", "bad_flags", frame(requests["ping"], flags=1))
write("decode", "too_large", b"\x00\xff\xff\xff\xff")

# Session: switches, 4 seed bytes, then the stream (switch bit 0 sends a valid Hello first).
def session(name, switches, seed, names, tail=b""):
    stream = b"".join(frame(requests[k]) if k in requests else k for k in names)
    write("session", name, bytes([switches]) + struct.pack("<I", seed) + stream + tail)

session("hello_then_all", 0, 0, ["hello", "intake", "booth_release", "incident", "referral", "ping", "status",
                                 "load", "report", "watch", "cancel", "reload"])
session("auto_hello_events", 1, 12345, ["intake", "referral", "incident", "intake"])
session("events_then_bad_frame", 1, 7, ["intake", "referral", frame(requests["ping"], flags=1)])
session("events_then_half_close", 1 | 2, 99, ["intake", "incident", "ping"])
session("before_hello", 0, 3, ["ping", "intake"])
session("bad_hello", 0, 5, ["credential_nul", "intake"])
session("silent", 4, 0, [])
session("undecodable", 1, 11, ["intake", b"\x00\x00\x00\x00\x02\xff\xff"])
session("duplicate_event", 1, 13, ["intake", "intake", "split_body"])
session("too_large", 1, 17, ["intake"], b"\x00\x00\x00\x10\x01")

with open(os.path.join(here, "..", "..", "Deploy", "dcrd.conf"), "rb") as f:
    write("config", "shipped", f.read())
write("config", "small", b"listen unix:/run/dcr/dcrd.sock\nlisten tcp:127.0.0.1:7411\nsite H17 12\nsite SKYEN 6\n"
      b"token booth-1 terminal /etc/dcr/tokens/booth-1\nunix-role gid 998 monitor\nunix-role anyone terminal\n"
      b"time-zone Europe/Copenhagen\nmax-output-bytes 2048\noutput-buffer-bytes 1024\n")
write("config", "errors", b"site h17 0\nlisten tcp:[::1]:99999\nnope\n")
write("config", "limits", b"hello-timeout 5\nmax-unauthenticated 8\nmax-connections-per-peer 4\n"
      b"hello-failure-delay-ms 250\nrefusal-log-interval 30\nunix-role uid root admin # comment\n")
print("corpus written under", os.path.normpath(root))
