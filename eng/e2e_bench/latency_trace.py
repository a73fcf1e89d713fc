# Copyright (c) Stickpeer contributors. Licensed under the MIT License.
"""Diagnostic for the latency phase: where a probe's time goes, writer side or reader side.

Runs the latency phase's set-up (linked pair, background rate on the writer) for one pairing with
tcpdump capturing the peer link, and splits each probe's latency at the moment the update carrying
its key appears on the wire: writer CLI send -> on the wire (writer), on the wire -> reader answers
(reader). Also prints the context switches of both processes and (Stickpeer reader) the gen0
collections during the probes. Needs tcpdump; wall clock (time.time) on both sides of the split.

    python3 eng/e2e_bench/latency_trace.py --daemon <aot>/stickpeer --pair hs [--probes 300] [--tls]
"""

import argparse
import glob
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import phases  # noqa: E402
from main import Env, certificates  # noqa: E402
from procs import Prompt, free_ports, stop_all  # noqa: E402


def switches(pid):
    vol = inv = 0
    for st in glob.glob(f"/proc/{pid}/task/*/status"):
        try:
            with open(st, encoding="ascii") as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches"):
                        vol += int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches"):
                        inv += int(line.split()[1])
        except OSError:
            pass
    return vol, inv


def gen0(node):
    if node.kind != "s":
        return None
    m = re.search(r"gen0 (\d+) gen1 (\d+) gen2 (\d+)", node.cli("debug gc\n"))
    return tuple(int(x) for x in m.groups()) if m else None


def packets(path):
    """(timestamp, src port, dst port, payload) of each TCP segment with payload in a pcap (Ethernet, lo)."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    nano = magic == 0xA1B23C4D
    linktype = struct.unpack("<I", data[20:24])[0]
    off, out = 24, []
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        ts = sec + frac / (1e9 if nano else 1e6)
        ip = pkt[14:] if linktype == 1 else pkt[16:]  # Ethernet or Linux cooked
        if len(ip) < 20 or ip[0] >> 4 != 4:
            continue
        ihl = (ip[0] & 15) * 4
        tcp = ip[ihl:]
        if len(tcp) < 20:
            continue
        sport, dport = struct.unpack(">HH", tcp[:4])
        doff = (tcp[12] >> 4) * 4
        payload = tcp[doff:]
        if payload:
            out.append((ts, sport, dport, payload))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--daemon", required=True)
    ap.add_argument("--haproxy", default="/usr/sbin/haproxy")
    ap.add_argument("--pair", default="hs")
    ap.add_argument("--probes", type=int, default=300)
    ap.add_argument("--rate", type=int, default=20000)
    ap.add_argument("--daemon-env", action="append", default=[])
    ap.add_argument("--tls", action="store_true")
    args = ap.parse_args()
    env = Env(args.haproxy, args.daemon, args.daemon_env)
    writer, reader = args.pair[0], args.pair[1]
    pcap = tempfile.mktemp(suffix=".pcap")
    tls = certificates(tempfile.mkdtemp(prefix="stickpeer-trace-")) if args.tls else None
    try:
        with phases.Scratch() as s:
            w, r = phases._linked_pair(env, s, writer, reader, tls)
            ports = [int(p.split(":")[1]) for p in re.findall(r"peer \w+ (127\.0\.0\.1:\d+)", open(os.path.join(s.dir, "w.cfg")).read())]
            dump = subprocess.Popen(["tcpdump", "-i", "lo", "-s", "0", "-B", "16384", "-U", "-w", pcap,
                                     "tcp and (port %d or port %d)" % tuple(ports)], stderr=subprocess.DEVNULL)
            time.sleep(1.0)
            bg = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "background.py"), w.sock,
                                   str(args.rate), str(args.probes * 0.012 + 30)], stdout=subprocess.PIPE, text=True)
            time.sleep(1.0)
            g0 = gen0(r)
            sw0, sr0 = switches(w.pid), switches(r.pid)
            c0w, c0r = w.cpu(), r.cpu()
            wp, rp = Prompt(w.sock), Prompt(r.sock)
            rows = []
            for j in range(args.probes):
                key = f"probe{j}".encode()
                t0 = time.time()
                wp.ask(f"set table mesh/s key probe{j} data.gpc0 1")
                tset = time.time()
                asks = 0
                while True:
                    answer = rp.ask(f"show table mesh/s key probe{j}")
                    asks += 1
                    now = time.time()
                    if b"key=" + key in answer or now > t0 + 5:
                        rows.append((j, t0, tset, now, asks))
                        break
                    time.sleep(0.0002)
                time.sleep(0.005)
            wp.close()
            rp.close()
            sw1, sr1 = switches(w.pid), switches(r.pid)
            c1w, c1r = w.cpu(), r.cpu()
            g1 = gen0(r)
            bg.send_signal(signal.SIGINT)
            bg.communicate(10)
            time.sleep(0.3)
            dump.send_signal(signal.SIGINT)
            dump.wait(10)
    finally:
        stop_all()
    pk = packets(pcap)
    os.unlink(pcap)
    # The writer's side of the link: the port of whichever end sends the probe keys.
    first = {}
    back = []  # (ts, payload bytes) of segments in the other direction
    wire_dir = None
    for ts, sp, dp, pl in pk:
        if b"probe" in pl:
            wire_dir = wire_dir or (sp, dp)
        if wire_dir and (sp, dp) != wire_dir:
            back.append(ts)
        for m in re.finditer(rb"probe", pl):
            # String keys go out as <length><bytes>: the length byte says where the digits end.
            i = m.start()
            if i > 0:
                key = pl[i:i + pl[i - 1]]
                if len(key) > 5 and key[5:].isdigit():
                    first.setdefault(int(key[5:]), ts)
    total, wside, rside = [], [], []
    detail = []
    for j, t0, tset, tans, asks in rows:
        tw = first.get(j)
        total.append(tans - t0)
        if tw is not None:
            wside.append(tw - t0)
            rside.append(tans - tw)
            detail.append((tans - t0, tw - t0, tans - tw, tset - t0, asks, j))

    def pct(v, p):
        v = sorted(v)
        return v[min(len(v) - 1, int(p * len(v)))] * 1000 if v else float("nan")

    fwd = len(pk) - len(back)
    side = "?" if not wire_dir else ("the reader connected to the writer" if wire_dir[0] == ports[0] else "the writer connected to the reader")
    print(f"pair {args.pair}: {len(rows)} probes, {len(first)} seen on the wire; link: {side}; "
          f"{fwd} segments writer->reader, {len(back)} back")
    for name, v in (("total", total), ("writer: send -> wire", wside), ("reader: wire -> answer", rside)):
        print(f"  {name:24s} p50 {pct(v, .5):.3f}  p90 {pct(v, .9):.3f}  p99 {pct(v, .99):.3f}  max {pct(v, 1):.3f} ms")
    print(f"  writer ctx switches vol/invol {sw1[0] - sw0[0]}/{sw1[1] - sw0[1]}, CPU {c1w - c0w:.2f} s; "
          f"reader {sr1[0] - sr0[0]}/{sr1[1] - sr0[1]}, CPU {c1r - c0r:.2f} s; reader gc before/after {g0} {g1}")
    print("  slowest: total, writer, reader, set-prompt (ms), asks")
    for d in sorted(detail, reverse=True)[:8]:
        print(f"    probe{d[5]}: {d[0] * 1000:.3f} = {d[1] * 1000:.3f} + {d[2] * 1000:.3f}  (set answered {d[3] * 1000:.3f}, asks {d[4]})")


if __name__ == "__main__":
    main()
