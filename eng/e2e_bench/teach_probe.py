# Copyright (c) Stickpeer contributors. Licensed under the MIT License.
"""What does a HAProxy learner pay for the form of a lesson? (issue 12)

  record  a teacher (h = haproxy, s = Stickpeer daemon) is filled with N entries through its stats
          socket, then a scripted learner (this script, peer "l") connects, asks for a lesson (00 00),
          acknowledges each read as HAProxy does and keeps every message the teacher sends, with its
          arrival time, for `--linger` seconds after the lesson's end.
  replay  a fresh haproxy learner connects to this script (peer "t"); after its 00 00 the script
          sends a recorded lesson, rewritten as asked (--order, --ids), then 00 01, and reports the
          learner's CPU (user + system, /proc) from just before the first byte until it holds N.
  show    a summary of a recording: message types, bytes per entry, what came before and after the lesson.

The same entries go to the learner in each variant, so the CPU difference between two variants is
the cost of the order or the id form alone. Only loopback sockets; every wait is bounded.
"""

import argparse
import os
import pickle
import random
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.dirname(__file__))
from procs import (STRING_DATA, Node, free_ports, populate, set_lines, stop_all, string_key)  # noqa: E402

UPDATE_TYPES = {0x80, 0x81, 0x85, 0x86}


class Env:
    def __init__(self, haproxy, daemon):
        self.haproxy = haproxy
        self.daemon_argv = [daemon]
        self.daemon_env = {}


def varint(v):
    """HAProxy's intencode."""
    if v < 240:
        return bytes([v])
    out = [(v | 240) & 255]
    v = (v - 240) >> 4
    while v >= 128:
        out.append((v | 128) & 255)
        v = (v - 128) >> 7
    out.append(v)
    return bytes(out)


def read_varint(b, p):
    v = b[p]
    p += 1
    if v < 240:
        return v, p
    shift = 4
    while True:
        c = b[p]
        p += 1
        v += c << shift
        shift += 7
        if c < 128:
            return v, p


def split_messages(buf):
    """Complete messages at the start of buf: ([(cls, type, raw bytes, payload offset)], bytes used)."""
    out, p = [], 0
    while p + 2 <= len(buf):
        cls, typ = buf[p], buf[p + 1]
        if typ < 128:
            out.append((cls, typ, bytes(buf[p:p + 2]), 2))
            p += 2
            continue
        try:
            length, q = read_varint(buf, p + 2)
        except IndexError:
            break
        if q + length > len(buf):
            break
        out.append((cls, typ, bytes(buf[p:q + length]), q - p))
        p = q + length
    return out, p


def read_line(sock, buf):
    for _ in range(1000):
        if b"\n" in buf:
            line, rest = buf.split(b"\n", 1)
            return line, rest
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed during handshake")
        buf += chunk
    raise RuntimeError("no line")


class Tracker:
    """Table ids and the last update id received per table, to acknowledge like a learner."""

    def __init__(self):
        self.table, self.last = None, {}

    def see(self, cls, typ, raw, off):
        if cls != 10:
            return
        if typ in (0x82, 0x83):  # DEFINE, SWITCH: the table id comes first
            self.table, _ = read_varint(raw, off)
        elif typ in UPDATE_TYPES and self.table is not None:
            if typ in (0x80, 0x85):
                self.last[self.table] = struct.unpack_from(">I", raw, off)[0]
            else:
                self.last[self.table] = (self.last.get(self.table, 0) + 1) & 0xFFFFFFFF

    def acks(self, sent):
        out = b""
        for t, i in self.last.items():
            if sent.get(t) != i:
                payload = varint(t) + struct.pack(">I", i)
                out += bytes([10, 0x84]) + varint(len(payload)) + payload
                sent[t] = i
        return out


def record(args):
    env = Env(args.haproxy, args.daemon)
    pt, pl = free_ports(2)
    d = tempfile.mkdtemp(prefix="teach-probe-")
    try:
        t = Node(env, args.teacher, d, "t", [("t", pt), ("l", pl)], None)
        t.wait_cli()
        fill = populate(t.sock, set_lines("s", (string_key(i) for i in range(args.entries)), STRING_DATA))
        print(f"filled {args.entries} in {fill:.2f} s", file=sys.stderr)
        time.sleep(args.wait)
        s = socket.create_connection(("127.0.0.1", pt), timeout=10)
        s.sendall(b"HAProxyS 2.1\nt\nl 4242 1\n")
        status, buf = read_line(s, b"")
        if status != b"200":
            raise RuntimeError(f"handshake: {status!r}")
        start = time.monotonic()
        s.sendall(b"\x00\x00")
        msgs, tracker, acked, end_at = [], Tracker(), {}, None
        deadline = start + 120
        s.settimeout(0.2)
        while time.monotonic() < deadline and (end_at is None or time.monotonic() < end_at + args.linger):
            try:
                chunk = s.recv(1 << 18)
            except socket.timeout:
                continue
            if not chunk:
                break
            now = time.monotonic() - start
            buf += chunk
            got, used = split_messages(buf)
            buf = buf[used:]
            for cls, typ, raw, off in got:
                msgs.append((now, cls, typ, raw, off))
                tracker.see(cls, typ, raw, off)
                if cls == 0 and typ == 0:  # the teacher asks us for a lesson: we have none
                    s.sendall(b"\x00\x01")
                if cls == 0 and typ in (1, 2) and end_at is None:
                    end_at = time.monotonic()
            ack = tracker.acks(acked)
            if ack:
                s.sendall(ack)
        s.close()
        with open(args.out, "wb") as f:
            pickle.dump({"teacher": args.teacher, "entries": args.entries, "messages": msgs}, f)
        print(f"recorded {len(msgs)} messages to {args.out}", file=sys.stderr)
    finally:
        stop_all()


def lesson_of(rec):
    """(before, define, updates, after): the lesson is the first DEFINE after our 00 00 up to 00 01/00 02."""
    msgs = rec["messages"]
    end = next(i for i, m in enumerate(msgs) if m[1] == 0 and m[2] in (1, 2))
    return msgs, end


def parse_update(raw, off, typ, last_id):
    p = off
    uid = None
    if typ in (0x80, 0x85):
        uid = struct.unpack_from(">I", raw, p)[0]
        p += 4
    else:
        uid = (last_id + 1) & 0xFFFFFFFF
    expire = None
    if typ in (0x85, 0x86):
        expire = raw[p:p + 4]
        p += 4
    klen, q = read_varint(raw, p)
    key = raw[q:q + klen]
    return uid, expire, key, raw[p:]  # raw[p:] = key and values


def show(args):
    rec = pickle.load(open(args.file, "rb"))
    msgs, end = lesson_of(rec)
    n = rec["entries"]
    counts, sizes, last, table = {}, {}, 0, None
    phase = "before"
    per_phase = {}
    explicit_gaps = 0
    for t, cls, typ, raw, off in msgs:
        if cls == 10 and typ in UPDATE_TYPES:
            uid, _, _, _ = parse_update(raw, off, typ, last)
            last = uid
        k = (phase, cls, typ)
        counts[k] = counts.get(k, 0) + 1
        sizes[k] = sizes.get(k, 0) + len(raw)
        if cls == 0 and typ in (1, 2) and phase == "before":
            phase = "after"
        elif cls == 10 and typ == 0x82 and phase == "before":
            pass
    for k in sorted(counts):
        print(f"{k[0]:6} class {k[1]:3} type 0x{k[2]:02x}: {counts[k]:8} messages, {sizes[k]:10} bytes, {sizes[k] / max(1, counts[k]):.1f} B each")
    lesson_bytes = sum(len(m[3]) for m in msgs[:end + 1])
    print(f"up to the lesson's end: {lesson_bytes} bytes = {lesson_bytes / n:.2f} B/entry; lesson end at {msgs[end][0]:.3f} s; last message at {msgs[-1][0]:.3f} s")


def build(rec, order, ids, expires="asis", seed=1):
    """The lesson's update messages for the string table, rewritten: a list of message bytes (with the DEFINE first)."""
    msgs, end = lesson_of(rec)
    define, updates, last, table = None, [], 0, None
    for t, cls, typ, raw, off in msgs[:end]:
        if cls == 10 and typ == 0x82:
            table, _ = read_varint(raw, off)
            p = off
            _, p = read_varint(raw, p)
            nlen, p = read_varint(raw, p)
            name = raw[p:p + nlen]
            if name.endswith(b"/s") or name == b"s" or name.endswith(b"mesh/s"):
                define, wanted = raw, table
            continue
        if cls == 10 and typ in UPDATE_TYPES:
            uid, expire, key, body = parse_update(raw, off, typ, last)
            last = uid
            if define is not None and table == wanted:
                updates.append((uid, expire, key, body))
    seen, uniq = set(), []
    for u in reversed(updates):  # a key sent twice (changed during the lesson): keep its last
        if u[2] not in seen:
            seen.add(u[2])
            uniq.append(u)
    updates = list(reversed(uniq))
    if order == "key":
        updates.sort(key=lambda u: u[2])
    elif order == "id":
        updates.sort(key=lambda u: u[0])
    elif order == "random":
        random.Random(seed).shuffle(updates)
    elif order == "shards":  # our old walk: key order hashed into 16 shards, one shard after the other
        updates.sort(key=lambda u: (zlib.crc32(u[2]) & 15, u[2]))
    elif order.startswith("window"):  # key order shuffled within windows of W entries
        w = int(order[6:])
        updates.sort(key=lambda u: u[2])
        rnd = random.Random(seed)
        out = []
        for i in range(0, len(updates), w):
            part = updates[i:i + w]
            rnd.shuffle(part)
            out += part
        updates = out
    if expires != "asis":  # the same expire values, given out in send order (sorted) or at random
        pool = sorted(u[1] for u in updates)
        if expires == "random":
            random.Random(seed + 1).shuffle(pool)
        updates = [(u[0], e, u[2], u[3]) for u, e in zip(updates, pool)]
    out, prev = [define], None
    for i, (uid, expire, key, body) in enumerate(updates):
        if ids == "renumber":
            uid = i + 1
        explicit = ids == "explicit" or prev is None or uid != (prev + 1) & 0xFFFFFFFF
        if ids == "asis-explicit":
            explicit = True
        typ = 0x85 if explicit else 0x86
        payload = (struct.pack(">I", uid) if explicit else b"") + (expire or b"\x00\x1b\x77\x40") + body
        out.append(bytes([10, typ]) + varint(len(payload)) + payload)
        prev = uid
    return out, len(updates)


def replay_once(args, lesson, n):
    pt, pl = free_ports(2)
    d = tempfile.mkdtemp(prefix="teach-probe-")
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", pt))
    ls.listen(4)
    ls.settimeout(15)
    env = Env(args.haproxy, args.daemon)
    try:
        l = Node(env, "h", d, "l", [("t", pt), ("l", pl)], None)
        l.wait_cli()
        s, _ = ls.accept()
        s.settimeout(10)
        buf = b""
        for _ in range(3):
            _, buf = read_line(s, buf)
        s.sendall(b"200\n")
        for _ in range(100):  # until its 00 00
            got, used = split_messages(buf)
            if any(m[0] == 0 and m[1] == 0 for m in got):
                break
            buf = buf[used:]
            buf += s.recv(4096)
        time.sleep(0.05)
        cpu0 = l.cpu()
        t0 = time.monotonic()
        data = b"".join(lesson) + b"\x00\x01"
        s.setblocking(True)
        import threading
        stop = threading.Event()

        def drain():
            s.settimeout(0.2)
            while not stop.is_set():
                try:
                    if not s.recv(65536):
                        return
                except socket.timeout:
                    continue
                except OSError:
                    return
        th = threading.Thread(target=drain, daemon=True)
        th.start()
        chunk = args.chunk
        for i in range(0, len(data), chunk):
            s.sendall(data[i:i + chunk])
        seen = l.wait_used("s", n, 120, poll=0.005)
        cpu1 = l.cpu()
        stop.set()
        s.close()
        return cpu1 - cpu0, seen - t0, len(data) / n
    finally:
        ls.close()
        stop_all()


def replay(args):
    rec = pickle.load(open(args.file, "rb"))
    variants = [v.split(":") for v in args.variants.split(",")]
    built = {}
    for v in variants:
        order, ids, expires = (v + ["asis"])[:3]
        built[(order, ids + ("" if expires == "asis" else "/exp-" + expires))] = build(rec, order, ids, expires)
    results = {k: [] for k in built}
    for r in range(args.runs):
        for k, (lesson, n) in built.items():
            cpu, secs, bpe = replay_once(args, lesson, n)
            results[k].append((cpu, secs, bpe))
            print(f"run {r} {k[0]:>10}:{k[1]:<20} n={n} learner cpu {cpu:.3f} s, {secs * 1000:.0f} ms, {bpe:.2f} B/entry", flush=True)
    print("\nmedians:")
    for k, rs in results.items():
        cpus = sorted(x[0] for x in rs)
        secs = sorted(x[1] for x in rs)
        print(f"{k[0]:>10}:{k[1]:<20} cpu {cpus[len(cpus) // 2]:.3f} s ({cpus[0]:.2f}-{cpus[-1]:.2f}), "
              f"{secs[len(secs) // 2] * 1000:.0f} ms, {rs[0][2]:.2f} B/entry")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--haproxy", default="/usr/sbin/haproxy")
    ap.add_argument("--daemon", default="")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record")
    r.add_argument("teacher", choices=["h", "s"])
    r.add_argument("out")
    r.add_argument("--entries", type=int, default=100_000)
    r.add_argument("--wait", type=float, default=0.5, help="seconds between the fill and the lesson request")
    r.add_argument("--linger", type=float, default=2.0)
    s = sub.add_parser("show")
    s.add_argument("file")
    p = sub.add_parser("replay")
    p.add_argument("file")
    p.add_argument("--variants", default="id:asis,key:asis,random:asis",
                   help="order:ids,... order = asis|id|key|random|shards|windowW; ids = asis|explicit|renumber; optional :expires = asis|sorted|random")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--chunk", type=int, default=65536)
    args = ap.parse_args()
    {"record": record, "show": show, "replay": replay}[args.cmd](args)


if __name__ == "__main__":
    main()
