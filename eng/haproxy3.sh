#!/usr/bin/env bash
# Builds Debian 13's HAProxy 3.0 from its upstream source tarball, once, and caches the
# binary by version outside the clone so later CI runs reuse it.
#
# Debian 13 (trixie) binaries would drag in a newer libc, so only its source package is
# fetched (a deb-src line in a separate sources file) and built against Debian 12's -dev
# packages. The Debian patch tarball is not applied: the test target is upstream 3.0.11.
#
# stdout: on success, exactly one line: the path of the cached binary.
#         on failure, exactly one line: "skipped: <reason>", and exit status 1.
# Progress and build logs go to stderr / a log file next to the cache.
set -uo pipefail

version="${STICKPEER_HAPROXY3_DEBIAN_VERSION:-3.0.11-1+deb13u4}"
upstream="${version%%-*}"
cache_root="${STICKPEER_CACHE:-/var/cache/stickpeer}"
dest="$cache_root/haproxy-$upstream"
bin="$dest/haproxy"
sources_file=/etc/apt/sources.list.d/stickpeer-trixie-src.list

skip() { echo "skipped: $*"; exit 1; }

# True when $bin runs and reports $upstream. The output is captured first: piping it into
# head/grep under pipefail fails at random when haproxy gets SIGPIPE.
cached_ok() {
  local v
  [ -x "$bin" ] || return 1
  v=$("$bin" -v 2>/dev/null) || return 1
  [[ "$v" == *"version $upstream"* ]]
}

if cached_ok; then
  echo "$bin"; exit 0
fi

[ "$(id -u)" = 0 ] || skip "HAProxy $upstream is not cached at $bin and building it needs root (apt)"

if [ ! -f "$sources_file" ]; then
  # deb-src only: no binary package can come from trixie through this file.
  printf '%s\n' \
    '# Written by Stickpeer eng/haproxy3.sh: Debian 13 source packages only (no binaries).' \
    'deb-src http://deb.debian.org/debian trixie main' \
    'deb-src http://deb.debian.org/debian-security trixie-security main' >"$sources_file"
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || skip "apt-get update failed (no network to deb.debian.org?)"
apt-get install -y -qq --no-install-recommends gcc make libc6-dev libssl-dev libpcre2-dev zlib1g-dev >&2 \
  || skip "could not install the build dependencies (gcc make libssl-dev libpcre2-dev zlib1g-dev)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The mirror serves the orig tarball but not the .dsc or the Debian patch tarball, so
# apt-get reports failure even when the file we need arrived: judge by the file and its
# checksum (from the deb-src index, which apt verified), not by apt-get's exit status.
id _apt >/dev/null 2>&1 && chown _apt "$work"
( cd "$work" && apt-get source --download-only "haproxy=$version" ) >&2
tarball="$work/haproxy_$upstream.orig.tar.gz"
[ -f "$tarball" ] || skip "apt-get source --download-only haproxy=$version did not fetch haproxy_$upstream.orig.tar.gz (is the trixie deb-src reachable?)"
want=$(apt-cache showsrc haproxy | awk -v v="$version" -v f="haproxy_$upstream.orig.tar.gz" \
  '/^Version:/{ok=($2==v)} /^Checksums-Sha256:/{c=ok;next} /^[^ ]/{c=0} c && $3==f {print $1; exit}')
[ -n "$want" ] || skip "no SHA-256 for haproxy_$upstream.orig.tar.gz in the deb-src index"
got=$(sha256sum "$tarball" | cut -d' ' -f1)
[ "$got" = "$want" ] || skip "haproxy_$upstream.orig.tar.gz checksum mismatch ($got, index says $want)"

tar -xzf "$tarball" -C "$work" || skip "could not unpack $tarball"
srcdir="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'haproxy-*' | head -n 1)"
[ -n "$srcdir" ] || skip "no haproxy-* directory in $tarball"

mkdir -p "$dest"
# The log of the build that made the cached binary stays next to it; a failed or
# interrupted build leaves its log as build.failed.log instead.
log="$dest/build.failed.log"
start=$(date +%s)
echo "building HAProxy $upstream (log: $log)" >&2
if ! make -C "$srcdir" -j2 TARGET=linux-glibc USE_OPENSSL=1 USE_PCRE2=1 USE_ZLIB=1 >"$log" 2>&1; then
  skip "make failed building HAProxy $upstream (last lines of $log: $(tail -n 3 "$log" | tr '\n' ' '))"
fi
echo "built HAProxy $upstream in $(( $(date +%s) - start ))s" >&2
# Install atomically so a concurrent or interrupted run never sees half a binary.
install -m 0755 "$srcdir/haproxy" "$bin.tmp" && mv -f "$bin.tmp" "$bin" || skip "could not install the binary to $bin"
mv -f "$log" "$dest/build.log"
cached_ok || skip "$bin does not report version $upstream"
echo "$bin"
