# Sourced by the A/B scripts here: the repository root as the working directory, and a fresh local 3-member
# cluster (tools/cluster.sh, CAIRN_CLUSTER_DIR defaulting to /tmp/cairn-cluster) started and purged.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export CAIRN_CLUSTER_DIR=${CAIRN_CLUSTER_DIR:-/tmp/cairn-cluster}

# fresh_cluster "JAVA_OPTS": down --purge, then up with CAIRN_JAVA_OPTS=JAVA_OPTS; exits when it does not come up.
fresh_cluster() {
  tools/cluster.sh down --purge >/dev/null 2>&1
  CAIRN_JAVA_OPTS="$1" tools/cluster.sh up >/dev/null 2>&1 || { echo "the cluster did not come up" >&2; exit 1; }
}

purge_cluster() {
  tools/cluster.sh down --purge >/dev/null 2>&1
}
