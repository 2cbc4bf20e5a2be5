#!/usr/bin/env bash
# Builds the development cluster's Kubernetes components, etcd and crictl from Go modules, once, into a cache:
#   $DEVCLUSTER_CACHE/bin/{kube-apiserver,kube-controller-manager,kube-scheduler,kubelet,kube-proxy,kubectl,etcd,crictl}
# k8s.io/kubernetes as a module needs its staging modules (k8s.io/api, …) pinned by replace directives, so this writes
# a small module of its own in the cache that requires the release and builds its commands. Nothing is downloaded but
# Go modules. A second run with the same release does nothing. Usage: scripts/devcluster/build.sh [--force]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/devcluster/common.sh
. "$here/common.sh"

force=0
[[ ${1:-} == --force ]] && force=1
stamp="$DEVCLUSTER_CACHE/bin/.built-$K8S_VERSION-etcd-$ETCD_VERSION-crictl-$CRICTL_VERSION"
if [[ $force == 0 && -f $stamp ]]; then
  say "components for Kubernetes $K8S_VERSION and etcd $ETCD_VERSION are built (in $DEVCLUSTER_CACHE/bin)"
  exit 0
fi
command -v go >/dev/null || die "go is not on PATH: install Go 1.25 or newer (Kubernetes $K8S_VERSION needs it)"

src="$DEVCLUSTER_CACHE/src-$K8S_VERSION"
mkdir -p "$src" "$DEVCLUSTER_CACHE/bin"
staging_version="v0.${K8S_VERSION#v1.}"
{
  echo "module drainlab.local/devcluster"
  echo
  echo "go 1.25.0"
  echo
  echo "require k8s.io/kubernetes $K8S_VERSION"
  echo
  echo "replace ("
  for m in $K8S_STAGING_MODULES; do echo "	k8s.io/$m => k8s.io/$m $staging_version"; done
  echo ")"
} >"$src/go.mod"
# The commands to build, imported so that `go mod tidy` keeps what they need.
cat >"$src/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
cd "$src"
say "resolving modules for Kubernetes $K8S_VERSION (first time: a few hundred MB of Go modules)"
go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >/dev/null
go mod tidy
ldflags="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$(cut -d. -f2 <<<"$K8S_VERSION")"
  ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done
for cmd in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
  say "building $cmd $K8S_VERSION"
  CGO_ENABLED=0 go build -trimpath -tags tools -ldflags "$ldflags" -o "$DEVCLUSTER_CACHE/bin/$cmd" "k8s.io/kubernetes/cmd/$cmd"
done
say "building etcd $ETCD_VERSION"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$DEVCLUSTER_CACHE/bin/etcd" go.etcd.io/etcd/server/v3
# crictl: the stop script removes pods through the CRI, so CNI releases their namespaces and addresses. A module of
# its own (no replace directives): 1.34 is the release nearest to Kubernetes' that the module proxy serves.
say "building crictl $CRICTL_VERSION"
GOBIN="$DEVCLUSTER_CACHE/bin" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" \
  "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION"
rm -f "$DEVCLUSTER_CACHE"/bin/.built-*
touch "$stamp"
say "built into $DEVCLUSTER_CACHE/bin"
