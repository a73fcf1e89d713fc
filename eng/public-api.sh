#!/usr/bin/env bash
# Refreshes PublicAPI.Unshipped.txt of every packed library from what the build reports: each RS0016
# (public symbol not declared) is added, each RS0017 (declared symbol gone) removed, until the
# libraries build clean (a library's errors stop the ones that depend on it, hence a few rounds).
# Run it after adding or changing public types, e.g. after a merge, then review and commit the diff
# (docs/library.md, "Public API"). (`dotnet format analyzers --diagnostics RS0016` finds nothing
# here: the analyzer reports these only in a real build.)
set -euo pipefail
cd "$(dirname "$0")/.."
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
for round in 1 2 3 4; do
  log=$(mktemp)
  dotnet build src/Stickpeer.Node/Stickpeer.Node.csproj -nologo -clp:NoSummary >"$log" 2>&1 || true
  if ! grep -qE 'error RS001[67]' "$log"; then
    rm -f "$log"
    break
  fi
  python3 - "$log" <<'PY'
import re, sys, pathlib
found = {}
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.search(r"error (RS001[67]): Symbol '(.*)' is (?:not part of the declared public API|part of the declared API, but is either not public or could not be found).*\[(.*\.csproj)\]", line)
    if m:
        found.setdefault(pathlib.Path(m.group(3)).parent / "PublicAPI.Unshipped.txt", set()).add((m.group(1), m.group(2)))
for path, items in found.items():
    lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")] if path.exists() else ["#nullable enable"]
    header, body = [l for l in lines if l.startswith("#")], {l for l in lines if l and not l.startswith("#")}
    body |= {s for code, s in items if code == "RS0016"}
    body -= {s for code, s in items if code == "RS0017"}
    path.write_text("\n".join((header or ["#nullable enable"]) + sorted(body, key=str.casefold)) + "\n", encoding="utf-8")
    print(f"{path}: {sum(c == 'RS0016' for c, _ in items)} added, {sum(c == 'RS0017' for c, _ in items)} removed")
PY
  rm -f "$log"
done
git --no-pager diff --stat -- 'src/*/PublicAPI.*.txt'
