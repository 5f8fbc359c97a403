#!/usr/bin/env bash
# Installs the two real Prometheus servers the differential tests (test/differential/) compare
# rehearse's PromQL against, into ${REHEARSE_CACHE:-$HOME/.cache/rehearse}:
#
#   prometheus-2.42/usr/bin/{prometheus,promtool}   Debian bookworm's package 2.42.0+ds, unpacked
#                                                   with dpkg-deb -x (no maintainer scripts, no
#                                                   service is started)
#   prometheus-3/bin/{prometheus,promtool}          built with the Go toolchain from the Go module
#                                                   pinned in tools/prometheus3/go.mod
#
# Idempotent: each part is redone only when its stamp file does not match (the Debian package
# version, or the pinned module version + go.sum hash + Go version). Needs apt (run as root) and
# the Go module proxy; nothing else from the network. Never commit anything it produces.
#
# Environment: REHEARSE_CACHE (default ~/.cache/rehearse); GOMODCACHE/GOCACHE as usual (cache
# them in CI together with REHEARSE_CACHE to make a warm run take seconds).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${REHEARSE_CACHE:-$HOME/.cache/rehearse}"
mkdir -p "$cache"
t_all=$SECONDS

say() { printf '[setup-differential] %s\n' "$*"; }

# ------------------------------------------------------------------------------------------------
# 1. Prometheus 2.42 from Debian (apt-get download + dpkg-deb -x; never apt-get install).
t0=$SECONDS
p2="$cache/prometheus-2.42"
if [[ -x "$p2/usr/bin/prometheus" && -x "$p2/usr/bin/promtool" && -f "$p2/.stamp" ]] &&
  grep -q '^2\.42\.' "$p2/.stamp"; then
  say "prometheus 2.42 present: $(cat "$p2/.stamp") (${p2})"
else
  command -v apt-get >/dev/null || { say "apt-get not found: Prometheus 2.42 comes from Debian's package"; exit 1; }
  say "downloading Debian package prometheus"
  apt-get update -qq
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  # apt drops privileges to _apt for downloads; let it write into the work dir.
  if id _apt >/dev/null 2>&1; then chown _apt "$work"; fi
  (cd "$work" && apt-get download -q prometheus)
  deb="$(ls "$work"/prometheus_*.deb)"
  version="$(dpkg-deb -f "$deb" Version)"
  case "$version" in
    2.42.*) ;;
    *) say "Debian offers prometheus $version, expected 2.42.x (Debian bookworm)"; exit 1 ;;
  esac
  rm -rf "$p2.tmp" && mkdir -p "$p2.tmp"
  dpkg-deb -x "$deb" "$p2.tmp"
  echo "$version" >"$p2.tmp/.stamp"
  rm -rf "$p2" && mv "$p2.tmp" "$p2"
  rm -rf "$work"
  trap - EXIT
fi
"$p2/usr/bin/prometheus" --version 2>&1 | head -1
say "prometheus 2.42: $((SECONDS - t0)) s"

# ------------------------------------------------------------------------------------------------
# 2. Prometheus 3.x built from its Go module, pinned by tools/prometheus3/go.mod.
t0=$SECONDS
mod="$repo/tools/prometheus3"
p3="$cache/prometheus-3"
command -v go >/dev/null || { say "the Go toolchain (go) is needed to build Prometheus 3"; exit 1; }
pin="$(cd "$mod" && go list -m -f '{{.Version}}' github.com/prometheus/prometheus)"
# v0.3MM.P is Prometheus 3.MM.P.
if [[ ! "$pin" =~ ^v0\.3([0-9][0-9])\.([0-9]+)$ ]]; then say "unexpected pinned version $pin"; exit 1; fi
semver="3.$((10#${BASH_REMATCH[1]})).${BASH_REMATCH[2]}"
stamp="$pin $semver $(sha256sum "$mod/go.sum" | cut -c1-16) $(go env GOVERSION)"
if [[ -x "$p3/bin/prometheus" && -x "$p3/bin/promtool" && -f "$p3/.stamp" && "$(cat "$p3/.stamp")" == "$stamp" ]]; then
  say "prometheus $semver present ($p3)"
else
  say "building prometheus $semver ($pin) with $(go env GOVERSION); takes minutes on a cold Go cache"
  rm -rf "$p3.tmp" && mkdir -p "$p3.tmp/bin"
  # -tags netgo as upstream's .promu.yml; no builtinassets: the web UI is not embedded (its
  # assets are not part of the module) and the API does not need it. -mod=readonly: go.mod and
  # go.sum are the lock; a drift fails instead of silently resolving something else.
  ldflags="-X github.com/prometheus/common/version.Version=$semver"
  ldflags+=" -X github.com/prometheus/common/version.Revision=$pin"
  ldflags+=" -X github.com/prometheus/common/version.Branch=module"
  ldflags+=" -X github.com/prometheus/common/version.BuildUser=rehearse"
  (cd "$mod" && CGO_ENABLED=0 go build -mod=readonly -trimpath -tags netgo -ldflags "$ldflags" \
    -o "$p3.tmp/bin/" github.com/prometheus/prometheus/cmd/prometheus github.com/prometheus/prometheus/cmd/promtool)
  echo "$stamp" >"$p3.tmp/.stamp"
  rm -rf "$p3" && mv "$p3.tmp" "$p3"
fi
"$p3/bin/prometheus" --version 2>&1 | head -1
say "prometheus 3: $((SECONDS - t0)) s"

# ------------------------------------------------------------------------------------------------
# 3. The expr-lang checker, if that part of the project is present.
if [[ -f "$repo/scripts/build-exprcheck.sh" ]]; then
  t0=$SECONDS
  say "running scripts/build-exprcheck.sh"
  bash "$repo/scripts/build-exprcheck.sh"
  say "exprcheck: $((SECONDS - t0)) s"
fi

say "done in $((SECONDS - t_all)) s; binaries under $cache"
