#!/usr/bin/env bash
# The regression gate against a checked-in baseline (results/<profile>.json).
#   ci/gate.sh compare --summary runs/X/summary.json --baseline results/linux-2core.json [--markdown table.md]
#   ci/gate.sh update-baseline --summary runs/A/summary.json [--summary runs/B/summary.json ...] --baseline results/linux-2core.json
#   ci/gate.sh settings --baseline results/linux-2core.json    the -D flags the profile was measured with
# Exits 1 on a regression.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"
if [[ $# -eq 0 || "$1" == -h || "$1" == --help ]]; then
  wshunt_usage "$0" 6
  exit 0
fi
wshunt_build test-compile -Dgatling.skip=true -pl runner -am # the runner needs the simulations' test classes
exec java -cp "$(wshunt_runner_classpath)" io.wshunt.runner.gate.Gate "$@"
