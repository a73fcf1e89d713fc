#!/usr/bin/env bash
# Fuzzes one target of tests/Stickpeer.Fuzz.
#   eng/fuzz.sh <Target> [seconds]      (targets: FrameDecoder, HelloParser, SessionDecode, StatusLine)
# With afl-fuzz (AFL++) and the SharpFuzz.CommandLine dotnet tool available, the codec
# assemblies are instrumented with `sharpfuzz` and AFL++ runs with the seed corpus
# tests/Stickpeer.Fuzz/corpus/<Target>/. Otherwise the built-in mutation loop runs instead
# (no coverage feedback). Findings are copied to tests/Stickpeer.Fuzz/crashers/<Target>/.
# Output and AFL state: .fuzz-out/<Target>/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:?usage: eng/fuzz.sh <Target> [seconds]}"
seconds="${2:-300}"
export PATH="$PATH:$HOME/.dotnet/tools"
bin=".fuzz-out/bin"
out=".fuzz-out/$target"
corpus="tests/Stickpeer.Fuzz/corpus/$target"
crashers="tests/Stickpeer.Fuzz/crashers/$target"

[ -d "$corpus" ] || { echo "no corpus for target '$target' ($corpus)" >&2; exit 1; }
rm -rf "$bin"
dotnet build tests/Stickpeer.Fuzz -c Release -o "$bin" -v quiet -nologo >/dev/null

if ! command -v sharpfuzz >/dev/null 2>&1; then
  dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null 2>&1 || true
fi

if command -v afl-fuzz >/dev/null 2>&1 && command -v sharpfuzz >/dev/null 2>&1; then
  # Instrument the code under test (not the harness, not the BCL).
  sharpfuzz "$bin/Stickpeer.Protocol.dll"
  sharpfuzz "$bin/stickpeer.dll"
  rm -rf "$out"
  mkdir -p "$out"
  export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
  export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CRASHES=1
  afl-fuzz -i "$corpus" -o "$out" -t 10000 -m none -V "$seconds" -- dotnet "$bin/Stickpeer.Fuzz.dll" "$target" \
    > "$out/afl.log" 2>&1 || { tail -n 30 "$out/afl.log"; exit 1; }
  stats="$out/default/fuzzer_stats"
  grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg|stability)' "$stats" || true
  found=0
  for f in "$out"/default/crashes/id:*; do
    [ -e "$f" ] || continue
    mkdir -p "$crashers"
    cp "$f" "$crashers/afl-$(sha256sum "$f" | cut -c1-16).bin"
    found=$((found + 1))
  done
  echo "$target: $found crashing inputs copied to $crashers"
  [ "$found" -eq 0 ]
else
  echo "afl-fuzz or sharpfuzz missing: running the built-in mutation loop instead" >&2
  dotnet "$bin/Stickpeer.Fuzz.dll" "$target" --mutate "$seconds" "$corpus" "$crashers"
fi
