#!/usr/bin/env python3
"""Hello flood against a Stickpeer daemon: half-open clients that trickle a peers hello, while a
real peer replicates and the stats socket is queried.

Two daemons (a = the target, b = its real peer) run from the Release build, in one peers section
on 127.0.0.1. For each step of N held connections, clients spread over 127.0.0.2..127.0.0.(1+S)
connect to a's peers port and send one byte of a hello every 1.5 s; a client that a closes is
reopened (an attacker keeps trying). Every 0.5 s the script times `show table` on a's stats
socket, writes a counter on b and checks that a has learned the previous one, and reads a's RSS.
Everything stays on loopback and stops by itself after each step.

Usage: eng/hello-flood.py [--steps 1000,5000,10000] [--seconds 20] [--sources 64]
Prints, per step: connections attempted/open/closed by a, show-table latency (median, p99, max),
replication checks passed/failed, and a's RSS (max). Needs root or `ulimit -n` above the largest step.
"""
import argparse
import os
import resource
import select
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELLO = b"HAProxyS 2.1\na\nflood 1 1\n"


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def cli(path, command, timeout=5.0):
    """One request on a stats socket; returns (answer, seconds)."""
    start = time.monotonic()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(path)
        s.sendall(command.encode() + b"\n")
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks).decode(errors="replace"), time.monotonic() - start


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Flood:
    """Held connections trickling a hello; closed ones are reopened."""

    def __init__(self, port, sources):
        self.port = port
        self.sources = [f"127.0.0.{2 + i}" for i in range(sources)]
        self.conns = {}  # fd -> [socket, bytes sent, next send time]
        self.attempted = 0
        self.closed_by_target = 0
        self.next_source = 0

    def open_one(self):
        s = socket.socket()
        s.setblocking(False)
        s.bind((self.sources[self.next_source % len(self.sources)], 0))
        self.next_source += 1
        try:
            s.connect(("127.0.0.1", self.port))
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            return
        self.attempted += 1
        self.conns[s.fileno()] = [s, 0, time.monotonic() + 0.2]

    def fill(self, target, budget):
        for _ in range(min(budget, target - len(self.conns))):
            self.open_one()

    def step(self):
        now = time.monotonic()
        for fd, c in list(self.conns.items()):
            s, sent, due = c
            if now >= due:
                try:
                    s.send(HELLO[sent % len(HELLO):sent % len(HELLO) + 1])
                    c[1] += 1
                    c[2] = now + 1.5
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    self.drop(fd)
        poller = select.poll()
        for fd in self.conns:
            poller.register(fd, select.POLLIN)
        for fd, _ in poller.poll(0):
            c = self.conns.get(fd)
            if c is None:
                continue
            try:
                if not c[0].recv(4096):
                    self.drop(fd)
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                self.drop(fd)

    def drop(self, fd):
        c = self.conns.pop(fd, None)
        if c:
            self.closed_by_target += 1
            c[0].close()

    def close_all(self):
        for c in self.conns.values():
            c[0].close()
        self.conns.clear()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", default="1000,5000,10000")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--sources", type=int, default=64)
    args = ap.parse_args()
    steps = [int(x) for x in args.steps.split(",")]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = max(steps) + 1024
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))

    subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "src/Stickpeer.Daemon")],
                   check=True, stdout=subprocess.DEVNULL)
    daemon = os.path.join(ROOT, "src/Stickpeer.Daemon/bin/Release/net10.0/stickpeer")
    work = tempfile.mkdtemp(prefix="stickpeer-flood-")
    pa, pb = free_ports(2)
    procs = {}
    for name in ("a", "b"):
        cfg = os.path.join(work, f"{name}.cfg")
        with open(cfg, "w") as f:
            f.write(f"global\n    stats socket {work}/{name}.sock level admin\n\n"
                    f"peers mesh\n    peer a 127.0.0.1:{pa}\n    peer b 127.0.0.1:{pb}\n"
                    "    table t type string len 32 size 100k expire 10m store gpc0\n")
        log = open(os.path.join(work, f"{name}.log"), "w")
        procs[name] = subprocess.Popen([daemon, "-f", cfg, "-L", name], stdout=log, stderr=subprocess.STDOUT)
    sock_a, sock_b = f"{work}/a.sock", f"{work}/b.sock"
    try:
        for _ in range(200):
            if os.path.exists(sock_a) and os.path.exists(sock_b):
                break
            time.sleep(0.1)
        # Wait until the real peers replicate before any flood, so a failed check means the flood.
        cli(sock_b, "set table mesh/t key warmup data.gpc0 1")
        for _ in range(300):
            if "key=warmup" in cli(sock_a, "show table mesh/t key warmup")[0]:
                break
            time.sleep(0.1)
        else:
            raise SystemExit("a never learned b's warm-up key: the peers did not connect")
        counter = 0
        print(f"target pid {procs['a'].pid}, logs in {work}")
        print("step    attempted  open  closed_by_a  show_table_ms(med/p99/max)  repl_ok/fail  rss_max_MiB")
        for n in steps:
            flood = Flood(pa, args.sources)
            lat, ok, bad, rss = [], 0, 0, 0
            end = time.monotonic() + args.seconds
            next_probe = 0.0
            while time.monotonic() < end:
                flood.fill(n, 500)
                flood.step()
                if time.monotonic() >= next_probe:
                    next_probe = time.monotonic() + 0.5
                    _, t = cli(sock_a, "show table mesh/t")
                    lat.append(t * 1000)
                    if counter:
                        answer, _ = cli(sock_a, f"show table mesh/t key c{counter}")
                        if f"gpc0={counter}" in answer:
                            ok += 1
                        else:
                            bad += 1
                    counter += 1
                    cli(sock_b, f"set table mesh/t key c{counter} data.gpc0 {counter}")
                    rss = max(rss, rss_kib(procs["a"].pid))
                time.sleep(0.01)
            lat.sort()
            p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
            print(f"{n:<7} {flood.attempted:>9} {len(flood.conns):>5} {flood.closed_by_target:>12}  "
                  f"{statistics.median(lat):8.1f} / {p99:6.1f} / {lat[-1]:6.1f}        {ok:>4}/{bad:<4}  {rss / 1024:10.1f}")
            flood.close_all()
            time.sleep(2)
    finally:
        for p in procs.values():
            p.terminate()
        for p in procs.values():
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
