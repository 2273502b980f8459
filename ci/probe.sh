#!/usr/bin/env bash
# This machine's ceiling against the wshunt server: a pipelined client drives one server process
# at its limit and reports msg/s, acked round trips/s and deliveries/s, each with the server's
# CPU per unit.
#   ci/probe.sh [--server-cpus 1] [--repeat 3] [--json runs/probe.json]
#   ci/probe.sh --target ws://127.0.0.1:8080 --stats http://127.0.0.1:8081/stats
#   ci/probe.sh --help
set -euo pipefail
cd "$(dirname "$0")/.."

# JDK 17 before 17.0.13 caps a JVM at 10,240 open files on macOS unless told otherwise.
file_limit_flag=-Dwshunt.fileLimitFlag=none
[[ $(uname) == Darwin ]] && file_limit_flag=-XX:-MaxFDLimit
if [[ "${WSHUNT_SKIP_BUILD:-}" != "true" ]]; then
  mvn -B -q package -DskipTests -Dgatling.skip=true -pl server,runner -am
fi
exec java "$file_limit_flag" -cp "runner/target/classes:$(cat runner/target/classpath.txt)" \
  io.wshunt.runner.probe.ProbeCommand "$@"
