#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the sweep integration tests and for trying `sbatch` locally.
#
#   deploy/slurm/local-cluster.sh start   # installs slurm-wlm + munge if missing, starts munged, slurmctld, slurmd
#   deploy/slurm/local-cluster.sh stop    # stops the three daemons by the pids it recorded
#   deploy/slurm/local-cluster.sh env     # prints `export SLURM_CONF=...` for client commands (sbatch, squeue, ...)
#
# Everything (slurm.conf, munge key and socket, state, spool, logs, pids) lives under $WF_SLURM_DIR
# (default /tmp/wf-slurm); nothing in /etc is changed. Client commands find the cluster through SLURM_CONF.
# Needs root (slurmd runs jobs as their submitting user). The node gets this host's cores and ~90 % of its memory;
# one partition "debug", SelectType=select/cons_tres, no accounting (poll with squeue / scontrol, not sacct).
set -euo pipefail

DIR=${WF_SLURM_DIR:-/tmp/wf-slurm}
CONF=$DIR/etc/slurm.conf
PIDS=$DIR/pids
CTLD_PORT=${WF_SLURMCTLD_PORT:-6817}
SLURMD_PORT=${WF_SLURMD_PORT:-6818}

log() { echo "local-cluster: $*"; }

install_if_missing() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null && command -v sbatch >/dev/null; then return; fi
  log "installing slurm-wlm and munge (apt-get)..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge) >/dev/null
}

write_conf() {
  local host cpus mem_mb
  host=$(hostname -s)
  cpus=$(nproc)
  mem_mb=$(awk '/MemTotal/ {printf "%d", $2 / 1024 * 0.9}' /proc/meminfo)
  mkdir -p "$DIR"/{etc,state,spool,log,munge} "$PIDS"
  cat >"$CONF" <<CONF
# Written by deploy/slurm/local-cluster.sh: one node, one partition, state under $DIR.
ClusterName=wflocal
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# cred_expire also sets how long a requeued job waits before it may start again (default 120 s).
AuthInfo=socket=$DIR/munge/munge.socket,cred_expire=10
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
# Schedule every 2 s (default 60 s): a requeued or released task starts at once, which keeps the tests short.
SchedulerParameters=sched_interval=2,bf_interval=2
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MinJobAge=300
JobRequeue=1
SlurmdTimeout=60
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
}

start_munge() {
  local key=$DIR/munge/munge.key
  if [ ! -f "$key" ]; then
    dd if=/dev/urandom bs=1 count=1024 of="$key" status=none
    chmod 400 "$key"
  fi
  munged --force --socket="$DIR/munge/munge.socket" --key-file="$key" --pid-file="$DIR/munge/munged.pid" \
    --log-file="$DIR/log/munged.log" --seed-file="$DIR/munge/munged.seed"
  cp "$DIR/munge/munged.pid" "$PIDS/munged"
}

wait_until() {   # wait_until SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.5
  done
}

start() {
  if [ -f "$PIDS/slurmctld" ] && kill -0 "$(cat "$PIDS/slurmctld")" 2>/dev/null; then
    log "already running (pids in $PIDS)."; return
  fi
  install_if_missing
  write_conf
  export SLURM_CONF=$CONF
  start_munge
  # -i: ignore state left by an earlier cluster in $DIR (old jobs); the daemons fork and write their pid files.
  slurmctld -i -f "$CONF"
  wait_until 20 test -s "$DIR/slurmctld.pid" || { log "slurmctld did not start; see $DIR/log/slurmctld.log"; exit 1; }
  cp "$DIR/slurmctld.pid" "$PIDS/slurmctld"
  slurmd -f "$CONF"
  wait_until 20 test -s "$DIR/slurmd.pid" || { log "slurmd did not start; see $DIR/log/slurmd.log"; exit 1; }
  cp "$DIR/slurmd.pid" "$PIDS/slurmd"
  if ! wait_until 60 sh -c "sinfo -h -o %T | grep -qE '^(idle|mixed|allocated)'"; then
    log "the node did not come up; see $DIR/log/"; sinfo || true; exit 1
  fi
  log "up: $(sinfo -h -o '%P %D node(s) %c cpus %m MB %T')"
  log "client commands need: export SLURM_CONF=$CONF"
}

stop() {
  local name pid
  for name in slurmd slurmctld munged; do
    [ -f "$PIDS/$name" ] || continue
    pid=$(cat "$PIDS/$name")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    fi
    rm -f "$PIDS/$name"
  done
  log "stopped."
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "export SLURM_CONF=$CONF" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
