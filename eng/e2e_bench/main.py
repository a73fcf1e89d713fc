# Copyright (c) Stickpeer contributors. Licensed under the MIT License.
"""eng/e2e-bench.sh's driver: HAProxy and Stickpeer side by side in one run (see the shell script)."""

import argparse
import atexit
import datetime
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import phases
from procs import IP_TABLE, STRING_TABLE, stop_all

PAIRS = [("h", "h"), ("h", "s"), ("s", "h"), ("s", "s")]
NAME = {"h": "HAProxy", "s": "Stickpeer"}


class Env:
    def __init__(self, haproxy, daemon, daemon_env):
        self.haproxy = haproxy
        self.daemon_argv = ["dotnet", daemon] if daemon.endswith(".dll") else [daemon]
        self.daemon_env = dict(kv.split("=", 1) for kv in daemon_env)


def load():
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


def certificates(d):
    """A CA and one leaf (serverAuth + clientAuth) signed by it, with openssl: mutual TLS, verify required."""
    def run(*argv):
        subprocess.run(["openssl", *argv], check=True, capture_output=True, timeout=60)
    ca_key, ca, key, csr, crt = (os.path.join(d, f) for f in ("ca.key", "ca.pem", "leaf.key", "leaf.csr", "leaf.crt"))
    ext = os.path.join(d, "leaf.ext")
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca_key, "-out", ca,
        "-days", "2", "-subj", "/CN=stickpeer-e2e-ca")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=peers")
    with open(ext, "w", encoding="ascii") as f:
        f.write("subjectAltName=DNS:peers,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n")
    run("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", crt, "-days", "2", "-extfile", ext)
    combined = os.path.join(d, "peers.pem")
    with open(combined, "w", encoding="ascii") as f:
        f.write(open(crt, encoding="ascii").read() + open(key, encoding="ascii").read())
    return {"crt": combined, "ca": ca}


def fmt_range(values, scale=1.0, digits=0):
    vals = [v * scale for v in values if v is not None]
    if not vals:
        return "n/a", None
    med = statistics.median(vals)
    return f"{med:,.{digits}f} ({min(vals):,.{digits}f}–{max(vals):,.{digits}f})", med


def table(title, header, rows):
    print(f"\n{title}")
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))


def guarded(what, fn):
    try:
        return fn()
    except Exception as e:  # one failed measurement is reported, the others still run
        print(f"  {what}: FAILED: {e}", file=sys.stderr, flush=True)
        return None


def run_pass(env, args, tls, label):
    n, runs = args.entries, args.runs
    print(f"\n## {label} (load {load()})", flush=True)
    pairs = [p for p in PAIRS if f"{p[0]}{p[1]}" in args.pairs]

    if "resync" in args.phases:
        res = {p: [] for p in pairs}
        for r in range(runs):  # rounds interleave the pairs so load changes hit them alike
            for p in pairs:
                m = guarded(f"resync {p} run {r + 1}", lambda: phases.resync(env, p[0], p[1], n, tls))
                if m:
                    res[p].append(m)
                    print(f"  resync {NAME[p[0]]}→{NAME[p[1]]} run {r + 1}: {m['seconds'] * 1000:.0f} ms, {m['wire'] or 0:.1f} B/entry, "
                          f"learner CPU {m['learner_cpu']:.2f} s, teacher CPU {m['teacher_cpu']:.2f} s (load {load()})", flush=True)
        ref = statistics.median([m["rate"] for m in res.get(("h", "h"), [])]) if res.get(("h", "h")) else None
        rows = []
        for p in pairs:
            ms = res[p]
            rate, med = fmt_range([m["rate"] for m in ms])
            secs, _ = fmt_range([m["seconds"] for m in ms], 1000)
            wire, _ = fmt_range([m["wire"] for m in ms], digits=1)
            cpu, _ = fmt_range([m["learner_cpu"] for m in ms], digits=2)
            tcpu, _ = fmt_range([m["teacher_cpu"] for m in ms], digits=2)
            fill, _ = fmt_range([m["fill"] for m in ms])
            ratio = f"{med / ref:.2f}×" if med and ref else "n/a"
            rows.append([f"{NAME[p[0]]} → {NAME[p[1]]}", secs, rate, ratio, wire, cpu, tcpu, fill])
        table(f"Full resync of {n:,} entries (mesh/s), learner start → used:{n} [{label}]",
              ["teacher → learner", "ms", "entries/s", "vs HAProxy→HAProxy", "wire B/entry", "learner CPU s", "teacher CPU s",
               "teacher fill lines/s (excluded)"], rows)

    if "propagation" in args.phases:
        res = {p: [] for p in pairs}
        for r in range(runs):
            for p in pairs:
                m = guarded(f"propagation {p} run {r + 1}", lambda: phases.propagation(env, p[0], p[1], args.updates, tls))
                if m:
                    res[p].append(m)
                    print(f"  propagation {NAME[p[0]]}→{NAME[p[1]]} run {r + 1}: {m['rate']:,.0f} updates/s "
                          f"(writer accepted {m['accept']:,.0f} lines/s) (load {load()})", flush=True)
        ref = statistics.median([m["rate"] for m in res[("h", "h")]]) if res.get(("h", "h")) else None
        rows = []
        for p in pairs:
            rate, med = fmt_range([m["rate"] for m in res[p]])
            acc, _ = fmt_range([m["accept"] for m in res[p]])
            rows.append([f"{NAME[p[0]]} → {NAME[p[1]]}", rate, f"{med / ref:.2f}×" if med and ref else "n/a", acc])
        table(f"Incremental propagation: {args.updates:,} distinct keys pipelined into the writer's stats socket → reader holds them all [{label}]",
              ["writer → reader", "updates/s", "vs HAProxy→HAProxy", "writer accepted lines/s"], rows)

    if "latency" in args.phases:
        res = {p: [] for p in pairs}
        for r in range(runs):
            for p in pairs:
                m = guarded(f"latency {p} run {r + 1}", lambda: phases.latency(env, p[0], p[1], args.probes, args.rate, tls))
                if m:
                    res[p].append(m)
                    print(f"  latency {NAME[p[0]]}→{NAME[p[1]]} run {r + 1}: p50 {m['p50'] * 1e3:.2f} p99 {m['p99'] * 1e3:.2f} "
                          f"p999 {m['p999'] * 1e3:.2f} ms, lost {m['lost']}, background {m['background']}/s (load {load()})", flush=True)
        ref = statistics.median([m["p99"] for m in res[("h", "h")]]) if res.get(("h", "h")) else None
        rows = []
        for p in pairs:
            ms = res[p]
            p50, _ = fmt_range([m["p50"] for m in ms], 1000, 2)
            p99, med = fmt_range([m["p99"] for m in ms], 1000, 2)
            p999, _ = fmt_range([m["p999"] for m in ms], 1000, 2)
            lost = sum(m["lost"] for m in ms)
            rows.append([f"{NAME[p[0]]} → {NAME[p[1]]}", p50, p99, f"{med / (ref * 1000):.2f}×" if med and ref else "n/a", p999, lost])
        table(f"Single-update latency, writer `set table` sent → reader's `show table … key` answers it, {args.probes} probes per run, "
              f"background {args.rate:,} updates/s on the writer [{label}]",
              ["writer → reader", "p50 ms", "p99 ms", "p99 vs HAProxy→HAProxy", "p999 ms", "probes lost"], rows)

    if "memory" in args.phases and not tls:
        rows = []
        for tname, decl in (("s", STRING_TABLE), ("i", IP_TABLE)):
            res = {"h": [], "s": []}
            for r in range(runs):
                for kind in ("h", "s"):
                    m = guarded(f"memory {kind} {tname} run {r + 1}", lambda: phases.memory(env, kind, tname, n))
                    if m:
                        res[kind].append(m)
                        heap = f", managed heap {m['heap']:.0f} B/entry" if m["heap"] is not None else ""
                        print(f"  memory {NAME[kind]} mesh/{tname} run {r + 1}: RSS {m['rss']:.0f} B/entry, marginal {m['marginal']:.0f} B/entry{heap} "
                              f"(load {load()})", flush=True)
            h, hmed = fmt_range([m["rss"] for m in res["h"]])
            sp, smed = fmt_range([m["rss"] for m in res["s"]])
            hm, hmm = fmt_range([m["marginal"] for m in res["h"]])
            sm, smm = fmt_range([m["marginal"] for m in res["s"]])
            heap, _ = fmt_range([m["heap"] for m in res["s"]])
            rows.append([f"`{decl}`", h, sp, f"{smed / hmed:.2f}×" if smed and hmed else "n/a", hm, sm,
                         f"{smm / hmm:.2f}×" if smm and hmm else "n/a", heap])
        table(f"Memory per entry: RSS growth of a fresh process while {n:,} entries are set (Stickpeer: after `debug gc`, a blocking compacting full GC)",
              ["declaration", "HAProxy RSS B/entry", "Stickpeer RSS B/entry", "Stickpeer / HAProxy", f"HAProxy marginal {n // 2:,}→{n:,}",
               "Stickpeer marginal", "marginal Stickpeer / HAProxy", "Stickpeer managed heap B/entry"], rows)

    if "cold" in args.phases:
        res = []
        for r in range(runs):
            m = guarded(f"cold run {r + 1}", lambda: phases.cold_warm(env, "h", args.cold_entries, tls))
            if m:
                res.append(m)
                print(f"  cold/warm run {r + 1}: start→used {m['cold_start'] * 1000:.0f} ms, first link→used {m['cold_link'] * 1000:.0f} ms "
                      f"(learner CPU {m['cold_cpu']:.2f} s), warm {m['warm'] * 1000:.0f} ms (load {load()})", flush=True)
        cs, _ = fmt_range([m["cold_start"] for m in res], 1000)
        cl, clm = fmt_range([m["cold_link"] for m in res], 1000)
        w, wm = fmt_range([m["warm"] for m in res], 1000)
        ccpu, _ = fmt_range([m["cold_cpu"] for m in res], digits=2)
        table(f"Cold start: the published daemon ({' '.join(env.daemon_argv)}) learning {args.cold_entries:,} entries from HAProxy [{label}]",
              ["daemon start → used ms", "its first link accepted → used ms (cold)", "same process, table cleared, new link → used ms (warm)", "cold / warm",
               "learner CPU s: start → used"],
              [[cs, cl, w, f"{clm / wm:.2f}×" if clm and wm else "n/a", ccpu]])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="100 000 entries, 50 000 updates, 300 probes")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tls", action="store_true", help="run every phase again over mutual TLS (verify required)")
    ap.add_argument("--tls-only", action="store_true", help="only the TLS pass")
    ap.add_argument("--entries", type=int)
    ap.add_argument("--updates", type=int)
    ap.add_argument("--probes", type=int)
    ap.add_argument("--rate", type=int, default=20_000, help="background updates/s during the latency probes")
    ap.add_argument("--cold-entries", type=int)
    ap.add_argument("--phases", default="resync,propagation,latency,memory,cold")
    ap.add_argument("--pairs", default="hh,hs,sh,ss")
    ap.add_argument("--haproxy", default=os.environ.get("STICKPEER_HAPROXY", "/usr/sbin/haproxy"))
    ap.add_argument("--daemon", required=True)
    ap.add_argument("--daemon-env", action="append", default=[], metavar="NAME=VALUE",
                    help="environment of every Stickpeer process (e.g. DOTNET_TieredPGO=0), repeatable")
    args = ap.parse_args()
    args.entries = args.entries or (100_000 if args.quick else 1_000_000)
    args.updates = args.updates or (50_000 if args.quick else 200_000)
    args.probes = args.probes or (300 if args.quick else 1_000)
    args.cold_entries = args.cold_entries or args.entries
    args.phases = set(args.phases.split(","))
    args.pairs = set(args.pairs.split(","))

    atexit.register(stop_all)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(130))

    if not os.access(args.haproxy, os.X_OK):
        sys.exit(f"e2e-bench: no haproxy at {args.haproxy} (apt-get install -y haproxy, or --haproxy / STICKPEER_HAPROXY)")
    if not os.path.exists(args.daemon):
        sys.exit(f"e2e-bench: no daemon at {args.daemon}")
    env = Env(args.haproxy, args.daemon, args.daemon_env)
    hv = subprocess.run([args.haproxy, "-v"], capture_output=True, text=True).stdout.splitlines()[0]
    dv = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo", encoding="ascii") if l.startswith("model name")), "?")
    print("# Stickpeer vs HAProxy, end to end (eng/e2e-bench.sh)")
    print(f"date {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores ({cpu}); {platform.platform()}")
    print(f"{hv}; .NET SDK {dv}; Stickpeer daemon: {' '.join(env.daemon_argv)}"
          + (f" with {' '.join(args.daemon_env)}" if args.daemon_env else ""))
    print(f"N = {args.entries:,}; {args.updates:,} propagation keys; {args.probes} latency probes at {args.rate:,}/s background; "
          f"{args.runs} runs each: median (min–max); load average at start {load()}")
    print("tables (peers mesh): s = " + STRING_TABLE + "; i = " + IP_TABLE)
    started = time.monotonic()
    if not args.tls_only:
        run_pass(env, args, None, "plain TCP")
    if args.tls or args.tls_only:
        with tempfile.TemporaryDirectory(prefix="stickpeer-e2e-tls-") as d:
            run_pass(env, args, certificates(d), "mutual TLS, verify required")
    print(f"\ntotal {time.monotonic() - started:.0f} s; load average at end {load()}")


if __name__ == "__main__":
    main()
