#!/usr/bin/env bash
# This machine's ceiling against the wshunt server: a pipelined client drives one server process
# at its limit and reports msg/s, acked round trips/s and deliveries/s, each with the server's
# CPU and bytes allocated per unit.
#   ci/probe.sh [--server-cpus 1] [--repeat 3] [--json runs/probe.json]
#   ci/probe.sh --target ws://127.0.0.1:8080 --stats http://127.0.0.1:8081/stats
#   ci/probe.sh --target ws://127.0.0.1:8090 --profile broadcast-hub   (another stack's server: counted here)
#   ci/probe.sh --idle-connections 16000
#   ci/probe.sh --help             (every option, once the runner is built)
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"
if [[ "${1:-}" == -h || "${1:-}" == --help ]] && [[ ! -f runner/target/classpath.txt ]]; then
  wshunt_usage "$0" 9
  exit 0
fi
[[ "${1:-}" == -h || "${1:-}" == --help ]] || wshunt_build package -DskipTests -Dgatling.skip=true -pl server,runner -am
exec java "$wshunt_file_limit_flag" -cp "$(wshunt_runner_classpath)" io.wshunt.runner.probe.ProbeCommand "$@"
