#!/usr/bin/env bash
# Proves the A/B gate, here and in CI: the same build against itself must pass, and the same build
# with a quarter of its server-side capacity taken away (--extra-work-micros, calibrated from the
# first run) must fail and name the metric. Exits 0 only when both hold.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/prove-gate}
rounds=${ROUNDS:-3}

echo "== 1. identical builds: the gate must pass"
if ! ci/ab.sh --base HEAD --rounds "$rounds" --out "$out/identical"; then
  echo "PROOF FAILED: the gate failed two identical builds"
  exit 1
fi

# The base's CPU per message, from the first run; a quarter less capacity is a third more work.
per_message=$(sed -n 's/^base server CPU per message: \([0-9.]*\) us$/\1/p' "$out/identical/ab.txt")
extra=$(awk -v us="$per_message" 'BEGIN { x = us / 3; printf "%d", (x == int(x)) ? x : int(x) + 1 }')
echo "== 2. candidate with ${extra} us of extra work per message (base ${per_message} us): the gate must fail"
if WSHUNT_SKIP_BUILD=true ci/ab.sh --base HEAD --rounds "$rounds" --out "$out/injected" \
    --candidate-server-args "--extra-work-micros $extra"; then
  echo "PROOF FAILED: the gate passed a build with 25% less server-side capacity"
  exit 1
fi
if ! grep -q "REGRESSION" "$out/injected/ab.txt" || ! grep "REGRESSION" "$out/injected/ab.txt" | grep -q server_msgs_per_cpu_s; then
  echo "PROOF FAILED: the gate failed, but not on server_msgs_per_cpu_s"
  exit 1
fi
echo "== proof holds: identical builds pass, a 25% loss of server-side capacity fails on server_msgs_per_cpu_s"
