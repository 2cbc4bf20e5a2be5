#!/usr/bin/env bash
# Starts drainlab's development cluster on this Linux host (root, cgroup v1 or v2): etcd, the Kubernetes control
# plane, one kubelet on containerd + runc with pods on the bridge drainlab0, and kube-proxy in iptables mode. Images
# are made locally (pause, the workload) and imported; nothing is pulled. Writes a kubeconfig of its own and prints
# the command that runs the experiment on it. Interrupted half-way, it stops what it started.
# Usage: scripts/devcluster/up.sh    (then scripts/devcluster/down.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/devcluster/common.sh
. "$here/common.sh"

[[ $(id -u) == 0 ]] || die "the development cluster needs root (network namespaces, mounts, iptables): run with sudo" 4
[[ $(uname -s) == Linux ]] || die "the development cluster runs on Linux only; use --platform kind elsewhere" 4
missing=()
for tool in containerd runc ctr iptables iptables-save ip openssl curl cc tar; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/loopback ]] || missing+=("CNI plugins")
if ((${#missing[@]})); then
  die "missing: ${missing[*]}; on Debian/Ubuntu: apt-get install containerd runc containernetworking-plugins iptables conntrack iproute2 openssl curl gcc" 4
fi
if [[ -d $DEVCLUSTER_RUN ]]; then
  die "$DEVCLUSTER_RUN exists: a development cluster is running or was not stopped; run scripts/devcluster/down.sh" 4
fi
"$here/build.sh"

mkdir -p "$DEVCLUSTER_RUN/pids" "$DEVCLUSTER_STATE"/{pki,logs,etcd,kubelet,pod-logs,containerd,cni/net.d,cni/ipam,images}
# What existed before: down removes only what appeared after.
for p in $FOREIGN_PATHS; do [[ -e $p ]] && echo "$p"; done >"$DEVCLUSTER_RUN/existed-before"
for cmd in iptables-save ip6tables-save; do
  command -v "$cmd" >/dev/null && "$cmd" 2>/dev/null | sed -n 's/^:\([^ ]*\) .*/\1/p' | sort -u
done >"$DEVCLUSTER_RUN/chains-before" || true
ip netns list 2>/dev/null | awk '{print $1}' | sort >"$DEVCLUSTER_RUN/netns-before" || true
if command -v nft >/dev/null; then nft list tables 2>/dev/null | sort >"$DEVCLUSTER_RUN/nft-tables-before"; fi

started=0
on_exit() {
  local rc=$?
  if [[ $started == 0 ]]; then
    say "start failed or was interrupted (exit $rc): stopping what was started"
    "$here/down.sh" --quiet || true
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

log() { echo "$DEVCLUSTER_STATE/logs/$1.log"; }
start() { # name command...
  local name=$1
  shift
  setsid "$@" >"$(log "$name")" 2>&1 </dev/null &
  echo $! >"$DEVCLUSTER_RUN/pids/$name"
}
wait_for() { # what seconds command...
  local what=$1 seconds=$2 i
  shift 2
  for ((i = 0; i < seconds * 2; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  die "$what did not come up in ${seconds}s; see $DEVCLUSTER_STATE/logs/" 4
}
component_alive() {
  local c
  for c in "$@"; do alive "$(pid_of "$c")" || die "$c exited; its log: $(log "$c")" 4; done
}

# --- certificates: one CA, a serving certificate for the API server, client identities ---------------------------
pki=$DEVCLUSTER_STATE/pki
say "making certificates in $pki"
(
  cd "$pki"
  key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1.key" 2>/dev/null; }
  key ca
  openssl req -x509 -new -key ca.key -out ca.crt -days 30 -subj "/CN=drainlab-devcluster-ca" 2>/dev/null
  issue() { # name subject extensions
    key "$1"
    openssl req -new -key "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 30 \
      -extfile <(printf '%s\n' "$3") 2>/dev/null
    rm -f "$1.csr"
  }
  issue apiserver "/CN=kube-apiserver" "keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:$NODE_IP,IP:127.0.0.1,IP:${SERVICE_CIDR%.*/*}.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  issue admin "/O=system:masters/CN=drainlab-devcluster-admin" "keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  issue kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" "keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  key sa
  openssl ec -in sa.key -pubout -out sa.pub 2>/dev/null
)
kubeconfig() { # file user
  local b64="base64 -w0"
  cat >"$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: $CONTEXT_NAME
  cluster:
    server: https://$NODE_IP:$API_PORT
    certificate-authority-data: $($b64 <"$pki/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $($b64 <"$pki/$2.crt")
    client-key-data: $($b64 <"$pki/$2.key")
contexts:
- name: $CONTEXT_NAME
  context: {cluster: $CONTEXT_NAME, user: $2}
current-context: $CONTEXT_NAME
KC
  chmod 600 "$1"
}
kubeconfig "$KUBECONFIG_FILE" admin
kubeconfig "$DEVCLUSTER_STATE/kubelet.kubeconfig" kubelet

# --- the node's bridge: its address is the node's; pods get addresses from POD_SUBNET on it ------------------------
if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
  ip link add "$BRIDGE" type bridge
  echo "$BRIDGE" >"$DEVCLUSTER_RUN/bridge-created"
fi
ip addr replace "$NODE_IP/${POD_SUBNET#*/}" dev "$BRIDGE"
ip link set "$BRIDGE" up

# --- containerd: an instance of its own (socket, root, state, runc root), CNI from Debian's plugins ---------------
cat >"$DEVCLUSTER_STATE/cni/net.d/10-drainlab.conflist" <<CNI
{
  "cniVersion": "0.4.0",
  "name": "drainlab",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$DEVCLUSTER_STATE/cni/ipam",
        "ranges": [[{ "subnet": "$POD_SUBNET", "gateway": "$NODE_IP" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "loopback" }
  ]
}
CNI
restrict_oom=false
# CAP_SYS_RESOURCE is bit 24 of the effective set.
cap_eff=$(awk '/^CapEff/ {print $2}' /proc/self/status)
(((16#$cap_eff >> 24) & 1)) || restrict_oom=true
cat >"$DEVCLUSTER_STATE/containerd.toml" <<TOML
version = 2
root = "$DEVCLUSTER_STATE/containerd"
state = "$DEVCLUSTER_RUN/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$DEVCLUSTER_STATE/containerd-opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "docker.io/drainlab/pause:devcluster"
  # Where root lacks CAP_SYS_RESOURCE (some VMs and sandboxes), runc cannot lower a pod's oom_score_adj below
  # containerd's own (the kubelet asks -998 for sandboxes) and every pod fails to start: clamp it instead.
  restrict_oom_score_adj = $restrict_oom
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$DEVCLUSTER_RUN/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$DEVCLUSTER_STATE/cni/net.d"
TOML
say "starting containerd ($(containerd --version | awk '{print $3}'))"
start containerd containerd --config "$DEVCLUSTER_STATE/containerd.toml"
wait_for containerd 30 ctr -a "$CONTAINERD_SOCK" version

# --- images, made here and imported under the names the cluster uses ---------------------------------------------
say "making the pause and workload images (this machine's Node.js $(node --version) as the base)"
(cd "$repo" && node --import tsx scripts/devcluster/images.ts "$DEVCLUSTER_STATE/images")
for archive in "$DEVCLUSTER_STATE"/images/*.tar; do
  ctr -a "$CONTAINERD_SOCK" -n k8s.io images import --no-unpack=false "$archive" >/dev/null
done
rm -f "$DEVCLUSTER_STATE"/images/*.tar

# --- etcd and the control plane -----------------------------------------------------------------------------------
say "starting etcd $ETCD_VERSION and the control plane (Kubernetes $K8S_VERSION)"
start etcd "$BIN/etcd" --name drainlab --data-dir "$DEVCLUSTER_STATE/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "drainlab=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" \
  --unsafe-no-fsync --log-level warn
wait_for etcd 30 curl -sf "http://127.0.0.1:$ETCD_CLIENT_PORT/health"

start kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --bind-address "$NODE_IP" --advertise-address "$NODE_IP" --secure-port "$API_PORT" \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
  --kubelet-client-certificate "$pki/admin.crt" --kubelet-client-key "$pki/admin.key" \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-cluster-ip-range "$SERVICE_CIDR" --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --kubelet-preferred-address-types InternalIP \
  --allow-privileged=false --profiling=false --cert-dir "$DEVCLUSTER_STATE/apiserver-certs"
wait_for kube-apiserver 90 curl -sf --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
  "https://$NODE_IP:$API_PORT/readyz"

start kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$KUBECONFIG_FILE" \
  --authentication-kubeconfig "$KUBECONFIG_FILE" --authorization-kubeconfig "$KUBECONFIG_FILE" \
  --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" --use-service-account-credentials=false \
  --bind-address 127.0.0.1 --leader-elect=false --profiling=false --controllers '*,-nodeipam'
start kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$KUBECONFIG_FILE" \
  --authentication-kubeconfig "$KUBECONFIG_FILE" --authorization-kubeconfig "$KUBECONFIG_FILE" \
  --bind-address 127.0.0.1 --leader-elect=false --profiling=false

# --- the node: kubelet (cgroup v1 allowed explicitly) and kube-proxy in iptables mode -----------------------------
for hierarchy in /sys/fs/cgroup/*/; do
  [[ -d $hierarchy && ! -L ${hierarchy%/} ]] && mkdir -p "$hierarchy$CGROUP_ROOT"
done
[[ $(stat -fc %T /sys/fs/cgroup) == cgroup2fs ]] && mkdir -p "/sys/fs/cgroup/$CGROUP_ROOT"
cat >"$DEVCLUSTER_STATE/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This host has cgroup v1; from 1.35 a kubelet refuses it unless told (KEP-5573).
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: /$CGROUP_ROOT
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
podLogsDir: $DEVCLUSTER_STATE/pod-logs
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: AlwaysAllow}
failSwapOn: false
resolvConf: ""
evictionHard: {memory.available: 100Mi, nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
YAML
start kubelet "$BIN/kubelet" --config "$DEVCLUSTER_STATE/kubelet.yaml" \
  --kubeconfig "$DEVCLUSTER_STATE/kubelet.kubeconfig" --root-dir "$DEVCLUSTER_STATE/kubelet" \
  --cert-dir "$DEVCLUSTER_STATE/kubelet/pki" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP"
cat >"$DEVCLUSTER_STATE/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $KUBECONFIG_FILE}
hostnameOverride: $NODE_NAME
clusterCIDR: $CLUSTER_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$NODE_IP/32"]
# kind's defaults for the iptables proxier; conntrack sysctls left as they are (0).
iptables: {minSyncPeriod: 1s, syncPeriod: 30s, localhostNodePorts: false, masqueradeAll: false}
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML
start kube-proxy "$BIN/kube-proxy" --config "$DEVCLUSTER_STATE/kube-proxy.yaml"

kubectl() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }
node_ready() { [[ $(kubectl get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}') == True ]]; }
wait_for "node $NODE_NAME" 120 node_ready
# shellcheck disable=SC2086 # one argument per component
component_alive $COMPONENTS
sa_ready() { kubectl -n default get serviceaccount default && kubectl -n default get configmap kube-root-ca.crt; }
wait_for "the default service account" 60 sa_ready

# kube-proxy's configuration where kubeadm and kind publish it, so results record the mode the harness ran against.
kubectl -n kube-system create configmap kube-proxy --from-file=config.conf="$DEVCLUSTER_STATE/kube-proxy.yaml" >/dev/null

started=1
say "up: Kubernetes $K8S_VERSION, one node ($NODE_NAME), kube-proxy iptables, containerd $(containerd --version | awk '{print $3}')"
cat <<TXT
kubeconfig: $KUBECONFIG_FILE (context $CONTEXT_NAME)
run the experiment on it:
  KUBECONFIG=$KUBECONFIG_FILE DRAINLAB_WORKLOAD_IMAGE=drainlab/workload:devcluster \\
    npm run experiment -- --context $CONTEXT_NAME --i-understand-this-is-not-a-harness-cluster --load builtin
stop it: scripts/devcluster/down.sh
TXT
