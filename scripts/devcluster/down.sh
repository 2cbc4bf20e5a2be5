#!/usr/bin/env bash
# Stops drainlab's development cluster and removes everything its start made: the pods (through the CRI, so CNI
# releases their network namespaces and addresses), the processes, mounts under its own folders, the bridge and its
# veths, the iptables chains that appeared after the start, cgroups, conntrack entries of its address ranges, and the
# state folders. Only what up.sh recorded or named; safe to run twice ("nothing to stop"). The build cache stays.
# Usage: scripts/devcluster/down.sh [--quiet]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/devcluster/common.sh
. "$here/common.sh"
quiet=0
[[ ${1:-} == --quiet ]] && quiet=1
note() { [[ $quiet == 1 ]] || say "$*"; }

[[ $(id -u) == 0 ]] || die "stopping the development cluster needs root: run with sudo" 4
if [[ ! -d $DEVCLUSTER_RUN && ! -d $DEVCLUSTER_STATE ]]; then
  note "nothing to stop: no development cluster state ($DEVCLUSTER_RUN, $DEVCLUSTER_STATE)"
  exit 0
fi

stop_pid() { # name pid
  local name=$1 pid=$2 i
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 40; i++)); do
    alive "$pid" || return 0
    sleep 0.25
  done
  note "$name did not stop in 10 s: killing it"
  kill -KILL "$pid" 2>/dev/null
  sleep 0.2
}

# 1. The node first, so nothing restarts pods; then the pods through the CRI while containerd still runs.
for c in kube-proxy kubelet; do stop_pid "$c" "$(pid_of "$c")"; done
netns_of_pods=()
if alive "$(pid_of containerd)" && [[ -x $BIN/crictl ]]; then
  crictl() { "$BIN/crictl" --runtime-endpoint "unix://$CONTAINERD_SOCK" --timeout 30s "$@"; }
  for id in $(crictl pods -q 2>/dev/null); do
    ns=$(crictl inspectp "$id" 2>/dev/null | sed -n 's/.*"path": "\(\/var\/run\/netns\/[^"]*\)".*/\1/p' | head -1)
    [[ -n $ns ]] && netns_of_pods+=("$(basename "$ns")")
  done
  crictl rmp --force --all >/dev/null 2>&1 || note "warning: removing pods through the CRI failed"
fi
# 2. The rest of the components, newest first.
for c in kube-scheduler kube-controller-manager kube-apiserver etcd containerd; do stop_pid "$c" "$(pid_of "$c")"; done
# Shims this containerd started outlive it by design; they carry its socket path in their arguments.
for pid in $(pgrep -f -- "-address $CONTAINERD_SOCK" 2>/dev/null); do stop_pid containerd-shim "$pid"; done

# 3. kube-proxy's own rules (its --cleanup), then any chain that appeared after the start, in both families.
if [[ -x $BIN/kube-proxy ]]; then "$BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true; fi
if [[ -f $DEVCLUSTER_RUN/chains-before ]]; then
  for family in iptables ip6tables; do
    command -v "$family-save" >/dev/null || continue
    for table in $("$family-save" 2>/dev/null | sed -n 's/^\*//p'); do
      dump=$("$family-save" -t "$table" 2>/dev/null)
      mapfile -t new_chains < <(sed -n 's/^:\([^ ]*\) - .*/\1/p' <<<"$dump" | grep -vxF -f "$DEVCLUSTER_RUN/chains-before")
      ((${#new_chains[@]})) || continue
      # Rules that jump to a new chain, from any chain, go first (deleted by their spec, so one dump serves all);
      # then the chains themselves.
      for chain in "${new_chains[@]}"; do
        grep -E -- "-j $chain( |$)" <<<"$dump" | sed 's/^-A /-D /' | while read -r rule; do
          eval "$family -t $table $rule" 2>/dev/null || true
        done
      done
      for chain in "${new_chains[@]}"; do "$family" -t "$table" -F "$chain" 2>/dev/null; done
      for chain in "${new_chains[@]}"; do "$family" -t "$table" -X "$chain" 2>/dev/null; done
    done
  done
fi

# iptables-nft makes a table the first time a family's table is used; one that came with the cluster and holds no rule
# any more goes too.
if [[ -f $DEVCLUSTER_RUN/nft-tables-before ]] && command -v nft >/dev/null; then
  nft list tables 2>/dev/null | sort | comm -13 "$DEVCLUSTER_RUN/nft-tables-before" - | while read -r _ family name; do
    # A line that is not a table, chain, hook/policy line or a brace is a rule.
    nft list table "$family" "$name" 2>/dev/null | grep -qvE '^\s*(table |chain |type |policy |\}|$)' ||
      nft delete table "$family" "$name" 2>/dev/null
  done
fi

# 4. Mounts under the cluster's own folders (pod volumes, container root filesystems, shm), deepest first.
for root in "$DEVCLUSTER_RUN" "$DEVCLUSTER_STATE"; do
  findmnt -rn -o TARGET | grep -F "$root/" | sort -r | while read -r target; do
    umount "$target" 2>/dev/null || umount -l "$target" 2>/dev/null || note "warning: could not unmount $target"
  done
done
# 5. Network namespaces of this cluster's pods that are still there, then the bridge and any veth left on it.
for ns in "${netns_of_pods[@]}"; do ip netns delete "$ns" 2>/dev/null; done
if [[ -f $DEVCLUSTER_RUN/netns-before ]]; then
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -vxF -f "$DEVCLUSTER_RUN/netns-before" | grep '^cni-'); do
    note "removing network namespace $ns (made while the cluster ran)"
    ip netns delete "$ns" 2>/dev/null
  done
fi
if ip link show "$BRIDGE" >/dev/null 2>&1; then
  for veth in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link delete "$veth" 2>/dev/null
  done
  ip link delete "$BRIDGE" 2>/dev/null
fi
# 6. Connection-tracking entries of the pod and service ranges, and the kubelet's cgroups.
if command -v conntrack >/dev/null; then
  for range in "$POD_SUBNET" "$SERVICE_CIDR"; do
    conntrack -D -d "$range" >/dev/null 2>&1
    conntrack -D -s "$range" >/dev/null 2>&1
  done
fi
for top in /sys/fs/cgroup/*/"$CGROUP_ROOT" "/sys/fs/cgroup/$CGROUP_ROOT"; do
  [[ -d $top ]] && find "$top" -depth -type d -exec rmdir {} + 2>/dev/null
done

# 7. Paths outside the state folders that did not exist before the start; the state folders last.
if [[ -f $DEVCLUSTER_RUN/existed-before ]]; then
  for p in $FOREIGN_PATHS; do
    if [[ -e $p ]] && ! grep -qxF "$p" "$DEVCLUSTER_RUN/existed-before"; then
      if findmnt -rn -o TARGET | grep -qF "$p/"; then
        note "warning: $p still has mounts; left in place"
      else
        rm -rf "$p"
      fi
    fi
  done
fi
[[ -d /var/lib/cni/results ]] && find /var/lib/cni/results -name 'drainlab-*' -delete 2>/dev/null
left=$(findmnt -rn -o TARGET | grep -cE "^($DEVCLUSTER_RUN|$DEVCLUSTER_STATE)/")
if [[ $left == 0 ]]; then
  rm -rf "$DEVCLUSTER_RUN" "$DEVCLUSTER_STATE"
else
  note "warning: $left mounts remain under $DEVCLUSTER_STATE or $DEVCLUSTER_RUN; folders left in place"
fi

# What is still there, checked rather than assumed.
leftovers=()
for c in $COMPONENTS; do
  pgrep -f -- "$BIN/$c" >/dev/null 2>&1 && leftovers+=("process $c")
done
pgrep -f -- "-address $CONTAINERD_SOCK" >/dev/null 2>&1 && leftovers+=("containerd shims")
ip link show "$BRIDGE" >/dev/null 2>&1 && leftovers+=("bridge $BRIDGE")
[[ -e $DEVCLUSTER_RUN || -e $DEVCLUSTER_STATE ]] && leftovers+=("state folders")
for top in /sys/fs/cgroup/*/"$CGROUP_ROOT"; do [[ -d $top ]] && leftovers+=("cgroup $top"); done
if ((${#leftovers[@]})); then
  say "stopped, but left: ${leftovers[*]}"
  exit 1
fi
note "stopped: no processes, mounts, network namespaces, bridge, iptables chains or state of the cluster are left"
