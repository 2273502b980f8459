#!/usr/bin/env bash
# A/B gate: builds the server of a base commit and of this work tree, runs both pinned to the same
# CPUs in fresh JVM pairs (forks), and has the capacity probe load both at once on every path of
# the server (acked round trip, broadcast delivery, connect: CPU and bytes allocated per unit; idle
# connections: memory each), until each candidate/base ratio is clearly within or beyond its limit.
#   ci/ab.sh --base origin/main [--markdown table.md] [--out runs/ab]
#            [--candidate-server-args "..."] [--candidate-jvm-args "..."] [--variant NAME=PATH.KIND:PERCENT ...]
#            [--options for the rest]
#   ci/ab.sh --base-command "CMD {port}" --candidate-command "CMD {port}" [--profile NAME]   (a server of another stack)
# Exits 1 on a regression or when something could not be measured.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

base_ref=""
commands=false
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base) base_ref="$2"; shift 2 ;;
    --base-command|--candidate-command) commands=true; args+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; echo "Usage: ci/ab.sh --base COMMIT [options]; ci/ab.sh --base HEAD --options lists the gate's options"; exit 0 ;;
    --options) args+=(--help); shift ;;
    *) args+=("$1"); shift ;;
  esac
done
builds=()
if $commands; then
  # The user's commands start both builds: only the gate itself is built.
  wshunt_build package -DskipTests -Dgatling.skip=true -pl runner -am
else
  if [[ -z "$base_ref" ]]; then
    echo "ab: --base <commit> is needed (for example origin/main), or --base-command and --candidate-command" >&2
    exit 2
  fi
  base_tree=$(mktemp -d)
  cleanup() { git worktree remove --force "$base_tree" >/dev/null 2>&1 || rm -rf "$base_tree"; }
  trap cleanup EXIT
  git worktree add --detach "$base_tree" "$base_ref" >/dev/null

  echo "== building the base server ($base_ref) and the candidate's"
  (cd "$base_tree" && mvn -B -q -pl server package -DskipTests -Dgatling.skip=true)
  wshunt_build package -DskipTests -Dgatling.skip=true -pl server,runner -am
  builds=(--base-classpath "$base_tree/server/target/wshunt-server.jar" --candidate-classpath "$PWD/server/target/wshunt-server.jar")
fi

# Servers on one half of the CPUs, the probe on the other: the server's CPU time per message then
# holds still whatever else the probe's JVM is doing. Without taskset (macOS), nothing is pinned.
pin=()
cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
if command -v taskset >/dev/null 2>&1 && [[ "$cpus" -ge 2 ]]; then
  half=$((cpus / 2))
  pin=(taskset -c "0-$((half - 1))")
  args=(--server-cpus "$half-$((cpus - 1))" ${args[@]+"${args[@]}"})
fi

# In the background and waited for, so that a TERM or Ctrl-C reaches the gate's JVM at once (it then
# stops every server it started) instead of after it has run to its end.
${pin[@]+"${pin[@]}"} java "$wshunt_file_limit_flag" -cp "$(wshunt_runner_classpath)" io.wshunt.runner.gate.AbCommand \
  ${builds[@]+"${builds[@]}"} ${args[@]+"${args[@]}"} &
gate=$!
trap 'kill -TERM "$gate" 2>/dev/null; wait "$gate"; exit 143' INT TERM
wait "$gate"
