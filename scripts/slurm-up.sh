#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine, for `minima sweep --on slurm` without a real
# cluster (and for the tests): Debian's slurm-wlm and munge (installed with apt-get when missing),
# slurmctld and slurmd on this host, ProctrackType=proctrack/pgid and TaskPlugin=task/none (no
# cgroups), SlurmUser=root, no accounting, no systemd. Runs as root (or through sudo). Idempotent:
# a cluster already up is left as it is. `npm run slurm:down` stops it.
#
# The configuration goes to /etc/slurm/slurm.conf, marked as this script's; a slurm.conf that is
# not is never replaced. State, logs and pid files live under /var/spool/minima-slurm and
# /run/minima-slurm.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else echo "slurm-up: run as root (or install sudo)" >&2; exit 1; fi
fi
MARK="# written by minima's scripts/slurm-up.sh"
CONF=/etc/slurm/slurm.conf
STATE=/var/spool/minima-slurm
RUN=/run/minima-slurm

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  echo "slurm-up: installing slurm-wlm and munge (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq slurm-wlm munge >/dev/null
fi

if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
  echo "slurm-up: $CONF exists and was not written by this script; leaving the cluster it describes alone" >&2
  exit 1
fi

host=$(hostname -s)
cpus=$(nproc)
$SUDO mkdir -p /etc/slurm "$STATE/ctld" "$STATE/d" "$RUN"
cat <<CONFEOF | $SUDO tee "$CONF.tmp" >/dev/null
$MARK
ClusterName=minima
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/pgid
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MaxArraySize=1001
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONFEOF
$SUDO mv "$CONF.tmp" "$CONF"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# munge: a key once, then munged as the munge user (it refuses to run as root).
if [ ! -s /etc/munge/munge.key ]; then
  $SUDO mkdir -p /etc/munge
  $SUDO dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
$SUDO chown munge:munge /etc/munge/munge.key 2>/dev/null || true
$SUDO chmod 400 /etc/munge/munge.key
$SUDO mkdir -p /run/munge /var/lib/munge /var/log/munge
$SUDO chown munge:munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
if ! alive /run/munge/munged.pid; then
  if id munge >/dev/null 2>&1; then
    $SUDO runuser -u munge -- /usr/sbin/munged
  else
    $SUDO /usr/sbin/munged --force
  fi
fi

if ! alive "$RUN/slurmctld.pid"; then $SUDO slurmctld; fi
if ! alive "$RUN/slurmd.pid"; then $SUDO slurmd; fi

# Ready when the node takes jobs.
for _ in $(seq 1 60); do
  state=$(sinfo -h -N -o '%t' 2>/dev/null | head -1 || true)
  case "$state" in
    idle|mix|alloc) echo "slurm-up: node $host is $state ($cpus CPUs, partition debug)"; exit 0 ;;
    down*|drain*) $SUDO scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done
echo "slurm-up: the node did not come up; see $STATE/slurmctld.log and $STATE/slurmd.log" >&2
exit 1
