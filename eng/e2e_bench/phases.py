# Copyright (c) Stickpeer contributors. Licensed under the MIT License.
"""The measured phases of eng/e2e-bench.py. Each returns a dict of figures for one run."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import shutil

from procs import (IP_DATA, STRING_DATA, Node, Prompt, free_ports, ip_key, populate, set_lines, string_key, wire_bytes)
from relay import Relay


class Scratch:
    """A temporary directory with the run's processes, removed (processes killed) on exit."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="stickpeer-e2e-")
        self.nodes = []

    def node(self, env, kind, name, peers, tls, extra_env=None):
        n = Node(env, kind, self.dir, name, peers, tls, extra_env)
        self.nodes.append(n)
        return n

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for n in self.nodes:
            n.stop()
        if exc[0] is not None and os.environ.get("STICKPEER_E2E_KEEP"):
            print(f"  kept {self.dir}", file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def resync(env, teacher, learner, n, tls):
    """Teacher filled through its stats socket (timed apart), then the learner process is started;
    the clock runs from its start until its `show table` says used:n."""
    pt, pl = free_ports(2)
    with Scratch() as s:
        t = s.node(env, teacher, "t", [("t", pt), ("l", pl)], tls)
        t.wait_cli()
        fill = populate(t.sock, set_lines("s", (string_key(i) for i in range(n)), STRING_DATA))
        if t.used("s") != n:
            raise RuntimeError(f"teacher holds {t.used('s')} of {n}")
        t_cpu = t.cpu()
        l = s.node(env, learner, "l", [("t", pt), ("l", pl)], tls)
        seen = l.wait_used("s", n, 60 + n / 5_000)
        seconds = seen - l.started
        wire = wire_bytes(l.pid, {pt, pl})
        return {"seconds": seconds, "rate": n / seconds, "wire": wire / n if wire else None,
                "learner_cpu": l.cpu(), "teacher_cpu": t.cpu() - t_cpu, "fill": n / fill}


def _linked_pair(env, s, writer, reader, tls):
    pw, pr = free_ports(2)
    w = s.node(env, writer, "w", [("w", pw), ("r", pr)], tls)
    r = s.node(env, reader, "r", [("w", pw), ("r", pr)], tls)
    w.wait_cli()
    r.wait_cli()
    # The link is up (and both resyncs over) when a key written on each side reaches the other.
    w.cli("set table mesh/s key linkw data.gpc0 1\n")
    r.cli("set table mesh/s key linkr data.gpc0 1\n")
    r.wait_used("s", 2, 30, poll=0.01)
    w.wait_used("s", 2, 30, poll=0.01)
    return w, r


def propagation(env, writer, reader, count, tls):
    """`count` distinct keys written on the writer as fast as its stats socket accepts them
    (pipelined); the clock runs from the first line sent until the reader holds them all."""
    with Scratch() as s:
        w, r = _linked_pair(env, s, writer, reader, tls)
        lines = set_lines("s", (string_key(i, "p") for i in range(count)), STRING_DATA)
        start = time.monotonic()
        accept = populate(w.sock, lines)
        seen = r.wait_used("s", count + 2, 60 + count / 5_000, poll=0.002)
        return {"seconds": seen - start, "rate": count / (seen - start), "accept": count / accept}


def latency(env, writer, reader, probes, rate, tls):
    """Single-update latency under a steady background rate: a probe key written on the writer's
    stats socket, then the reader's `show table mesh/s key <k>` asked in a loop (one round trip
    ≈ 50–150 µs, a 0.2 ms pause between asks) until it answers the key; writer send → reader answer."""
    with Scratch() as s:
        w, r = _linked_pair(env, s, writer, reader, tls)
        seconds = probes * 0.012 + 30
        bg = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "background.py"), w.sock, str(rate), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
        try:
            time.sleep(1.0)  # let the background rate settle
            wp, rp = Prompt(w.sock), Prompt(r.sock)
            samples, lost = [], 0
            for j in range(probes):
                key = f"probe{j}".encode()
                t0 = time.monotonic()
                wp.ask(f"set table mesh/s key probe{j} data.gpc0 1")
                deadline = t0 + 5
                while True:
                    answer = rp.ask(f"show table mesh/s key probe{j}")
                    now = time.monotonic()
                    if b"key=" + key in answer:
                        samples.append(now - t0)
                        break
                    if now > deadline:
                        lost += 1
                        break
                    time.sleep(0.0002)
                time.sleep(0.005)
            wp.close()
            rp.close()
        finally:
            bg.send_signal(signal.SIGINT)
            out, _ = bg.communicate(10)
        samples.sort()

        def pct(p):
            return samples[min(len(samples) - 1, int(p * len(samples)))] if samples else float("nan")

        sent = out.strip().split()[-1] if out.strip() else "?"
        return {"p50": pct(0.50), "p99": pct(0.99), "p999": pct(0.999), "lost": lost, "background": sent}


def memory(env, kind, table, n):
    """RSS growth of a fresh process while `n` entries are set through its stats socket, from empty
    and (marginal: without a process's fixed costs, e.g. the GC's gen0 budget) from n/2 to n.
    Stickpeer: after a warm-up (20 000 keys set in the other table) and `debug gc` (a blocking,
    compacting full collection) before both readings."""
    (p,) = free_ports(1)
    with Scratch() as s:
        node = s.node(env, kind, "m", [("m", p)], None)
        node.wait_cli()
        if kind == "s":
            # Compile the CLI and insert paths first, or the baseline would leave out the code and runtime
            # state a .NET process grows at first use: 20 000 entries in the *other* table, kept (so the
            # measured table cannot reuse memory they left behind; they are part of the baseline).
            other = "i" if table == "s" else "s"
            keys = (string_key(i, "w") for i in range(20_000)) if other == "s" else (ip_key(i) for i in range(20_000))
            populate(node.sock, set_lines(other, keys, STRING_DATA if other == "s" else IP_DATA))
        time.sleep(0.5)
        heap0 = node.full_gc() if kind == "s" else None
        rss0 = node.rss()
        half = n // 2
        readings = []
        for first, last in ((0, half), (half, n)):
            keys = (string_key(i) for i in range(first, last)) if table == "s" else (ip_key(i) for i in range(first, last))
            populate(node.sock, set_lines(table, keys, STRING_DATA if table == "s" else IP_DATA))
            if node.used(table) != last:
                raise RuntimeError(f"{kind}: mesh/{table} holds {node.used(table)} of {last}")
            heap = node.full_gc() if kind == "s" else None
            time.sleep(0.5)
            readings.append((node.rss(), heap))
        (rss_half, _), (rss1, heap1) = readings
        return {"rss": (rss1 - rss0) / n, "marginal": (rss1 - rss_half) / (n - half),
                "heap": (heap1 - heap0) / n if heap0 is not None and heap1 is not None else None}


def cold_warm(env, teacher, n, tls):
    """The published daemon learning n entries right after its start (cold), then again in the
    same process after its table was cleared (warm). Two teachers each hold the n entries and
    reach the learner only through relays: relay 1 is open from the start (the learner's lesson),
    relay 2 opens after the clear, and the second teacher pushes its entries to the new session.
    Both links are timed from the relay's accept of the learner's connection to used:n."""
    p1, p2, pl, r1, r2, dead = free_ports(6)
    with Scratch() as s:
        t1 = s.node(env, teacher, "t1", [("t1", p1), ("l", dead)], tls)
        t2 = s.node(env, teacher, "t2", [("t2", p2), ("l", dead)], tls)
        for t in (t1, t2):
            t.wait_cli()
            populate(t.sock, set_lines("s", (string_key(i) for i in range(n)), STRING_DATA))
        relay1, relay2 = Relay(r1, p1), Relay(r2, p2)
        relay1.open()
        try:
            l = s.node(env, "s", "l", [("l", pl), ("t1", r1), ("t2", r2)], tls)
            seen = l.wait_used("s", n, 60 + n / 5_000)
            cold_start, cold_link, cold_cpu = seen - l.started, seen - relay1.accepted_at, l.cpu()
            t1.stop()
            relay1.close()
            l.cli("clear table mesh/s\n")
            for _ in range(1000):
                if l.used("s") == 0:
                    break
                time.sleep(0.01)
            cpu0 = l.cpu()
            relay2.open()
            seen = l.wait_used("s", n, 60 + n / 5_000)
            warm, warm_cpu = seen - relay2.accepted_at, l.cpu() - cpu0
        finally:
            relay1.close()
            relay2.close()
        return {"cold_start": cold_start, "cold_link": cold_link, "warm": warm, "cold_cpu": cold_cpu, "warm_cpu": warm_cpu}
