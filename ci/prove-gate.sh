#!/usr/bin/env bash
# Proves the A/B gate's sensitivity, here and in CI: one base server and four candidates run side by
# side (ci/ab.sh --variant): the same build (must pass), and the same build with 10%, 25% and 50%
# more server CPU per acked round trip (real work, calibrated on the base). +25% and +50% must fail
# and name the metric; +10% is reported, not required. Exits 0 only when the proof holds.
#   ci/prove-gate.sh [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  sed -n '2,6p' "$0"; echo "Usage: ci/prove-gate.sh [out-dir]"; exit 0
fi
out=${1:-runs/prove-gate}

# ab.sh exits 1 here by design: the +25% and +50% candidates are regressions.
ci/ab.sh --base HEAD --out "$out" --variant identical=0 --variant +10%=10 --variant +25%=25 --variant +50%=50 || true

verdicts="$out/ab.txt"
if [[ ! -f "$verdicts" ]]; then
  echo "PROOF FAILED: the gate wrote no verdicts ($verdicts)"
  exit 1
fi
held=true
grep -q "^verdict identical: passed" "$verdicts" || { echo "PROOF FAILED: identical builds did not pass"; held=false; }
for variant in +25% +50%; do
  grep -q "^verdict $variant: regression (ack.per_server_cpu_s)" "$verdicts" \
    || { echo "PROOF FAILED: the $variant build was not caught on ack.per_server_cpu_s"; held=false; }
done
grep "^verdict " "$verdicts"
if [[ "$held" != true ]]; then
  exit 1
fi
echo "== proof holds: identical builds pass; +25% and +50% server CPU per round trip fail on ack.per_server_cpu_s"
