#!/usr/bin/env bash
# Raises the Linux kernel limits that cap how many WebSocket connections one machine can hold,
# and puts them back afterwards.
#   ci/tune-linux.sh --dry-run    print what would change (old -> new), change nothing
#   ci/tune-linux.sh              apply; each old value is recorded before it is changed
#   ci/tune-linux.sh --restore    put the recorded values back
# Only raises: a value already at or above the target is left alone. Needs root (sudo) to apply.
# The state lives in a directory only its owner may write (/var/lib/wshunt as root); --restore
# sets only this script's own keys, to whole numbers, and refuses anything else it finds there.
# SYSCTL names the sysctl command (tests use a stand-in); WSHUNT_TUNE_STATE the state file.
set -uo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

sysctl_cmd=${SYSCTL:-sysctl}
if [[ $(id -u) -eq 0 ]]; then default_dir=/var/lib/wshunt; else default_dir=${XDG_STATE_HOME:-$HOME/.local/state}/wshunt; fi
state=${WSHUNT_TUNE_STATE:-$default_dir/sysctl.restore}
mode=apply
case "${1:-}" in
  --dry-run) mode=dry-run ;;
  --restore) mode=restore ;;
  "") ;;
  -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
  *) echo "tune-linux: unknown option $1 (try --help)" >&2; exit 2 ;;
esac

# key target why
targets=(
  "fs.file-max 2097152 open files for the whole system: two per connection (client and server side)"
  "fs.nr_open 1048576 the most open files one process may be allowed"
  "net.core.somaxconn 65535 accept queue: connect bursts overflow a short one"
  "net.ipv4.tcp_max_syn_backlog 65535 half-open connections during a connect burst"
  "net.core.netdev_max_backlog 65535 packets queued on loopback under load"
  "net.ipv4.tcp_tw_reuse 1 NOT a limit, a behaviour: new outgoing connections may reuse ports still in TIME_WAIT, so back-to-back runs do not run out of ports"
  "net.netfilter.nf_conntrack_max 1048576 tracked connections, when conntrack is loaded"
)

failed=0

set_value() { # key value
  if ! "$sysctl_cmd" -w "$1=$2" >/dev/null 2>&1; then
    echo "  cannot set $1 (no permission? run with sudo)"
    failed=1
    return 1
  fi
}

is_own_key() { # key
  local entry
  for entry in "${targets[@]}"; do
    [[ "${entry%% *}" == "$1" ]] && return 0
  done
  return 1
}

if [[ $mode != dry-run ]]; then
  wshunt_safe_state_dir "$state" || exit 1
fi

if [[ $mode == restore ]]; then
  if [[ ! -f $state ]]; then
    echo "tune-linux: nothing to restore ($state does not exist)"
    exit 0
  fi
  while IFS='=' read -r key value; do
    [[ -z $key ]] && continue
    if ! is_own_key "$key"; then
      echo "refuse $key: not one of this script's settings"
      failed=1
      continue
    fi
    if ! [[ $value =~ ^[0-9]+$ ]]; then
      echo "refuse $key = $value: not a whole number"
      failed=1
      continue
    fi
    echo "restore $key = $value"
    set_value "$key" "$value"
  done < "$state"
  [[ $failed == 0 ]] && rm -f "$state"
  exit $failed
fi

for entry in "${targets[@]}"; do
  read -r key target why <<< "$entry"
  if ! current=$("$sysctl_cmd" -n "$key" 2>/dev/null); then
    echo "skip $key: not on this kernel ($why)"
    continue
  fi
  if (( current >= target )); then
    echo "ok   $key = $current (>= $target)"
    continue
  fi
  if [[ $mode == dry-run ]]; then
    echo "would set $key: $current -> $target ($why)"
  else
    echo "set  $key: $current -> $target ($why)"
    wshunt_record_old_value "$state" "$key" "$current"
    set_value "$key" "$target"
  fi
done

if [[ $mode == apply ]]; then
  echo "old values recorded in $state; ci/tune-linux.sh --restore puts them back"
fi

echo "open files per process: soft $(ulimit -Sn), hard $(ulimit -Hn). ci/run-suite.sh raises each process's soft limit"
echo "to the hard one; raising the hard limit needs /etc/security/limits.conf (nofile) or the service's LimitNOFILE."
echo "ephemeral ports: $("$sysctl_cmd" -n net.ipv4.ip_local_port_range 2>/dev/null | tr -s '\t ' ' ') per client address;"
echo "ci/run-suite.sh gives each injector its own 127.0.0.x instead of widening the range (a wide range slowed connects here)."
exit $failed
