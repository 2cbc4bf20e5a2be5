# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables are used by the scripts that source this file
# Shared by the development-cluster scripts: the pinned releases, the cache, the state directory and the names of
# everything the cluster creates (each begins with "drainlab" so the stop script removes exactly these).

# Kubernetes 1.35: the last release that supports containerd 1.x (Debian 12 has 1.6), and whose kubelet still starts
# on cgroup v1 when told so (failCgroupV1: false, KEP-5573). etcd as pinned by that release's go.mod.
K8S_VERSION=${DEVCLUSTER_K8S_VERSION:-v1.35.4}
ETCD_VERSION=${DEVCLUSTER_ETCD_VERSION:-v3.6.5}
CRICTL_VERSION=v1.34.0
K8S_STAGING_MODULES="api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider
cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api cri-client
csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms kube-aggregator kube-controller-manager
kube-proxy kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission sample-apiserver sample-cli-plugin
sample-controller"

DEVCLUSTER_CACHE=${DEVCLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/drainlab-devcluster}
DEVCLUSTER_STATE=${DEVCLUSTER_STATE:-/var/lib/drainlab-devcluster}
DEVCLUSTER_RUN=/run/drainlab-devcluster

say() { printf 'devcluster: %s\n' "$*" >&2; }
die() {
  printf 'devcluster: %s\n' "$*" >&2
  exit "${2:-4}"
}

# Names and addresses. Pod addresses exist only inside network namespaces this cluster's containerd makes; service
# addresses only in kube-proxy's rules; the bridge's own address is the node's (API server, kubelet).
NODE_NAME=drainlab-node-1
BRIDGE=drainlab0
NODE_IP=10.244.0.1
POD_SUBNET=10.244.0.0/24
CLUSTER_CIDR=10.244.0.0/16
SERVICE_CIDR=10.96.0.0/20
API_PORT=6443
ETCD_CLIENT_PORT=23790
ETCD_PEER_PORT=23800
CONTEXT_NAME=drainlab-devcluster
CGROUP_ROOT=drainlab-devcluster
CONTAINERD_SOCK=$DEVCLUSTER_RUN/containerd.sock
KUBECONFIG_FILE=$DEVCLUSTER_STATE/kubeconfig
BIN=$DEVCLUSTER_CACHE/bin
# The components in start order; the stop script ends them in reverse.
COMPONENTS="containerd etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy"

# Paths the components write outside the state directories no matter what they are told; up records which of them
# existed before, so down removes only those it made.
FOREIGN_PATHS="/run/containerd /var/lib/cni /var/log/containers /var/log/pods /run/netns"

pid_of() { cat "$DEVCLUSTER_RUN/pids/$1" 2>/dev/null || true; }
alive() { [[ -n $1 ]] && kill -0 "$1" 2>/dev/null; }
