#!/usr/bin/env bash
# Builds tools/exprcheck (the real expr-lang builds Argo Rollouts uses, behind a JSON-lines
# protocol) into ${REHEARSE_CACHE:-$HOME/.cache/rehearse}/bin/exprcheck for the differential
# condition test (test/differential/conditions/).
#
# Rebuilds only when tools/exprcheck/* or the Go toolchain changed (sha256 stamp beside the binary).
# Needs a Go toolchain >= 1.22 and, on a cold module cache, the Go module proxy (GOPROXY); nothing
# else from the network.
#
# Usage: scripts/build-exprcheck.sh [--force]
# Prints the binary's path on the last line of stdout.
set -euo pipefail

t0=$(date +%s.%N)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src="$root/tools/exprcheck"
cache="${REHEARSE_CACHE:-$HOME/.cache/rehearse}"
bin="$cache/bin/exprcheck"
stamp="$bin.stamp"

elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2fs", b - a }'; }

if ! command -v go >/dev/null 2>&1; then
  echo "build-exprcheck: no Go toolchain on PATH (need go >= 1.22)" >&2
  exit 1
fi
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=readonly"
goversion=$(go env GOVERSION)
case "$goversion" in
  go1.2[2-9]* | go1.[3-9][0-9]* | go[2-9]*) ;;
  *) echo "build-exprcheck: $goversion is too old (need go >= 1.22)" >&2; exit 1 ;;
esac

# Hash of the sources (names and contents, sorted) and of the toolchain.
hash=$(
  {
    echo "$goversion $(go env GOOS GOARCH | tr '\n' ' ')"
    cd "$src"
    find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 | LC_ALL=C sort -z |
      xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1
)

if [[ "${1:-}" != "--force" && -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$hash" ]]; then
  echo "build-exprcheck: up to date ($goversion, ${hash:0:12}) in $(elapsed)" >&2
  echo "$bin"
  exit 0
fi

mkdir -p "$cache/bin"
tmp=$(mktemp "$cache/bin/.exprcheck.XXXXXX")
trap 'rm -f "$tmp"' EXIT
echo "build-exprcheck: building $src with $goversion ..." >&2
(cd "$src" && go build -trimpath -o "$tmp" .)
# Smoke test before installing: one case per expr version.
smoke=$(printf '%s\n' \
  '{"id":"a","version":"1.15","condition":"len(result) == 0 || result[0] >= 0.95","resultKind":"[]float64","result":["NaN"]}' \
  '{"id":"b","version":"1.17","condition":"isNaN(result)","resultKind":"float64","result":"NaN"}' | "$tmp")
expected=$'{"id":"a","outcome":"false"}\n{"id":"b","outcome":"true"}'
if [[ "$smoke" != "$expected" ]]; then
  echo "build-exprcheck: smoke test failed:" >&2
  echo "$smoke" >&2
  exit 1
fi
mv -f "$tmp" "$bin"
trap - EXIT
echo "$hash" >"$stamp"
echo "build-exprcheck: built $bin ($goversion, ${hash:0:12}) in $(elapsed)" >&2
echo "$bin"
