# Copyright (c) Stickpeer contributors. Licensed under the MIT License.
"""Processes, configuration, stats sockets, RSS/CPU and wire-byte probes for eng/e2e-bench.py."""

import os
import re
import signal
import socket
import subprocess
import threading
import time

STRING_TABLE = "type string len 32 size 2m expire 30m store gpc0,http_req_rate(10s),conn_cnt,server_id"
IP_TABLE = "type ip size 2m expire 30m store gpc0,http_req_rate(10s)"
STRING_DATA = "data.gpc0 1 data.conn_cnt 2 data.http_req_rate 3 data.server_id 1"
IP_DATA = "data.gpc0 1 data.http_req_rate 3"

_live = []  # every process started, killed on exit (atexit/trap in the caller)


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


def string_key(i, prefix="k"):
    return f"{prefix}{i:012d}"


def ip_key(i):
    return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"


def config(d, name, peers, tls):
    """A config both HAProxy and Stickpeer read: stats socket, the peers section with both tables."""
    lines = [
        "global",
        f"    stats socket {d}/{name}.sock level admin",
        "    stats timeout 10m",
        "defaults",
        "    mode tcp",
        "    timeout client 10m",
        "    timeout server 10m",
        "    timeout connect 1s",
        "peers mesh",
    ]
    if tls:
        lines.append(f"    default-bind ssl crt {tls['crt']} ca-file {tls['ca']} verify required")
        lines.append(f"    default-server ssl crt {tls['crt']} ca-file {tls['ca']} verify required")
    lines += [f"    peer {p} 127.0.0.1:{port}" for p, port in peers]
    lines += [f"    table s {STRING_TABLE}", f"    table i {IP_TABLE}", ""]
    path = os.path.join(d, name + ".cfg")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return path


class Node:
    """One haproxy ('h') or Stickpeer ('s') process with its stats socket."""

    def __init__(self, env, kind, d, name, peers, tls, extra_env=None):
        self.kind, self.name = kind, name
        self.sock = os.path.join(d, name + ".sock")
        cfg = config(d, name, peers, tls)
        if kind == "h":
            argv = [env.haproxy, "-db", "-f", cfg, "-L", name]
        else:
            argv = env.daemon_argv + ["-f", cfg, "-L", name, "-q"]
            extra_env = {**env.daemon_env, **(extra_env or {})}
        log = open(os.path.join(d, name + ".log"), "w", encoding="utf-8")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(extra_env or {})},
                                     start_new_session=True)
        log.close()
        _live.append(self.proc)
        self.pid = self.proc.pid

    def wait_cli(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} ({self.kind}) exited with {self.proc.returncode}")
            if self.used("s") >= 0:
                return
            time.sleep(0.005)
        raise RuntimeError(f"{self.name}: stats socket never answered")

    def cli(self, request):
        return cli(self.sock, request)

    def used(self, table):
        try:
            out = cli(self.sock, "show table\n")
        except OSError:
            return -1
        m = re.search(r"# table: mesh/%s,.*?used:(\d+)" % table, out)
        return int(m.group(1)) if m else -1

    def wait_used(self, table, n, seconds, poll=0.002):
        """Polls `show table` until the table holds n entries; returns the monotonic time it was seen."""
        deadline = time.monotonic() + seconds
        while True:
            got = self.used(table)
            now = time.monotonic()
            if got >= n:
                return now
            if now > deadline or self.proc.poll() is not None:
                raise TimeoutError(f"{self.name}: mesh/{table} holds {got} of {n} after {seconds:.0f} s")
            time.sleep(poll)

    def rss(self):
        with open(f"/proc/{self.pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def cpu(self):
        """User+system CPU seconds of the process so far."""
        with open(f"/proc/{self.pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def full_gc(self):
        """Stickpeer only: `debug gc` (a blocking compacting collection); returns the managed heap bytes or None."""
        out = self.cli("debug gc\n")
        m = re.search(r"heap (\d+) bytes", out)
        return int(m.group(1)) if m else None

    def stop(self):
        stop(self.proc)


def stop(proc):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(10)


def stop_all():
    for p in _live:
        stop(p)


def cli(path, request, timeout=10):
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(timeout)
        s.connect(path)
        s.sendall(request.encode())
        chunks = []
        for _ in range(100_000):
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode(errors="replace")


class Prompt:
    """A prompt-mode stats-socket connection for request/answer round trips."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(10)
        self.s.connect(path)
        self.s.sendall(b"prompt\n")
        self._until_prompt()

    def _until_prompt(self):
        buf = b""
        for _ in range(10_000):
            chunk = self.s.recv(65536)
            if not chunk:
                raise ConnectionError("stats socket closed")
            buf += chunk
            if buf.endswith(b"> "):
                return buf
        raise RuntimeError("no prompt")

    def ask(self, line):
        self.s.sendall(line.encode() + b"\n")
        return self._until_prompt()

    def close(self):
        self.s.close()


def populate(path, lines, chunk_lines=4000):
    """Pipelines `lines` (bytes, one command each) through one prompt-mode connection; returns seconds.

    A reader thread counts the prompts so the socket buffers never fill in both directions."""
    n = len(lines)
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(120)
    s.connect(path)
    seen = [0]
    done = threading.Event()

    def read():
        count, tail = 0, b""
        try:
            while count < n + 1:
                data = s.recv(1 << 18)
                if not data:
                    break
                count += (tail + data).count(b"> ") - tail.count(b"> ")
                tail = data[-1:]
        except OSError:
            pass
        seen[0] = count
        done.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    start = time.monotonic()
    s.sendall(b"prompt\n")
    for first in range(0, n, chunk_lines):
        s.sendall(b"".join(lines[first:first + chunk_lines]))
    done.wait(max(60, n / 20_000))
    elapsed = time.monotonic() - start
    s.close()
    if seen[0] < n + 1:
        raise RuntimeError(f"{path}: {seen[0] - 1} of {n} set table lines answered")
    return elapsed


def set_lines(table, keys, data):
    return [b"set table mesh/%s key %s %s\n" % (table.encode(), k.encode(), data.encode()) for k in keys]


def wire_bytes(pid, ports):
    """Bytes received so far by process `pid` on established TCP sockets to or from any of `ports` (kernel counters, `ss -tinp`)."""
    try:
        out = subprocess.run(["ss", "-tinpH", "state", "established"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    total, current = 0, None
    for line in out.splitlines():
        if not line.startswith(("\t", " ")) or "users:" in line:
            m = re.search(r"127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:(\d+)", line)
            owner = re.search(r"pid=(\d+)", line)
            current = m and owner and int(owner.group(1)) == pid and (int(m.group(1)) in ports or int(m.group(2)) in ports)
            rest = line
        else:
            rest = line
        if current:
            b = re.search(r"bytes_received:(\d+)", rest)
            if b:
                total += int(b.group(1))
                current = False
    return total
