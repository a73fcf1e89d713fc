#!/usr/bin/env python3
# Copyright (c) Stickpeer contributors. Licensed under the MIT License.
"""Measures a reload hand-over (stickpeer -sf) with two real daemons on 127.0.0.1.

Starts a daemon, fills its table through the stats socket, starts a second one with -sf <pid of the
first>, and prints how long the old process took to exit, how long the peers port was closed (from
the two logs), how long the lesson took, and how many entries the new process holds.

    dotnet build src/Stickpeer.Daemon && python3 eng/reload-bench.py [entries]
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime

DLL = os.path.join(os.path.dirname(__file__), "..", "src", "Stickpeer.Daemon", "bin", "Debug", "net10.0", "stickpeer.dll")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(path, request):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(path)
        s.sendall(request.encode())
        out = b""
        for _ in range(1_000_000):
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
        return out.decode()


def wait_cli(path, process):
    for _ in range(1200):
        if process.poll() is not None:
            sys.exit(f"stickpeer exited with {process.returncode}")
        try:
            if cli(path, "show table\n").startswith("# table"):
                return
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit("stats socket never answered")


def stamp(log, pattern):
    for line in open(log, encoding="utf-8"):
        if re.search(pattern, line):
            return datetime.fromisoformat(line.split(" ")[0].rstrip("Z"))
    return None


def main():
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    d = tempfile.mkdtemp(prefix="stickpeer-reload-bench-")
    sock, cfg = os.path.join(d, "sp.sock"), os.path.join(d, "sp.cfg")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(f"global\n    stats socket {sock} level admin\n\npeers mesh\n    peer sp 127.0.0.1:{free_port()}\n"
                f"    peer absent 127.0.0.1:{free_port()}\n    table t type string len 32 size {entries * 2} expire 1h store gpc0,http_req_cnt\n")
    old_log, new_log = os.path.join(d, "old.log"), os.path.join(d, "new.log")
    old = subprocess.Popen(["dotnet", DLL, "-f", cfg, "-L", "sp"], stdout=open(old_log, "w"), stderr=subprocess.STDOUT)
    wait_cli(sock, old)
    for first in range(0, entries, 5000):
        # Batches of 5 000 lines: a whole request must fit in the socket buffers, since the answers are
        # read only after it is sent.
        lines = "".join(f"set table mesh/t key k{i} data.gpc0 {i} data.http_req_cnt {i * 3}\n" for i in range(first, min(entries, first + 5000)))
        cli(sock, "prompt\n" + lines + "quit\n")
    start = time.monotonic()
    new = subprocess.Popen(["dotnet", DLL, "-f", cfg, "-L", "sp", "-sf", str(old.pid)], stdout=open(new_log, "w"), stderr=subprocess.STDOUT)
    try:
        old.wait(60)
        exited = time.monotonic() - start
        wait_cli(sock, new)
        held = cli(sock, "show table mesh/t\n").count("key=")
        closed, bound = stamp(old_log, r"\[2120\]"), stamp(new_log, r"\[4001\]")
        lesson = stamp(new_log, r"\[2102\]")
        print(f"entries: {entries}; old process exited {old.returncode} after {exited:.2f} s; new process holds {held}")
        if closed and bound and lesson:
            print(f"peers port closed for about {(bound - closed).total_seconds() * 1000:.0f} ms; lesson complete {(lesson - bound).total_seconds() * 1000:.0f} ms after the new listener was up")
        print(f"logs: {old_log} {new_log}")
    finally:
        new.terminate()
        new.wait(30)


if __name__ == "__main__":
    main()
