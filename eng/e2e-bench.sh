#!/usr/bin/env bash
# HAProxy and Stickpeer side by side, end to end, in one run on this machine (docs/benchmarks.md,
# "End to end against HAProxy"). Publishes the daemon the way users get it (`dotnet publish -c
# Release`, framework-dependent, run as `dotnet stickpeer.dll`), then measures and prints:
#   * full resync of N entries for HAProxy→HAProxy, HAProxy→Stickpeer, Stickpeer→HAProxy,
#     Stickpeer→Stickpeer (entries/s, wire bytes/entry from the kernel's TCP counters);
#   * incremental propagation (distinct keys pipelined into the writer's stats socket);
#   * single-update latency p50/p99/p999 under a steady background rate;
#   * memory per entry on both declarations (RSS growth; Stickpeer after a full GC);
#   * cold start of the published daemon vs the same process warmed up;
#   * with --tls, all of it again over mutual TLS (certificates made here with openssl).
# Medians of --runs (min–max beside), ratios against HAProxy→HAProxy. Teachers are filled
# through their stats sockets (pipelined `set table`), timed apart and excluded.
# Everything runs on 127.0.0.1; every process started is killed on exit.
#
# Usage: eng/e2e-bench.sh [--quick] [--runs N] [--tls|--tls-only] [--phases resync,propagation,latency,memory,cold]
#                         [--pairs hh,hs,sh,ss] [--entries N] [--haproxy PATH] [--daemon-env NAME=VALUE] [--no-build]
#        (python3 eng/e2e_bench/main.py --help lists every option)
# Needs: the .NET SDK (README), haproxy (STICKPEER_HAPROXY or /usr/sbin/haproxy), python3, openssl, ss.
# Full run (N = 1 M, 3 runs, TLS too) ≈ 20–30 min on 2 cores; --quick (N = 100 k, TLS too) ≈ 5 min.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/artifacts/e2e-bench/daemon"
build=1
args=()
for a in "$@"; do
  if [[ "$a" == "--no-build" ]]; then build=0; else args+=("$a"); fi
done
for tool in python3 openssl ss; do
  command -v "$tool" >/dev/null || { echo "e2e-bench: '$tool' is required" >&2; exit 2; }
done
if [[ $build == 1 ]]; then
  echo "publishing the daemon (dotnet publish -c Release) to $out ..." >&2
  rm -rf "$out"
  # STICKPEER_E2E_PUBLISH_ARGS adds publish options to compare builds, e.g. "-r linux-x64 -p:PublishReadyToRun=true".
  # shellcheck disable=SC2086
  dotnet publish -c Release "$root/src/Stickpeer.Daemon" -o "$out" -v quiet -nologo ${STICKPEER_E2E_PUBLISH_ARGS:-} >/dev/null
fi
[[ -f "$out/stickpeer.dll" ]] || { echo "e2e-bench: $out/stickpeer.dll missing (run without --no-build)" >&2; exit 2; }
exec python3 "$root/eng/e2e_bench/main.py" --daemon "$out/stickpeer.dll" "${args[@]}"
