#!/usr/bin/env bash
# HAProxy and Stickpeer side by side, end to end, in one run on this machine (docs/benchmarks.md,
# "End to end against HAProxy"). Publishes the daemon the way docs/operations.md ships it (Native
# AOT: one native executable, no JIT; needs clang), or with --jit the framework-dependent
# ReadyToRun build run as `dotnet stickpeer.dll` (what `dotnet publish -c Release` gives and the
# .NET tool runs), then measures and prints:
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
# Usage: eng/e2e-bench.sh [--jit] [--quick] [--runs N] [--tls|--tls-only] [--phases resync,propagation,latency,memory,cold]
#                         [--pairs hh,hs,sh,ss] [--entries N] [--haproxy PATH] [--daemon-env NAME=VALUE] [--no-build]
#        (python3 eng/e2e_bench/main.py --help lists every option)
# Needs: the .NET SDK (README), haproxy (STICKPEER_HAPROXY or /usr/sbin/haproxy), python3, openssl, ss,
# and clang + zlib1g-dev for the Native AOT build (not with --jit).
# Full run (N = 1 M, 3 runs, TLS too) ≈ 20–30 min on 2 cores; --quick (N = 100 k, TLS too) ≈ 5 min.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/artifacts/e2e-bench/daemon"
build=1
aot=1
args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    --jit) aot=0 ;;
    *) args+=("$a") ;;
  esac
done
tools=(python3 openssl ss)
[[ $aot == 1 ]] && tools+=(clang)
for tool in "${tools[@]}"; do
  hint=""
  [[ $tool == clang ]] && hint=" for the Native AOT build (apt-get install -y clang zlib1g-dev), or pass --jit"
  command -v "$tool" >/dev/null || { echo "e2e-bench: '$tool' is required$hint" >&2; exit 2; }
done
if [[ $aot == 1 ]]; then
  out="$out-aot"
  case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) echo "e2e-bench: no Native AOT RID for $(uname -m); pass --jit" >&2; exit 2 ;; esac
  publish=(-r "$rid" -p:PublishAot=true)
  daemon="$out/stickpeer"
else
  publish=()
  daemon="$out/stickpeer.dll"
fi
if [[ $build == 1 ]]; then
  echo "publishing the daemon (dotnet publish -c Release ${publish[*]}) to $out ..." >&2
  rm -rf "$out"
  # STICKPEER_E2E_PUBLISH_ARGS adds publish options to compare builds.
  # shellcheck disable=SC2086
  dotnet publish -c Release "$root/src/Stickpeer.Daemon" "${publish[@]}" -o "$out" -v quiet -nologo ${STICKPEER_E2E_PUBLISH_ARGS:-} >/dev/null
fi
[[ -f "$daemon" ]] || { echo "e2e-bench: $daemon missing (run without --no-build)" >&2; exit 2; }
exec python3 "$root/eng/e2e_bench/main.py" --daemon "$daemon" "${args[@]}"
