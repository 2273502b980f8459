#!/usr/bin/env bash
# Raises the Linux kernel limits that cap how many WebSocket connections one machine can hold,
# and puts them back afterwards.
#   ci/tune-linux.sh --dry-run    print what would change (old -> new), change nothing
#   ci/tune-linux.sh              apply; the old values are recorded in the state file
#   ci/tune-linux.sh --restore    put the recorded values back
# Only raises: a value already at or above the target is left alone. Needs root (sudo) to apply.
# SYSCTL names the sysctl command (tests use a stand-in); WSHUNT_TUNE_STATE the state file.
set -uo pipefail

sysctl_cmd=${SYSCTL:-sysctl}
state=${WSHUNT_TUNE_STATE:-${TMPDIR:-/tmp}/wshunt-sysctl.restore}
mode=apply
case "${1:-}" in
  --dry-run) mode=dry-run ;;
  --restore) mode=restore ;;
  "") ;;
  -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
  *) echo "tune-linux: unknown option $1 (try --help)" >&2; exit 2 ;;
esac

# key target why
targets=(
  "fs.file-max 2097152 open files for the whole system: two per connection (client and server side)"
  "fs.nr_open 1048576 the most open files one process may be allowed"
  "net.core.somaxconn 65535 accept queue: connect bursts overflow a short one"
  "net.ipv4.tcp_max_syn_backlog 65535 half-open connections during a connect burst"
  "net.core.netdev_max_backlog 65535 packets queued on loopback under load"
  "net.ipv4.tcp_tw_reuse 1 reuse TIME_WAIT ports for new outgoing connections between runs"
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

if [[ $mode == restore ]]; then
  if [[ ! -f $state ]]; then
    echo "tune-linux: nothing to restore ($state does not exist)"
    exit 0
  fi
  while IFS='=' read -r key value; do
    [[ -z $key ]] && continue
    echo "restore $key = $value"
    set_value "$key" "$value"
  done < "$state"
  [[ $failed == 0 ]] && rm -f "$state"
  exit $failed
fi

[[ $mode == apply ]] && : > "$state.new"
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
    if set_value "$key" "$target"; then
      echo "$key=$current" >> "$state.new"
    fi
  fi
done

if [[ $mode == apply ]]; then
  # Keep the oldest recorded values when run twice: restore must reach the machine's own.
  if [[ -f $state ]]; then cat "$state" "$state.new" | awk -F= '!seen[$1]++' > "$state.merged"; mv "$state.merged" "$state"; rm -f "$state.new"
  else mv "$state.new" "$state"; fi
  echo "old values recorded in $state; ci/tune-linux.sh --restore puts them back"
fi

echo "open files per process: soft $(ulimit -Sn), hard $(ulimit -Hn). ci/run-suite.sh raises each process's soft limit"
echo "to the hard one; raising the hard limit needs /etc/security/limits.conf (nofile) or the service's LimitNOFILE."
echo "ephemeral ports: $("$sysctl_cmd" -n net.ipv4.ip_local_port_range 2>/dev/null | tr -s '\t ' ' ') per client address;"
echo "ci/run-suite.sh gives each injector its own 127.0.0.x instead of widening the range (a wide range slowed connects here)."
exit $failed
