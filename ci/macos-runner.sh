#!/usr/bin/env bash
# For a self-hosted Mac runner or a developer's Mac: shows the limits that cap connections,
# raises them, runs the suite and the gate, keeps the reports, and puts every value back when it
# ends (also on failure or Ctrl-C).
#   ci/macos-runner.sh --dry-run                 print each setting with its old and new value; change nothing
#   ci/macos-runner.sh [--users N] [--out DIR] [--baseline results/macos-selfhosted.json] [run-suite options]
# macOS's default ephemeral range gives 16,384 ports to one destination: a benchmark that stops
# at 16,383 connections has met that range, not the server's limit.
# SYSCTL and LAUNCHCTL name the commands (the tests use stand-ins on Linux).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

sysctl_cmd=${SYSCTL:-sysctl}
launchctl_cmd=${LAUNCHCTL:-launchctl}
dry_run=false
users=20000
out=runs/macos
baseline=results/macos-selfhosted.json
suite_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dry-run) dry_run=true; shift ;;
    --users) users="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    *) suite_args+=("$1"); shift ;;
  esac
done

# key new-value why
settings=(
  "net.inet.ip.portrange.first 10000 ephemeral ports start here (default 49152: only 16,384 ports)"
  "net.inet.ip.portrange.last 65535 ephemeral ports end here"
  "net.inet.ip.portrange.hifirst 10000 the high range macOS also uses for ephemeral ports"
  "net.inet.ip.portrange.hilast 65535 end of the high range"
  "kern.ipc.somaxconn 4096 accept queue (default 128)"
  "kern.maxfiles 400000 open files for the whole system"
  "kern.maxfilesperproc 200000 open files per process"
  "kern.ipc.maxsockbuf 8388608 socket buffer ceiling"
  "net.inet.tcp.msl 1000 shorter TIME_WAIT, so ports come back between runs (default 15000 ms)"
)
open_files=200000

# Old values, one key=value a line (macOS's bash 3.2 has no associative arrays).
old_values=$(mktemp)
# shellcheck disable=SC2317  # called by the EXIT trap
restore() {
  if [[ $dry_run == true ]]; then rm -f "$old_values"; return; fi
  echo "== restoring"
  while IFS='=' read -r key value; do
    [[ -z $key ]] && continue
    echo "restore $key = $value"
    sudo "$sysctl_cmd" -w "$key=$value" >/dev/null || echo "  could not restore $key"
  done < "$old_values"
  rm -f "$old_values"
  if [[ -n "${old_launchctl:-}" ]]; then
    read -r soft hard <<< "$old_launchctl"
    sudo "$launchctl_cmd" limit maxfiles "$soft" "$hard" || echo "  could not restore launchctl maxfiles"
  fi
}
trap restore EXIT

echo "== macOS limits (old -> new)"
for entry in "${settings[@]}"; do
  read -r key value why <<< "$entry"
  current=$("$sysctl_cmd" -n "$key" 2>/dev/null) || current="unknown"
  if [[ $dry_run == true ]]; then
    echo "would set $key: $current -> $value ($why)"
  elif [[ "$current" != "$value" ]]; then
    echo "set $key: $current -> $value ($why)"
    if sudo "$sysctl_cmd" -w "$key=$value" >/dev/null; then
      echo "$key=$current" >> "$old_values"
    else
      echo "  cannot set $key (no permission? the runner's user needs passwordless sudo for sysctl and launchctl)"
    fi
  fi
done
old_launchctl=$("$launchctl_cmd" limit maxfiles 2>/dev/null | awk '{print $2, $3}')
if [[ $dry_run == true ]]; then
  echo "would set launchctl limit maxfiles: ${old_launchctl:-unknown} -> $open_files $open_files"
  echo "would set ulimit -n: $(ulimit -n) -> $open_files"
  echo "would run: ci/run-suite.sh --users $users --out $out ${suite_args[*]+${suite_args[*]}}"
  echo "would run: ci/gate.sh compare --summary $out/summary.json --baseline $baseline"
  exit 0
fi
sudo "$launchctl_cmd" limit maxfiles "$open_files" "$open_files" || echo "  cannot set launchctl maxfiles"
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
echo "reports: $out/*/report/index.html, summary: $out/summary.json"
exit $(( suite != 0 ? suite : gate ))
