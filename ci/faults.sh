#!/usr/bin/env bash
# The fault suite: each fault against a small real run or a real server (kill -9 and SIGSTOP of a
# server, Redis killed mid-chat, an injector killed, Ctrl-C and kill -9 of the runner, a reader
# that never reads, a chat flood, 10,000 sockets that never upgrade, a corrupt and a truncated
# simulation.log, a baseline value missing). Linux only (it finds leftovers in /proc); ~10 min.
#   ci/faults.sh [--users 300] [--only server-kill,slowloris] [--out runs/faults]
#   ci/faults.sh --help
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"
if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  wshunt_usage "$0" 7
  exit 0
fi
if [[ $(uname) != Linux ]]; then
  echo "ci/faults.sh finds the processes a fault left behind in /proc: it runs on Linux only." >&2
  exit 2
fi
# The slowloris fault holds 10,000 sockets in this JVM.
ulimit -n "$(ulimit -Hn)"
wshunt_build test-compile -Dgatling.skip=true
wshunt_build package -DskipTests -Dgatling.skip=true -pl server -am
exec java "$wshunt_file_limit_flag" -cp "$(wshunt_runner_classpath)" io.wshunt.runner.faults.FaultSuite "$@"
