#!/usr/bin/env bash
# Memory per stick-table entry, HAProxy 2.6 vs Stickpeer, measured in one run:
#  * HAProxy: RSS growth of a fresh haproxy while 1M entries are set through its stats
#    socket in prompt mode (one connection, many `set table` lines);
#  * Stickpeer: managed-heap and RSS growth of this process while the same keys are stored.
# Tables: `type string len 32 size 2m expire 30m store gpc0,http_req_rate(10s),conn_cnt,server_id`
# and `type ip size 2m expire 30m store gpc0,http_req_rate(10s)`.
# Usage: eng/table-memory.sh [entries]   (default 1000000; haproxy on PATH, else "n/a")
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dotnet run -c Release --project "$root/benchmarks/Stickpeer.Benchmarks" -- table-memory "${1:-1000000}"
