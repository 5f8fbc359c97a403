#!/usr/bin/env bash
# Builds the real control plane the conformance tests run against (docs/conformance.md) into
# ${REHEARSE_CACHE:-$HOME/.cache/rehearse}/control-plane:
#
#   bin/etcd                      go.etcd.io/etcd/server/v3            pinned by tools/etcd/go.mod
#   bin/kube-apiserver            k8s.io/kubernetes/cmd/kube-apiserver pinned by tools/k8s/go.mod
#   bin/kube-controller-manager   k8s.io/kubernetes/cmd/…              pinned by tools/k8s/go.mod
#   bin/rollouts-controller       github.com/argoproj/argo-rollouts    pinned by tools/rollouts/go.mod
#   crds/*.yaml                   the Argo Rollouts CRDs from the pinned module's manifests/crds
#   versions.env                  NAME=version lines the TypeScript harness reads
#
# Each binary is rebuilt only when its stamp (pinned module version, go.mod/go.sum hash, Go
# version, stamping flags) changes. Static (CGO_ENABLED=0), -trimpath, GOTOOLCHAIN=local,
# -mod=readonly (go.mod/go.sum are the lock), and version-stamped the way upstream's own builds
# are, so `/version` and `--version` report the real release instead of v0.0.0-master.
#
# Needs the Go toolchain (>= 1.26, the go directive of tools/*) and, on a cold module cache, the
# Go module proxy; nothing else from the network. Never commit anything it produces.
#
# Environment: REHEARSE_CACHE (default ~/.cache/rehearse); GOMODCACHE/GOCACHE as usual (cache them
# in CI together with REHEARSE_CACHE: a warm run then takes seconds).
# Usage: scripts/build-control-plane.sh [--force]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${REHEARSE_CACHE:-$HOME/.cache/rehearse}"
out="$cache/control-plane"
force="${1:-}"
t_all=$SECONDS

say() { printf '[build-control-plane] %s %s\n' "$(date -u +%H:%M:%S)" "$*"; }

command -v go >/dev/null || { say "the Go toolchain (go) is needed to build the control plane"; exit 1; }
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=readonly"
goversion="$(go env GOVERSION)"
case "$goversion" in
  go1.2[6-9]* | go1.[3-9][0-9]* | go[2-9]*) ;;
  *) say "$goversion is too old (tools/*/go.mod declare go 1.26.0)"; exit 1 ;;
esac
mkdir -p "$out/bin" "$out/crds"

# pinned <tools dir> <module path>: the version go.mod pins.
pinned() { (cd "$repo/tools/$1" && go list -m -f '{{.Version}}' "$2"); }
# moddir <tools dir> <module path>: where the pinned module is unpacked (downloads it if needed).
moddir() { (cd "$repo/tools/$1" && go mod download "$2" && go list -m -f '{{.Dir}}' "$2"); }
# modtime <tools dir> <module path>: the module version's commit time (a reproducible build date).
modtime() { (cd "$repo/tools/$1" && go list -m -f '{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' "$2"); }
sumhash() { cat "$repo/tools/$1/go.mod" "$repo/tools/$1/go.sum" | sha256sum | cut -c1-16; }

# build <name> <tools dir> <package> <version> <ldflags>
build() {
  local name="$1" dir="$2" pkg="$3" version="$4" ldflags="$5"
  local bin="$out/bin/$name" stamp="$out/bin/$name.stamp" t0=$SECONDS
  local want="$version $(sumhash "$dir") $goversion $(printf '%s' "$ldflags" | sha256sum | cut -c1-16)"
  if [[ "$force" != "--force" && -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    say "$name $version up to date"
  else
    say "building $name $version with $goversion (minutes on a cold Go build cache)"
    local tmp
    tmp="$(mktemp "$out/bin/.$name.XXXXXX")"
    # shellcheck disable=SC2064
    trap "rm -f '$tmp'" EXIT
    (cd "$repo/tools/$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$tmp" "$pkg")
    chmod +x "$tmp" && mv -f "$tmp" "$bin"
    trap - EXIT
    echo "$want" >"$stamp"
  fi
  say "$name: $((SECONDS - t0)) s"
}

# ------------------------------------------------------------------------------------------------
# etcd: the version itself is a constant in go.etcd.io/etcd/api/v3/version; only GitSHA is stamped.
etcd_v="$(pinned etcd go.etcd.io/etcd/server/v3)"
build etcd etcd go.etcd.io/etcd/server/v3 "$etcd_v" \
  "-X go.etcd.io/etcd/api/v3/version.GitSHA=module-$etcd_v"

# ------------------------------------------------------------------------------------------------
# Kubernetes: the keys kubernetes' hack/lib/version.sh (kube::version::ldflags) sets, under both
# k8s.io/component-base/version and k8s.io/client-go/pkg/version.
k8s_v="$(pinned k8s k8s.io/kubernetes)"
if [[ ! "$k8s_v" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]]; then say "unexpected pinned Kubernetes version $k8s_v"; exit 1; fi
k8s_minor="${BASH_REMATCH[1]}"
k8s_date="$(modtime k8s k8s.io/kubernetes)"
k8s_ld=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  k8s_ld+=" -X $p.gitVersion=$k8s_v -X $p.gitMajor=1 -X $p.gitMinor=$k8s_minor"
  k8s_ld+=" -X $p.gitCommit=module-$k8s_v -X $p.gitTreeState=clean -X $p.buildDate=${k8s_date:-1970-01-01T00:00:00Z}"
done
build kube-apiserver k8s k8s.io/kubernetes/cmd/kube-apiserver "$k8s_v" "$k8s_ld"
build kube-controller-manager k8s k8s.io/kubernetes/cmd/kube-controller-manager "$k8s_v" "$k8s_ld"

# ------------------------------------------------------------------------------------------------
# Argo Rollouts: the keys of argo-rollouts' Makefile (LDFLAGS). gitTag + gitCommit + clean make
# `--version` print the plain tag (utils/version/version.go: GetVersion). The Makefile sets gitTag
# on the root package, where no such variable exists; it is set here where GetVersion reads it.
argo_v="$(pinned rollouts github.com/argoproj/argo-rollouts)"
argo_date="$(modtime rollouts github.com/argoproj/argo-rollouts)"
argo_pkg=github.com/argoproj/argo-rollouts/utils/version
argo_ld="-X $argo_pkg.version=${argo_v#v} -X $argo_pkg.buildDate=${argo_date:-1970-01-01T00:00:00Z}"
argo_ld+=" -X $argo_pkg.gitCommit=module-$argo_v -X $argo_pkg.gitTag=$argo_v -X $argo_pkg.gitTreeState=clean"
build rollouts-controller rollouts github.com/argoproj/argo-rollouts/cmd/rollouts-controller "$argo_v" "$argo_ld"

# The CRDs travel with the binary (the module cache may be cleaned independently).
argo_dir="$(moddir rollouts github.com/argoproj/argo-rollouts)"
rm -f "$out/crds/"*.yaml
for f in "$argo_dir"/manifests/crds/*-crd.yaml; do install -m 0644 "$f" "$out/crds/"; done

cat >"$out/versions.env.tmp" <<EOF
ETCD=$etcd_v
KUBERNETES=$k8s_v
ARGO_ROLLOUTS=$argo_v
GO=$goversion
EOF
mv -f "$out/versions.env.tmp" "$out/versions.env"

say "--version of each binary:"
"$out/bin/etcd" --version | head -1
"$out/bin/kube-apiserver" --version
"$out/bin/kube-controller-manager" --version
"$out/bin/rollouts-controller" --version
say "done in $((SECONDS - t_all)) s; binaries under $out/bin"
