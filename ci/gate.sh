#!/usr/bin/env bash
# The regression gate against a checked-in baseline (results/<profile>.json).
#   ci/gate.sh compare --summary runs/X/summary.json --baseline results/linux-2core.json [--markdown table.md]
#   ci/gate.sh update-baseline --summary runs/X/summary.json --baseline results/linux-2core.json
#   ci/gate.sh settings --baseline results/linux-2core.json    the -D flags the profile was measured with
# Exits 1 on a regression.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${WSHUNT_SKIP_BUILD:-}" != "true" ]]; then
  mvn -B -q compile -pl runner -am
fi
exec java -cp "runner/target/classes:$(cat runner/target/classpath.txt)" io.wshunt.runner.gate.Gate "$@"
