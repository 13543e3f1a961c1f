#!/usr/bin/env bash
# Stops the single-node cluster that scripts/slurm-up.sh started: its jobs, then slurmd,
# slurmctld and munged, each by the pid in its pid file. Leaves the packages and the
# configuration in place, so that `npm run slurm:up` starts it again quickly.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
RUN=/run/minima-slurm
if [ -f /etc/slurm/slurm.conf ] && ! grep -qF "# written by minima's scripts/slurm-up.sh" /etc/slurm/slurm.conf; then
  echo "slurm-down: /etc/slurm/slurm.conf is not this repository's cluster; leaving it alone" >&2
  exit 1
fi
if command -v scancel >/dev/null 2>&1 && [ -f "$RUN/slurmctld.pid" ]; then $SUDO scancel --full --quiet --user "$(id -un)" 2>/dev/null || true; fi
stop() {
  local pidfile=$1 name=$2
  [ -f "$pidfile" ] || return 0
  local pid
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    $SUDO kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then $SUDO kill -9 "$pid"; fi
    echo "slurm-down: stopped $name ($pid)"
  fi
  $SUDO rm -f "$pidfile"
}
stop "$RUN/slurmd.pid" slurmd
stop "$RUN/slurmctld.pid" slurmctld
stop /run/munge/munged.pid munged
