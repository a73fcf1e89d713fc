#!/usr/bin/env bash
# Rewrites PublicAPI.Unshipped.txt of every packed library from its current public API (RS0016 adds
# what is new, RS0017 removes what is gone). Run it after adding or changing public types, e.g. after a
# merge, then review and commit the diff (docs/library.md, "Public API").
set -euo pipefail
cd "$(dirname "$0")/.."
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
for project in Stickpeer.Protocol Stickpeer.Tables Stickpeer.Node; do
  dotnet format analyzers "src/$project/$project.csproj" --diagnostics RS0016 RS0017 --severity info
done
git --no-pager diff --stat -- 'src/*/PublicAPI.*.txt'
