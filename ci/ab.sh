#!/usr/bin/env bash
# A/B gate: builds the server of a base commit and of this work tree, runs them alternately in
# this job (several short rounds), and compares them round by round with a confidence interval.
#   ci/ab.sh --base origin/main [--rounds 3] [--users 500] [--markdown table.md] [--out runs/ab]
#            [--candidate-server-args "..."] [-Dproperty=value ...]
# Exits 1 on a regression.
set -euo pipefail
cd "$(dirname "$0")/.."

base_ref=""
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base) base_ref="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [[ -z "$base_ref" ]]; then
  echo "ab: --base <commit> is needed (for example origin/main)" >&2
  exit 2
fi

base_tree=$(mktemp -d)
cleanup() { git worktree remove --force "$base_tree" >/dev/null 2>&1 || rm -rf "$base_tree"; }
trap cleanup EXIT
git worktree add --detach "$base_tree" "$base_ref" >/dev/null

echo "== building the base server ($base_ref) and the candidate's"
(cd "$base_tree" && mvn -B -q -pl server package -DskipTests -Dgatling.skip=true)
if [[ "${WSHUNT_SKIP_BUILD:-}" != "true" ]]; then
  mvn -B -q -pl server package -DskipTests -Dgatling.skip=true
  mvn -B -q test-compile -Dgatling.skip=true
fi

injector_classpath="simulations/target/test-classes:simulations/target/classes:$(cat simulations/target/test-classpath.txt)"
java -cp "runner/target/classes:$(cat runner/target/classpath.txt)" io.wshunt.runner.gate.AbGate \
  --base-classpath "$base_tree/server/target/wshunt-server.jar" \
  --candidate-classpath "$PWD/server/target/wshunt-server.jar" \
  --classpath "$injector_classpath" "${args[@]}"
