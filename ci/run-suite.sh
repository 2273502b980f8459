#!/usr/bin/env bash
# Runs the wshunt suite with as many server and injector processes as this machine needs:
# preflight, servers, injectors, one merged report per simulation, summary.json.
#   ci/run-suite.sh --users 50000
#   ci/run-suite.sh --preflight --users 50000
#   ci/run-suite.sh merge --injectors M --out DIR FOLDER...   (injector folders gathered from elsewhere)
#   ci/run-suite.sh --on-kubernetes --users N --servers S --injectors M   (ci/kubernetes.sh)
#   ci/run-suite.sh --help
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"
file_limit_flag=$wshunt_file_limit_flag

for arg in "$@"; do
  if [[ "$arg" == --on-kubernetes ]]; then
    exec ci/kubernetes.sh "$@"
  fi
done

runner_built=false
[[ -f runner/target/classpath.txt && -d runner/target/classes/io/wshunt/runner ]] && runner_built=true
# --help needs no build: every option once the runner is built, the header above until then.
if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  if [[ $runner_built == true ]]; then
    exec java "$file_limit_flag" -cp "$(wshunt_runner_classpath)" io.wshunt.runner.SuiteRunner --help
  fi
  wshunt_usage "$0" 8
  exit 0
fi
# A mistyped option is refused before the build, once the runner has been built before.
if [[ "${1:-}" != "merge" && $runner_built == true ]]; then
  java "$file_limit_flag" -cp "$(wshunt_runner_classpath)" io.wshunt.runner.SuiteRunner \
    --check-options "$@" || exit $?
fi
wshunt_build test-compile -Dgatling.skip=true
if [[ "${1:-}" == "merge" ]]; then
  shift
  exec java "$file_limit_flag" -cp "$(wshunt_runner_classpath)" io.wshunt.runner.MergeCommand "$@"
fi
exec java "$file_limit_flag" -cp "$(wshunt_runner_classpath)" io.wshunt.runner.SuiteRunner "$@"
