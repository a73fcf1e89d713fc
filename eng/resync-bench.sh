#!/usr/bin/env bash
# Full resync of 1M entries between two real processes over loopback, HAProxy 2.6 vs Stickpeer.
# Table (same line for both): backend bench,
#   stick-table type string len 32 size 2m expire 30m store gpc0,conn_cnt,http_req_cnt,http_req_rate(10s) peers mesh
# The teacher is filled through its stats socket in prompt mode (a Stickpeer teacher learns the
# entries from a filled haproxy seed first: its stats socket is too slow for a million lines);
# then the learner process is started and the clock runs until its `show table` header says
# used:N (learner process start included). Combos: hh = haproxy->haproxy (the reference),
# ss = stickpeer->stickpeer, hs = haproxy->stickpeer, sh = stickpeer->haproxy; best of ROUNDS.
# The Stickpeer daemon is published with Native AOT (no JIT warm-up in the measured window);
# STICKPEER_BENCH_JIT=1 runs the JIT build instead. Then `socket-pair`: two in-process nodes over
# TCP (resync without process start, wire bytes/entry, incremental updates/s).
# Usage: eng/resync-bench.sh [entries] [combos] [rounds]   (default 1000000 hh,ss,hs,sh 3)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
entries="${1:-1000000}"
combos="${2:-hh,ss,hs,sh}"
rounds="${3:-3}"
out="$root/artifacts/resync-bench"
if [[ "${STICKPEER_BENCH_JIT:-}" == "1" ]]; then
  dotnet build -c Release "$root/src/Stickpeer.Daemon" >/dev/null
  daemon="$root/src/Stickpeer.Daemon/bin/Release/net10.0/stickpeer.dll"
else
  dotnet publish -c Release -r linux-x64 -p:PublishAot=true -o "$out" "$root/src/Stickpeer.Daemon" >/dev/null
  daemon="$out/stickpeer"
fi
dotnet build -c Release "$root/benchmarks/Stickpeer.Benchmarks" >/dev/null
bench="$root/benchmarks/Stickpeer.Benchmarks/bin/Release/net10.0/Stickpeer.Benchmarks.dll"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
STICKPEER_DAEMON="$daemon" dotnet "$bench" resync-bench "$entries" "$combos" "$rounds"
dotnet "$bench" socket-pair "$entries" 1024/1024,1024/65536,65536/65536 300000
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
