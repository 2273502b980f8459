#!/usr/bin/env bash
# For a Mac (GitHub's hosted macOS runners, a self-hosted runner, a developer's Mac): shows the
# limits that cap connections, raises them, runs the suite and the gate, and puts every value back.
#   ci/macos-runner.sh --dry-run       print each setting with its old and new value; change nothing
#   ci/macos-runner.sh --tune          raise the limits; the old values go to the state file
#   ci/macos-runner.sh --restore       put the values of the state file back
#   ci/macos-runner.sh [--users N] [--out DIR] [--baseline FILE] [run-suite options]
#                                      tune, run the suite and the gate, restore (also on failure or Ctrl-C)
# Only raises: a value already at or past its target is left alone. sudo runs with -n (never waits
# for a password): the runner's user needs passwordless sudo for sysctl and launchctl.
# macOS's default ephemeral range gives 16,384 ports to one destination: a benchmark that stops
# at 16,383 connections has met that range, not the server's limit.
# Runs under macOS's /bin/bash 3.2. SYSCTL, LAUNCHCTL and SUDO name the commands (the tests use
# stand-ins on Linux); WSHUNT_TUNE_STATE names the state file.
set -uo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

sysctl_cmd=${SYSCTL:-sysctl}
launchctl_cmd=${LAUNCHCTL:-launchctl}
sudo_cmd=${SUDO:-sudo -n}
state=${WSHUNT_TUNE_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/wshunt/macos.restore}
mode=run
users=20000
out=runs/macos
baseline=results/macos-selfhosted.json
suite_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dry-run) mode=dry-run; shift ;;
    --tune) mode=tune; shift ;;
    --restore) mode=restore; shift ;;
    --users) users="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) suite_args+=("$1"); shift ;;
  esac
done

# key target direction why; "min": the value must be at least the target, "max": at most.
settings=(
  "net.inet.ip.portrange.first 10000 max ephemeral ports start here (default 49152: only 16,384 ports)"
  "net.inet.ip.portrange.last 65535 min ephemeral ports end here"
  "net.inet.ip.portrange.hifirst 10000 max the high range macOS also uses for ephemeral ports"
  "net.inet.ip.portrange.hilast 65535 min end of the high range"
  "kern.ipc.somaxconn 4096 min accept queue (default 128)"
  "kern.maxfiles 400000 min open files for the whole system"
  "kern.maxfilesperproc 200000 min open files per process"
  "kern.ipc.maxsockbuf 8388608 min socket buffer ceiling"
  "net.inet.tcp.msl 1000 max shorter TIME_WAIT, so ports come back between runs (default 15000 ms)"
)
open_files=200000
failed=0

as_root() {
  # shellcheck disable=SC2086  # sudo_cmd is "sudo -n": two words on purpose
  $sudo_cmd "$@"
}

is_own_key() { # key
  local entry
  [[ $1 == launchctl.maxfiles ]] && return 0
  for entry in "${settings[@]}"; do
    [[ "${entry%% *}" == "$1" ]] && return 0
  done
  return 1
}

restore() {
  if [[ ! -f $state ]]; then
    echo "macos-runner: nothing to restore ($state does not exist)"
    return 0
  fi
  wshunt_safe_state_dir "$state" || return 1
  echo "== restoring from $state"
  local key value soft hard refused=0
  while IFS='=' read -r key value; do
    [[ -z $key ]] && continue
    if ! is_own_key "$key"; then
      echo "refuse $key: not one of this script's settings"
      refused=1
      continue
    fi
    if ! [[ $value =~ ^[0-9]+( ([0-9]+|unlimited))?$ ]]; then
      echo "refuse $key = $value: not a whole number"
      refused=1
      continue
    fi
    if [[ $key == launchctl.maxfiles ]]; then
      read -r soft hard <<< "$value"
      echo "restore launchctl limit maxfiles = $soft $hard"
      as_root "$launchctl_cmd" limit maxfiles "$soft" "$hard" || { echo "  could not restore launchctl maxfiles"; refused=1; }
    else
      echo "restore $key = $value"
      as_root "$sysctl_cmd" -w "$key=$value" >/dev/null || { echo "  could not restore $key"; refused=1; }
    fi
  done < "$state"
  [[ $refused == 0 ]] && rm -f "$state"
  return $refused
}

if [[ $mode == restore ]]; then
  restore
  exit $?
fi

# Already far enough: the value meets its target in the setting's direction.
meets() { # current target direction
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  if [[ $3 == min ]]; then (( $1 >= $2 )); else (( $1 <= $2 )); fi
}

if [[ $mode != dry-run ]]; then
  wshunt_safe_state_dir "$state" || exit 1
fi
# A run restores on any exit, also when the tuning itself fails halfway; a failed restore fails it.
# shellcheck disable=SC2317  # called by the EXIT trap
on_exit() {
  local status=$?
  restore || status=$(( status != 0 ? status : 1 ))
  exit "$status"
}
if [[ $mode == run ]]; then
  trap on_exit EXIT
fi

echo "== macOS limits (old -> new)"
for entry in "${settings[@]}"; do
  read -r key target direction why <<< "$entry"
  current=$("$sysctl_cmd" -n "$key" 2>/dev/null) || current="unknown"
  if meets "$current" "$target" "$direction"; then
    echo "ok   $key = $current (target $target) ($why)"
  elif [[ $mode == dry-run ]]; then
    echo "would set $key: $current -> $target ($why)"
  else
    echo "set  $key: $current -> $target ($why)"
    wshunt_record_old_value "$state" "$key" "$current"
    if ! as_root "$sysctl_cmd" -w "$key=$target" >/dev/null; then
      echo "  cannot set $key (the runner's user needs passwordless sudo for sysctl and launchctl)"
      failed=1
    fi
  fi
done
old_launchctl=$("$launchctl_cmd" limit maxfiles 2>/dev/null | awk '{print $2, $3}')
read -r old_soft old_hard <<< "${old_launchctl:-unknown unknown}"
if meets "$old_soft" "$open_files" min; then
  echo "ok   launchctl limit maxfiles = $old_soft $old_hard (target $open_files)"
elif [[ $mode == dry-run ]]; then
  echo "would set launchctl limit maxfiles: ${old_launchctl:-unknown} -> $open_files $open_files"
else
  echo "set  launchctl limit maxfiles: ${old_launchctl:-unknown} -> $open_files $open_files"
  wshunt_record_old_value "$state" launchctl.maxfiles "$old_launchctl"
  if ! as_root "$launchctl_cmd" limit maxfiles "$open_files" "$open_files"; then
    echo "  cannot set launchctl maxfiles"
    failed=1
  fi
fi

if [[ $mode == dry-run ]]; then
  echo "would set ulimit -n: $(ulimit -n) -> $open_files (this shell and the JVMs it starts, which also get -XX:-MaxFDLimit)"
  echo "would run: ci/run-suite.sh --users $users --out $out ${suite_args[*]+${suite_args[*]}}"
  echo "would run: ci/gate.sh compare --summary $out/summary.json --baseline $baseline"
  echo "would restore every value above at the end"
  exit 0
fi

echo "old values kept in $state (ci/macos-runner.sh --restore puts them back)"
if [[ $mode == tune ]]; then
  exit $failed
fi

ulimit -n "$open_files" 2>/dev/null || echo "  ulimit -n $open_files refused; the run keeps $(ulimit -n)"

echo "== suite"
ci/run-suite.sh --users "$users" --out "$out" ${suite_args[@]+"${suite_args[@]}"}
suite=$?
gate=0
if [[ -f "$baseline" && -f "$out/summary.json" ]]; then
  echo "== gate against $baseline"
  WSHUNT_SKIP_BUILD=true ci/gate.sh compare --summary "$out/summary.json" --baseline "$baseline" --markdown "$out/gate.md"
  gate=$?
else
  echo "no $baseline yet: ci/gate.sh update-baseline --summary $out/summary.json --baseline $baseline makes one"
fi
echo "reports: $out/*/report/index.html, summary: $out/summary.json, page: $out/index.html"
exit $(( suite != 0 ? suite : gate ))
