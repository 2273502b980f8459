#!/usr/bin/env bash
# Runs the wshunt suite with as many server and injector processes as this machine needs:
# preflight, servers, injectors, one merged report per simulation, summary.json.
#   ci/run-suite.sh --users 50000
#   ci/run-suite.sh --preflight --users 50000
#   ci/run-suite.sh merge --out DIR injector-1/simulation.log injector-2/simulation.log ...
#   ci/run-suite.sh --help
set -euo pipefail
cd "$(dirname "$0")/.."

# JDK 17 before 17.0.13 caps a JVM at 10,240 open files on macOS unless told otherwise.
file_limit_flag=-Dwshunt.fileLimitFlag=none
[[ $(uname) == Darwin ]] && file_limit_flag=-XX:-MaxFDLimit

# A mistyped option is refused before the build, once the runner has been built before.
if [[ "${1:-}" != "merge" && -f runner/target/classpath.txt && -d runner/target/classes/io/wshunt/runner ]]; then
  java "$file_limit_flag" -cp "runner/target/classes:$(cat runner/target/classpath.txt)" io.wshunt.runner.SuiteRunner \
    --check-options "$@" || exit $?
fi
if [[ "${WSHUNT_SKIP_BUILD:-}" != "true" ]]; then
  mvn -B -q test-compile -Dgatling.skip=true
fi
injector_classpath="simulations/target/test-classes:simulations/target/classes:$(cat simulations/target/test-classpath.txt)"
if [[ "${1:-}" == "merge" ]]; then
  shift
  exec java "$file_limit_flag" -cp "runner/target/classes:$(cat runner/target/classpath.txt):$injector_classpath" io.wshunt.runner.MergeCommand "$@"
fi
exec java "$file_limit_flag" -cp "runner/target/classes:$(cat runner/target/classpath.txt)" io.wshunt.runner.SuiteRunner \
  --classpath "$injector_classpath" "$@"
