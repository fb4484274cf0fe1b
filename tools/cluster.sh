#!/usr/bin/env bash
# A local 3-member cluster on loopback, and failure drills run against it.
#
#   tools/cluster.sh up                  start m1, m2, m3 in the background; wait until all are healthy
#   tools/cluster.sh down [--purge]      SIGTERM every member (SIGKILL after a deadline); --purge removes the work dir
#   tools/cluster.sh status              endpoint status and member list, as tables
#   tools/cluster.sh logs [NAME]         the tail of one member's log (of every log without NAME)
#   tools/cluster.sh kill NAME           kill -9 one member
#   tools/cluster.sh start NAME          start one member again with its saved flags; wait until it serves
#   tools/cluster.sh failed-leader       kill -9 the leader, elect another, write, bring the old leader back
#   tools/cluster.sh quorum-loss         stop 2 of 3: writes time out, serializable reads still answer; recover
#   tools/cluster.sh scale               add m4 and m5 as learners, promote them, then remove both again
#   tools/cluster.sh member-readd        remove m3, wipe its data dir, add it back as a new member
#   tools/cluster.sh data-loss           snapshot, delete keys, restore every member from the snapshot
#
# Members (client/peer ports on 127.0.0.1): m1 2379/2380, m2 22379/22380, m3 32379/32380; the scale drill adds
# m4 42379/42380 and m5 52379/52380. The drills start the cluster when it is not up, print each step and the
# etcdctl commands they run, check the outcome with etcdctl, and exit 1 with the reason when a check fails.
# Every key a drill writes under drill/ is recorded in the work dir's ledger; each drill ends by checking that all
# recorded keys are still there. Reset everything with `down --purge`.
#
# Environment:
#   CAIRN_CLUSTER_DIR      work dir: data/NAME, logs/NAME.log, run/NAME.{pid,env}, ledger, backup/
#                          (default /tmp/cairn-cluster)
#   CAIRN_SERVER           member command, given etcd's flags (default $ROOT/bin/cairn; `etcd` runs the real etcd)
#   CAIRN_SERVER_ARGS      extra flags for every member, e.g. "--backend-engine xodus" (Cairn only)
#   ETCDCTL                etcdctl command (default etcdctl; ETCDCTL_API=3 is exported)
#   CAIRNUTL               Cairn's offline tool, for `snapshot restore` (default $ROOT/bin/cairnutl)
#   CAIRN_RESTORE          snapshot restore command, given etcdutl 3.5's flags: FILE --data-dir --name
#                          --initial-cluster --initial-cluster-token --initial-advertise-peer-urls
#                          (default "$CAIRNUTL snapshot restore", or "$ETCDCTL snapshot restore" when CAIRN_SERVER
#                          is etcd: etcdctl 3.4 takes the same flags)
#   CAIRN_CLUSTER_TOKEN    --initial-cluster-token (default cairn-local)
#   CAIRN_CLUSTER_TIMEOUT  seconds each wait may take before the drill fails (default 60)
#   CAIRN_STOP_TIMEOUT     seconds between SIGTERM and SIGKILL (default 20)
#   CAIRN_LOG_LINES        lines shown by `logs NAME` (default 100)
#   PYTHON                 python 3 used to read etcdctl's JSON (default python3)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

DIR=${CAIRN_CLUSTER_DIR:-/tmp/cairn-cluster}
TOKEN=${CAIRN_CLUSTER_TOKEN:-cairn-local}
TIMEOUT_S=${CAIRN_CLUSTER_TIMEOUT:-60}
STOP_TIMEOUT_S=${CAIRN_STOP_TIMEOUT:-20}
LOG_LINES=${CAIRN_LOG_LINES:-100}
PYTHON=${PYTHON:-python3}
POLL_INTERVAL_S=0.2
HEARTBEAT_MS=100
ELECTION_MS=1000
LEDGER=$DIR/ledger
MARKER=$DIR/.cairn-cluster

read -ra SERVER_CMD <<<"${CAIRN_SERVER:-$ROOT/bin/cairn}"
read -ra SERVER_EXTRA_ARGS <<<"${CAIRN_SERVER_ARGS:-}"
read -ra ETCDCTL_CMD <<<"${ETCDCTL:-etcdctl}"
# A Cairn snapshot is Cairn's backend image, not a bbolt file: cairnutl reads it, etcdctl reads etcd's.
if [[ $(basename "${SERVER_CMD[0]}") == etcd ]]; then
  RESTORE_CMD=("${ETCDCTL_CMD[@]}" snapshot restore)
  STATUS_CMD=("${ETCDCTL_CMD[@]}" snapshot status)
else
  read -ra RESTORE_CMD <<<"${CAIRNUTL:-$ROOT/bin/cairnutl} snapshot restore"
  read -ra STATUS_CMD <<<"${CAIRNUTL:-$ROOT/bin/cairnutl} snapshot status"
fi
if [[ -n ${CAIRN_RESTORE:-} ]]; then
  read -ra RESTORE_CMD <<<"$CAIRN_RESTORE"
fi
export ETCDCTL_API=3
# Members get their configuration from flags only: an ETCD_* variable of the caller's shell would override or
# conflict with them (ETCDCTL_* variables stay: they configure etcdctl).
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^ETCD_' || true)

INITIAL_MEMBERS=(m1 m2 m3)
ALL_MEMBERS=(m1 m2 m3 m4 m5)
SCENARIO=cluster
STEP=0
exec 3>&1 # narrative: stays on stdout when a command's output is captured

# ---- output -------------------------------------------------------------------------------------------------

log() { printf '[%s] %s\n' "$SCENARIO" "$*" >&3; }
ok() { printf '    ok: %s\n' "$*" >&3; }
step() {
  STEP=$((STEP + 1))
  printf '\n==> %s %d. %s\n' "$SCENARIO" "$STEP" "$*" >&3
}
die() {
  printf '\n[%s] FAILED: %s\n' "$SCENARIO" "$*" >&2
  exit 1
}
indent() { sed 's/^/      /' >&3; }

# ---- members ------------------------------------------------------------------------------------------------

is_member() { [[ $1 =~ ^m[1-5]$ ]]; }
client_port() { echo $((${1#m} == 1 ? 2379 : ${1#m} * 10000 + 2379)); }
peer_port() { echo $(($(client_port "$1") + 1)); }
endpoint() { echo "127.0.0.1:$(client_port "$1")"; }
client_url() { echo "http://127.0.0.1:$(client_port "$1")"; }
peer_url() { echo "http://127.0.0.1:$(peer_port "$1")"; }
data_dir() { echo "$DIR/data/$1"; }
pid_file() { echo "$DIR/run/$1.pid"; }
env_file() { echo "$DIR/run/$1.env"; }
log_file() { echo "$DIR/logs/$1.log"; }

# endpoints NAME...: the comma-separated client endpoints of these members.
endpoints() {
  local name list=()
  for name in "$@"; do list+=("$(endpoint "$name")"); done
  (IFS=,; echo "${list[*]}")
}

initial_cluster() {
  local name list=()
  for name in "${INITIAL_MEMBERS[@]}"; do list+=("$name=$(peer_url "$name")"); done
  (IFS=,; echo "${list[*]}")
}

# member_pid NAME: prints the pid of the running member NAME, or fails. The pid file alone is not trusted: the
# process must be alive (not a zombie) and be the member started on this work dir's data dir.
member_pid() {
  local file pid state
  file=$(pid_file "$1")
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  [[ -r /proc/$pid/stat ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state != Z ]] || return 1
  grep -qxF -- "$(data_dir "$1")" < <(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  echo "$pid"
}

running_members() {
  local name
  for name in "${ALL_MEMBERS[@]}"; do
    if member_pid "$name" >/dev/null; then echo "$name"; fi
  done
}

port_in_use() { [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; }

# check_ports NAME...: the client and peer ports of these (not running) members are free.
check_ports() {
  local name port
  for name in "$@"; do
    for port in "$(client_port "$name")" "$(peer_port "$name")"; do
      if port_in_use "$port"; then
        die "port $port for $name is in use by another process (see: ss -ltnp 'sport = :$port')"
      fi
    done
  done
}

# save_member_env NAME INITIAL_CLUSTER STATE: the bootstrap flags `start NAME` uses (ignored by a member whose
# data dir already holds a WAL).
save_member_env() {
  mkdir -p "$DIR/run"
  printf 'INITIAL_CLUSTER=%s\nINITIAL_CLUSTER_STATE=%s\n' "$2" "$3" >"$(env_file "$1")"
}

start_member() {
  local name=$1 pid port initial_cluster state line args key value
  if pid=$(member_pid "$name"); then
    log "$name is already running (pid $pid)"
    return 0
  fi
  check_ports "$name"
  initial_cluster=$(initial_cluster)
  state=new
  if [[ -f $(env_file "$name") ]]; then
    while IFS='=' read -r key value; do
      case $key in
        INITIAL_CLUSTER) initial_cluster=$value ;;
        INITIAL_CLUSTER_STATE) state=$value ;;
      esac
    done <"$(env_file "$name")"
  fi
  args=(--name "$name" --data-dir "$(data_dir "$name")"
    --listen-client-urls "$(client_url "$name")" --advertise-client-urls "$(client_url "$name")"
    --listen-peer-urls "$(peer_url "$name")" --initial-advertise-peer-urls "$(peer_url "$name")"
    --initial-cluster "$initial_cluster" --initial-cluster-state "$state" --initial-cluster-token "$TOKEN"
    --heartbeat-interval "$HEARTBEAT_MS" --election-timeout "$ELECTION_MS" "${SERVER_EXTRA_ARGS[@]}")
  if [[ -d $(data_dir "$name")/member ]]; then
    state="restarting from its data dir (the bootstrap flags are ignored)"
  else
    state="bootstrapping: --initial-cluster-state $state"
  fi
  mkdir -p "$DIR/logs" "$DIR/run" "$DIR/data"
  rm -f "$(pid_file "$name")"
  line="$(date -u +%FT%TZ) starting: ${SERVER_CMD[*]} ${args[*]}"
  echo "$line" >>"$(log_file "$name")"
  # Its own session (not killed by ^C on this script) and process group; the shell writes its pid, then execs.
  # No descriptor of this script stays open in the member (3>&-), or `cluster.sh up | tail` would never end.
  # shellcheck disable=SC2016 # $$, $0 and $@ belong to the inner shell
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$(pid_file "$name")" "${SERVER_CMD[@]}" "${args[@]}" \
    </dev/null >>"$(log_file "$name")" 2>&1 3>&- &
  poll 10 "the pid file of $name" test -s "$(pid_file "$name")"
  log "started $name (pid $(<"$(pid_file "$name")"), $(client_url "$name"), $state, log $(log_file "$name"))"
}

# wait_gone PID SECONDS: whether the process ended within SECONDS.
wait_gone() {
  local deadline=$((SECONDS + $2)) state
  while [[ -r /proc/$1/stat ]]; do
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || break
    [[ $state != Z ]] || break
    ((SECONDS < deadline)) || return 1
    sleep "$POLL_INTERVAL_S"
  done
}

# stop_members NAME...: SIGTERM to each running member, SIGKILL to those still running after the deadline.
stop_members() {
  local name pid pids=() names=()
  for name in "$@"; do
    if pid=$(member_pid "$name"); then
      log "stopping $name (pid $pid): SIGTERM"
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
      names+=("$name")
    elif [[ -f $(pid_file "$name") ]]; then
      log "$name is not running (any more)"
      rm -f -- "$(pid_file "$name")"
    fi
  done
  local i
  for i in "${!pids[@]}"; do
    if ! wait_gone "${pids[i]}" "$STOP_TIMEOUT_S"; then
      log "${names[i]} still running ${STOP_TIMEOUT_S}s after SIGTERM: SIGKILL"
      kill -KILL -- "-${pids[i]}" 2>/dev/null || kill -KILL "${pids[i]}" 2>/dev/null || true
      wait_gone "${pids[i]}" 10 || die "${names[i]} (pid ${pids[i]}) survived SIGKILL"
    fi
    log "${names[i]} stopped"
  done
}

kill_member() {
  local pid
  pid=$(member_pid "$1") || die "$1 is not running"
  log "kill -9 $1 (pid $pid)"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
  wait_gone "$pid" 10 || die "$1 (pid $pid) survived SIGKILL"
}

# ---- etcdctl ------------------------------------------------------------------------------------------------

# Later flags override these defaults (etcdctl keeps the last value of a repeated flag).
etcdctl_q() { "${ETCDCTL_CMD[@]}" --dial-timeout=2s --command-timeout=5s "$@"; }
# ctl ARGS: etcdctl with the command printed first, as an operator would type it.
ctl() {
  printf '    $ %s\n' "${ETCDCTL_CMD[*]} $*" >&3
  etcdctl_q "$@"
}

# Membership changes that etcd refuses for a while, with these errors, and then accepts: every member must have
# been connected for 5 s (a member just restarted), a learner must be in sync to be promoted.
# (Not a timeout: the change may have been applied, and a second try would fail differently.) etcd 3.4 also
# answers a `member add` with "member not found" for a few seconds after a member with the same peer URL was
# removed: member add retries that too (RETRY_ALSO).
RECONFIG_RETRYABLE='unhealthy cluster|not enough started members|in sync with leader'

# ctl_retry ARGS: ctl again while it fails with a RECONFIG_RETRYABLE error (or one matching $RETRY_ALSO), until
# the deadline; sets CTL_OUT.
CTL_OUT=
ctl_retry() {
  local deadline=$((SECONDS + TIMEOUT_S)) said='' retryable=$RECONFIG_RETRYABLE${RETRY_ALSO:+|$RETRY_ALSO}
  printf '    $ %s\n' "${ETCDCTL_CMD[*]} $*" >&3
  until CTL_OUT=$(etcdctl_q "$@" 2>&1); do
    [[ $CTL_OUT =~ $retryable ]] && ((SECONDS < deadline)) || return 1
    if [[ ${CTL_OUT##*$'\n'} != "$said" ]]; then
      said=${CTL_OUT##*$'\n'}
      printf '      (retrying) %s\n' "$said" >&3
    fi
    sleep "$POLL_INTERVAL_S"
  done
}

# status_of NAME: "MEMBER_ID LEADER_ID RAFT_INDEX REVISION" from NAME's `endpoint status -w json`.
# Python reads the JSON because member ids are 64-bit (jq would round them to doubles).
status_of() {
  local json
  json=$(etcdctl_q --endpoints="$(endpoint "$1")" --command-timeout=2s endpoint status -w json 2>/dev/null) ||
    return 1
  # etcdctl leaves out zero fields: no "leader" while an election runs.
  "$PYTHON" -c '
import json, sys
s = json.load(sys.stdin)[0]["Status"]
h = s.get("header", {})
print(h.get("member_id", 0), s.get("leader", 0), s.get("raftIndex", 0), h.get("revision", 0))' <<<"$json"
}

# leader_among NAME...: sets LEADER to the member all of NAME... report as leader, which must be one of them.
# Fails when one does not answer, they disagree, or the leader is not among them.
LEADER=
leader_among() {
  local name id leader_id raft_index revision agreed='' ids=() names=()
  for name in "$@"; do
    read -r id leader_id raft_index revision < <(status_of "$name") || return 1
    [[ -n $id && $leader_id != 0 ]] || return 1
    [[ -z $agreed || $agreed == "$leader_id" ]] || return 1
    agreed=$leader_id
    ids+=("$id")
    names+=("$name")
  done
  local i
  for i in "${!ids[@]}"; do
    if [[ ${ids[i]} == "$agreed" ]]; then
      LEADER=${names[i]}
      return 0
    fi
  done
  return 1
}

# caught_up NAME REF...: NAME follows the leader of REF... and its raft index and revision reached theirs.
CAUGHT_UP=
caught_up() {
  local name=$1 id leader_id raft_index revision max_index=0 max_revision=0 ref leader_ref_id=
  shift
  leader_among "$@" || return 1
  for ref in "$@"; do
    read -r id leader_id raft_index revision < <(status_of "$ref") || return 1
    [[ $ref == "$LEADER" ]] && leader_ref_id=$id
    ((raft_index > max_index)) && max_index=$raft_index
    ((revision > max_revision)) && max_revision=$revision
  done
  read -r id leader_id raft_index revision < <(status_of "$name") || return 1
  [[ $leader_id == "$leader_ref_id" ]] || return 1
  ((raft_index >= max_index && revision >= max_revision)) || return 1
  CAUGHT_UP="$name follows $LEADER; raft index $raft_index, revision $revision (others: $max_index, $max_revision)"
}

healthy() { etcdctl_q --endpoints="$(endpoints "$@")" --command-timeout=3s endpoint health >/dev/null 2>&1; }

# serving NAME: the member answers `endpoint status`; dies at once when its process has ended.
serving() {
  member_pid "$1" >/dev/null || die "$1 exited; the end of $(log_file "$1"):
$(tail -n 20 "$(log_file "$1")")"
  status_of "$1" >/dev/null
}

# member_id NAME REF...: NAME's hex id from REF...'s `member list` (simple output: "ID, STATUS, NAME, PEER URLS,
# CLIENT URLS, IS LEARNER"), found by peer URL: a member that was added but never started has no name yet.
member_id() {
  etcdctl_q --endpoints="$(endpoints "${@:2}")" member list | awk -F', ' -v u="$(peer_url "$1")" '$4 == u {print $1}'
}

# ---- waits --------------------------------------------------------------------------------------------------

# poll SECONDS WHAT CMD...: runs CMD every POLL_INTERVAL_S until it succeeds; fails the drill after SECONDS.
poll() {
  local limit=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + limit))
  until "$@"; do
    ((SECONDS < deadline)) || die "timed out after ${limit}s waiting for $what"
    sleep "$POLL_INTERVAL_S"
  done
}

wait_serving() {
  local name
  for name in "$@"; do poll "$TIMEOUT_S" "$name to serve clients on $(client_url "$name")" serving "$name"; done
}

# ---- ledger of the keys drills wrote ------------------------------------------------------------------------

# put_key ENDPOINTS KEY VALUE: a linearizable put, recorded in the ledger once acknowledged.
put_key() {
  local out
  out=$(ctl --endpoints="$1" put "$2" "$3" 2>&1) || die "put $2 failed: $out"
  echo "$out" | indent
  mkdir -p "$DIR"
  touch "$LEDGER"
  awk -v k="$2" '$1 != k' "$LEDGER" >"$LEDGER.tmp"
  echo "$2 $3" >>"$LEDGER.tmp"
  mv "$LEDGER.tmp" "$LEDGER"
}

# expect_value ENDPOINTS KEY VALUE [GET FLAGS]: a get (linearizable unless flags say otherwise) returns VALUE.
expect_value() {
  local out
  out=$(ctl --endpoints="$1" get "$2" --print-value-only "${@:4}" 2>&1) || die "get $2 failed: $out"
  [[ $out == "$3" ]] || die "get $2 from $1 returned '$out', expected '$3'"
  ok "$2 = $out"
}

# check_ledger NAME...: every key a drill wrote (and was acknowledged) is there with its value.
check_ledger() {
  local out key value n=0 bad=0
  if [[ ! -s $LEDGER ]]; then
    ok "no keys recorded yet"
    return 0
  fi
  out=$(ctl --endpoints="$(endpoints "$@")" get --prefix drill/ 2>&1) || die "get --prefix drill/ failed: $out"
  declare -A found=()
  while IFS= read -r key && IFS= read -r value; do found[$key]=$value; done <<<"$out"
  while read -r key value; do
    n=$((n + 1))
    if [[ ${found[$key]-<missing>} != "$value" ]]; then
      printf '      %s: expected %s, found %s\n' "$key" "$value" "${found[$key]-<missing>}" >&3
      bad=$((bad + 1))
    fi
  done <"$LEDGER"
  ((bad == 0)) || die "$bad of the $n keys in $LEDGER are missing or changed"
  ok "all $n keys written by the drills so far are there with their values"
}

# ---- cluster commands ---------------------------------------------------------------------------------------

init_dir() {
  mkdir -p "$DIR/data" "$DIR/logs" "$DIR/run" "$DIR/backup"
  touch "$MARKER"
}

stop_system_etcd() {
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
    log "a system etcd (Debian's etcd-server) is active and holds 2379/2380: systemctl stop etcd"
    systemctl stop etcd
  fi
}

cmd_up() {
  stop_system_etcd
  init_dir
  local running
  running=$(running_members | tr '\n' ' ')
  if [[ -z $running ]]; then
    # Builds bin/cairn once here, in the foreground, instead of three times at once in the background.
    local version
    version=$("${SERVER_CMD[@]}" --version 2>&1) || die "'${SERVER_CMD[*]} --version' failed: $version"
    log "server: ${SERVER_CMD[*]} (${version%%$'\n'*})"
  fi
  local name stopped=()
  for name in "${INITIAL_MEMBERS[@]}"; do member_pid "$name" >/dev/null || stopped+=("$name"); done
  check_ports "${stopped[@]}"
  for name in "${INITIAL_MEMBERS[@]}"; do start_member "$name"; done
  wait_serving "${INITIAL_MEMBERS[@]}"
  poll "$TIMEOUT_S" "etcdctl endpoint health on m1, m2, m3" healthy "${INITIAL_MEMBERS[@]}"
  log "cluster is up and healthy: --endpoints=$(endpoints "${INITIAL_MEMBERS[@]}")"
}

ensure_up() {
  local name all=1
  for name in "${INITIAL_MEMBERS[@]}"; do member_pid "$name" >/dev/null || all=0; done
  if ((all)) && healthy "${INITIAL_MEMBERS[@]}"; then
    ok "m1, m2, m3 are running and healthy"
  else
    cmd_up
  fi
}

cmd_down() {
  local purge=0
  case ${1:-} in
    --purge) purge=1 ;;
    '') ;;
    *) die "down takes only --purge, not '$1'" ;;
  esac
  local names
  mapfile -t names < <(running_members)
  if ((${#names[@]})); then stop_members "${names[@]}"; else log "no member is running"; fi
  if ((purge)) && [[ -d $DIR ]]; then
    [[ -f $MARKER ]] || die "$DIR has no $(basename "$MARKER") marker: not removing a directory this script did not make"
    rm -rf -- "$DIR"
    log "removed $DIR"
  fi
}

cmd_status() {
  local names
  mapfile -t names < <(running_members)
  if ((${#names[@]} == 0)); then
    log "no member is running (work dir $DIR)"
    return 0
  fi
  log "running: ${names[*]}"
  ctl --endpoints="$(endpoints "${names[@]}")" endpoint status -w table || true
  ctl --endpoints="$(endpoints "${names[@]}")" member list -w table || true
}

cmd_logs() {
  if [[ -n ${1:-} ]]; then
    [[ -f $(log_file "$1") ]] || die "no log for $1 in $DIR/logs"
    tail -n "$LOG_LINES" "$(log_file "$1")"
    return 0
  fi
  local file any=0
  for file in "$DIR"/logs/*.log; do
    [[ -f $file ]] || continue
    any=1
    printf '==> %s <==\n' "$file"
    tail -n 20 "$file"
  done
  ((any)) || log "no logs in $DIR/logs"
}

cmd_start() {
  init_dir
  if ! member_pid "$1" >/dev/null; then
    start_member "$1"
    log "waiting until $1 serves clients (a member does so only once it is part of a quorum)"
  fi
  wait_serving "$1"
}

# ---- drills -------------------------------------------------------------------------------------------------

# others NAME: the initial members other than NAME.
others() {
  local name
  for name in "${INITIAL_MEMBERS[@]}"; do [[ $name == "$1" ]] || echo "$name"; done
}

pass() { printf '\n[%s] PASSED\n' "$SCENARIO" >&3; }

drill_failed_leader() {
  local run old survivors new
  run=$(date +%s)
  step "make sure m1, m2, m3 are up"
  ensure_up
  step "write a key while all members are up"
  put_key "$(endpoints "${INITIAL_MEMBERS[@]}")" drill/failed-leader/before "v$run"
  step "find the leader (etcdctl endpoint status -w json on each member)"
  poll "$TIMEOUT_S" "m1, m2, m3 to agree on a leader" leader_among "${INITIAL_MEMBERS[@]}"
  old=$LEADER
  ok "leader is $old"
  step "kill -9 the leader $old"
  kill_member "$old"
  mapfile -t survivors < <(others "$old")
  step "wait for a new leader among ${survivors[*]}"
  poll "$TIMEOUT_S" "a new leader among ${survivors[*]}" leader_among "${survivors[@]}"
  new=$LEADER
  ok "new leader is $new"
  step "write and read linearizably through ${survivors[*]}"
  put_key "$(endpoints "${survivors[@]}")" drill/failed-leader/during "v$run"
  expect_value "$(endpoints "${survivors[@]}")" drill/failed-leader/during "v$run"
  step "restart the old leader $old"
  start_member "$old"
  wait_serving "$old"
  step "wait until $old reports the same leader and its raft index and revision reach the others'"
  poll "$TIMEOUT_S" "$old to catch up" caught_up "$old" "${survivors[@]}"
  ok "$CAUGHT_UP"
  step "$old has the write it missed (serializable read from $old alone)"
  expect_value "$(endpoint "$old")" drill/failed-leader/during "v$run" --consistency=s
  step "every key the drills wrote is still there"
  check_ledger "${INITIAL_MEMBERS[@]}"
  pass
}

drill_quorum_loss() {
  local run survivor stopped out name
  run=$(date +%s)
  step "make sure m1, m2, m3 are up"
  ensure_up
  step "write keys while all members are up"
  for name in k1 k2 k3; do put_key "$(endpoints "${INITIAL_MEMBERS[@]}")" "drill/quorum-loss/$name" "v$run"; done
  step "find the leader; keep one follower, stop the leader and the other follower (SIGTERM)"
  poll "$TIMEOUT_S" "m1, m2, m3 to agree on a leader" leader_among "${INITIAL_MEMBERS[@]}"
  mapfile -t stopped < <(others "$LEADER")
  survivor=${stopped[0]}
  stopped=("$LEADER" "${stopped[1]}")
  ok "leader $LEADER; survivor $survivor; stopping ${stopped[*]}"
  stop_members "${stopped[@]}"
  step "a put through the survivor $survivor fails: 1 of 3 is no quorum"
  if out=$(ctl --endpoints="$(endpoint "$survivor")" --command-timeout=5s put drill/quorum-loss/no-quorum "v$run" 2>&1); then
    die "a put succeeded with only $survivor running: $out"
  fi
  echo "$out" | indent
  [[ $out =~ timed\ out|deadline\ exceeded|no\ leader|leader\ changed|DeadlineExceeded|Unavailable ]] ||
    die "the put failed, but not with a timeout or no-leader error: $out"
  ok "the put failed with a timeout/no-leader error (its outcome is unknown: it may still commit later)"
  step "a linearizable get fails too: it needs the leader to confirm its commit index"
  if out=$(ctl --endpoints="$(endpoint "$survivor")" --command-timeout=3s get drill/quorum-loss/k1 2>&1); then
    die "a linearizable get succeeded with only $survivor running: $out"
  fi
  echo "$out" | indent
  ok "the linearizable get failed"
  step "a serializable get still answers from $survivor's local state (possibly stale)"
  expect_value "$(endpoint "$survivor")" drill/quorum-loss/k1 "v$run" --consistency=s
  step "restart ${stopped[*]}"
  for name in "${stopped[@]}"; do start_member "$name"; done
  wait_serving "${stopped[@]}"
  poll "$TIMEOUT_S" "etcdctl endpoint health on m1, m2, m3" healthy "${INITIAL_MEMBERS[@]}"
  ok "m1, m2, m3 healthy"
  step "writes work again"
  put_key "$(endpoints "${INITIAL_MEMBERS[@]}")" drill/quorum-loss/after "v$run"
  expect_value "$(endpoints "${INITIAL_MEMBERS[@]}")" drill/quorum-loss/after "v$run"
  step "every key written before is still there"
  check_ledger "${INITIAL_MEMBERS[@]}"
  out=$(etcdctl_q --endpoints="$(endpoints "${INITIAL_MEMBERS[@]}")" get drill/quorum-loss/no-quorum \
    --print-value-only 2>&1) || die "get drill/quorum-loss/no-quorum failed: $out"
  if [[ $out == "v$run" ]]; then
    ok "the put that timed out was committed after all (a timeout is not a failure)"
  else
    ok "the put that timed out was not committed"
  fi
  pass
}

# add_learner NAME: member add --learner, start NAME with the printed ETCD_INITIAL_CLUSTER, wait until it has
# caught up, promote it.
add_learner() {
  local name=$1 voters_eps out initial_cluster id
  shift
  voters_eps=$(endpoints "$@")
  step "member add $name --learner"
  RETRY_ALSO='member not found' ctl_retry --endpoints="$voters_eps" member add "$name" --learner --peer-urls="$(peer_url "$name")" ||
    die "member add $name failed: $CTL_OUT"
  out=$CTL_OUT
  echo "$out" | indent
  initial_cluster=$(sed -n 's/^ETCD_INITIAL_CLUSTER="\(.*\)"$/\1/p' <<<"$out")
  [[ -n $initial_cluster ]] || die "member add printed no ETCD_INITIAL_CLUSTER"
  id=$(sed -n 's/^Member *\([0-9a-f]*\) added.*/\1/p' <<<"$out") # etcdctl pads the id: %16x
  [[ -n $id ]] || die "member add printed no member id"
  step "start $name with --initial-cluster-state existing and that ETCD_INITIAL_CLUSTER"
  rm -rf -- "$(data_dir "$name")"
  save_member_env "$name" "$initial_cluster" existing
  start_member "$name"
  wait_serving "$name"
  step "wait until the learner $name has caught up"
  poll "$TIMEOUT_S" "$name to catch up" caught_up "$name" "$@"
  ok "$CAUGHT_UP"
  step "member promote $name ($id)"
  ctl_retry --endpoints="$voters_eps" member promote "$id" || die "member promote $name failed: $CTL_OUT"
  echo "$CTL_OUT" | indent
}

remove_member() {
  local name=$1 id
  shift
  id=$(member_id "$name" "$@") || die "member list failed"
  [[ -n $id ]] || die "$name is not in the member list"
  ctl_retry --endpoints="$(endpoints "$@")" member remove "$id" || die "member remove $name failed: $CTL_OUT"
  echo "$CTL_OUT" | indent
}

# leftover_cleanup NAME...: removes what an interrupted scale drill left of NAME: membership, process, data.
leftover_cleanup() {
  local name
  for name in "$@"; do
    if [[ -n $(member_id "$name" "${INITIAL_MEMBERS[@]}") ]]; then
      log "$name is still a member from an earlier run: removing it"
      remove_member "$name" "${INITIAL_MEMBERS[@]}"
    fi
    stop_members "$name"
    rm -rf -- "$(data_dir "$name")" "$(env_file "$name")"
  done
}

member_count() { etcdctl_q --endpoints="$(endpoints "$@")" member list | awk 'END {print NR}'; }

drill_scale() {
  local run name count
  run=$(date +%s)
  step "make sure m1, m2, m3 are up"
  ensure_up
  leftover_cleanup m4 m5
  step "write a key before scaling"
  put_key "$(endpoints "${INITIAL_MEMBERS[@]}")" drill/scale/before "v$run"
  add_learner m4 "${INITIAL_MEMBERS[@]}"
  add_learner m5 "${INITIAL_MEMBERS[@]}" m4
  step "member list: five voters"
  ctl --endpoints="$(endpoints "${INITIAL_MEMBERS[@]}")" member list -w table || die "member list failed"
  count=$(etcdctl_q --endpoints="$(endpoints "${INITIAL_MEMBERS[@]}")" member list | grep -c ', false$' || true)
  ((count == 5)) || die "expected 5 voters, member list shows $count"
  step "write through the 5-member cluster, read it from m4 and m5 alone (--consistency=s)"
  put_key "$(endpoints "${INITIAL_MEMBERS[@]}")" drill/scale/five "v$run"
  for name in m4 m5; do
    poll "$TIMEOUT_S" "$name to apply the write" caught_up "$name" "${INITIAL_MEMBERS[@]}"
    expect_value "$(endpoint "$name")" drill/scale/before "v$run" --consistency=s
    expect_value "$(endpoint "$name")" drill/scale/five "v$run" --consistency=s
  done
  step "remove m4 and m5, back to 3 members"
  remove_member m4 "${INITIAL_MEMBERS[@]}"
  remove_member m5 "${INITIAL_MEMBERS[@]}"
  leftover_cleanup m4 m5
  ok "m4 and m5 stopped, their data dirs removed"
  count=$(member_count "${INITIAL_MEMBERS[@]}") || die "member list failed"
  ((count == 3)) || die "expected 3 members after removing m4 and m5, member list shows $count"
  poll "$TIMEOUT_S" "etcdctl endpoint health on m1, m2, m3" healthy "${INITIAL_MEMBERS[@]}"
  ok "3 members, all healthy"
  step "every key the drills wrote is still there"
  check_ledger "${INITIAL_MEMBERS[@]}"
  pass
}

drill_member_readd() {
  local run out initial_cluster
  run=$(date +%s)
  step "make sure m1, m2, m3 are up"
  ensure_up
  step "write a key while m3 is a member"
  put_key "$(endpoints "${INITIAL_MEMBERS[@]}")" drill/member-readd/before "v$run"
  step "member remove m3"
  remove_member m3 m1 m2
  step "stop m3 (a removed etcd member exits by itself)"
  stop_members m3
  step "wipe m3's data dir $(data_dir m3)"
  rm -rf -- "$(data_dir m3)"
  step "wait for m1 and m2 to agree on a leader (m3 may have been it)"
  poll "$TIMEOUT_S" "a leader among m1 m2" leader_among m1 m2
  ok "leader is $LEADER"
  step "write a key while m3 is out"
  put_key "$(endpoints m1 m2)" drill/member-readd/without-m3 "v$run"
  step "member add m3 back (a new member id)"
  RETRY_ALSO='member not found' ctl_retry --endpoints="$(endpoints m1 m2)" member add m3 --peer-urls="$(peer_url m3)" ||
    die "member add m3 failed: $CTL_OUT"
  out=$CTL_OUT
  echo "$out" | indent
  initial_cluster=$(sed -n 's/^ETCD_INITIAL_CLUSTER="\(.*\)"$/\1/p' <<<"$out")
  [[ -n $initial_cluster ]] || die "member add printed no ETCD_INITIAL_CLUSTER"
  step "start m3 with --initial-cluster-state existing"
  save_member_env m3 "$initial_cluster" existing
  start_member m3
  wait_serving m3
  step "wait until m3 has caught up"
  poll "$TIMEOUT_S" "m3 to catch up" caught_up m3 m1 m2
  ok "$CAUGHT_UP"
  expect_value "$(endpoint m3)" drill/member-readd/before "v$run" --consistency=s
  expect_value "$(endpoint m3)" drill/member-readd/without-m3 "v$run" --consistency=s
  step "member list: m1, m2, m3 started"
  ctl --endpoints="$(endpoints "${INITIAL_MEMBERS[@]}")" member list -w table || die "member list failed"
  out=$(etcdctl_q --endpoints="$(endpoints "${INITIAL_MEMBERS[@]}")" member list | grep -c ', started, m[123], ' ||
    true)
  ((out == 3)) || die "expected m1, m2, m3 started, member list shows $out"
  poll "$TIMEOUT_S" "etcdctl endpoint health on m1, m2, m3" healthy "${INITIAL_MEMBERS[@]}"
  step "every key the drills wrote is still there"
  check_ledger "${INITIAL_MEMBERS[@]}"
  pass
}

# restore_snapshot FILE NAME: restores FILE into NAME's (absent) data dir as a member of the initial cluster.
restore_snapshot() {
  local out args
  args=("$1" --data-dir "$(data_dir "$2")" --name "$2" --initial-cluster "$(initial_cluster)"
    --initial-cluster-token "$TOKEN" --initial-advertise-peer-urls "$(peer_url "$2")")
  printf '    $ %s\n' "${RESTORE_CMD[*]} ${args[*]}" >&3
  out=$("${RESTORE_CMD[@]}" "${args[@]}" 2>&1) || die "snapshot restore for $2 failed: $out"
  echo "$out" | tail -n 1 | indent
}

drill_data_loss() {
  local run snapshot name out running
  run=$(date +%s)
  snapshot=$DIR/backup/snapshot-$run.db
  step "make sure m1, m2, m3 are up"
  ensure_up
  step "write keys"
  for name in k1 k2 k3 k4 k5; do put_key "$(endpoints "${INITIAL_MEMBERS[@]}")" "drill/data-loss/$name" "v$run"; done
  step "snapshot save from m1"
  out=$(ctl --endpoints="$(endpoint m1)" snapshot save "$snapshot" 2>&1) || die "snapshot save failed: $out"
  echo "$out" | tail -n 1 | indent
  echo "    \$ ${STATUS_CMD[*]} $snapshot -w table"
  "${STATUS_CMD[@]}" "$snapshot" -w table | indent || die "snapshot status $snapshot failed"
  step "delete the keys (the data loss)"
  out=$(ctl --endpoints="$(endpoints "${INITIAL_MEMBERS[@]}")" del --prefix drill/data-loss/ 2>&1) ||
    die "del --prefix drill/data-loss/ failed: $out"
  echo "$out" | indent
  out=$(ctl --endpoints="$(endpoints "${INITIAL_MEMBERS[@]}")" get --prefix drill/data-loss/ --keys-only 2>&1) ||
    die "get --prefix drill/data-loss/ failed: $out"
  [[ -z $out ]] || die "after del --prefix, these keys are still there: $out"
  ok "drill/data-loss/ is empty"
  step "stop every member"
  mapfile -t running < <(running_members)
  stop_members "${running[@]}"
  step "restore the snapshot into new data dirs for m1, m2, m3 (old ones kept in $DIR/retired)"
  rm -rf -- "$DIR/retired"
  mkdir -p "$DIR/retired"
  for name in "${INITIAL_MEMBERS[@]}"; do
    [[ -d $(data_dir "$name") ]] && mv -- "$(data_dir "$name")" "$DIR/retired/$name"
    save_member_env "$name" "$(initial_cluster)" new
    restore_snapshot "$snapshot" "$name"
  done
  step "start the cluster from the restored data dirs"
  cmd_up
  step "the deleted keys are back, on every member"
  for name in k1 k2 k3 k4 k5; do
    expect_value "$(endpoints "${INITIAL_MEMBERS[@]}")" "drill/data-loss/$name" "v$run"
  done
  for name in "${INITIAL_MEMBERS[@]}"; do
    poll "$TIMEOUT_S" "$name to catch up" caught_up "$name" "${INITIAL_MEMBERS[@]}"
    expect_value "$(endpoint "$name")" drill/data-loss/k5 "v$run" --consistency=s
  done
  step "every key the drills wrote is still there"
  check_ledger "${INITIAL_MEMBERS[@]}"
  pass
}

# ---- main ---------------------------------------------------------------------------------------------------

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

main() {
  local command=${1:-}
  shift || true
  case $command in
    failed-leader | quorum-loss | scale | member-readd | data-loss) SCENARIO=$command ;;
  esac
  case $command in
    up) cmd_up ;;
    down) cmd_down "$@" ;;
    status) cmd_status ;;
    logs)
      [[ -z ${1:-} ]] || is_member "$1" || die "unknown member '$1' (m1..m5)"
      cmd_logs "${1:-}"
      ;;
    kill | start)
      is_member "${1:-}" || die "$command needs a member name, m1..m5"
      if [[ $command == kill ]]; then kill_member "$1"; else cmd_start "$1"; fi
      ;;
    failed-leader) drill_failed_leader ;;
    quorum-loss) drill_quorum_loss ;;
    scale) drill_scale ;;
    member-readd) drill_member_readd ;;
    data-loss) drill_data_loss ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
