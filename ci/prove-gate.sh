#!/usr/bin/env bash
# Proves what the A/B gate catches, path by path: one base server and seven candidates of the same
# build run side by side (ci/ab.sh --variant), each with one deliberate regression sized on the
# base's own figures: none (must pass), 10% and 25% more CPU per acked round trip, 25% more CPU per
# broadcast delivery and per connect, 10% more bytes allocated per delivery, and 20% more memory
# per idle connection. Every regression but +10% CPU must fail on its own path's metric; +10% CPU is
# counted (the goal is 8 of 10 runs). Exits 0 only when the proof holds.
#   ci/prove-gate.sh [out-dir] [more ci/ab.sh options]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  sed -n '2,8p' "$0"; echo "Usage: ci/prove-gate.sh [out-dir] [more ci/ab.sh options]"; exit 0
fi
out=${1:-runs/prove-gate}
shift || true

# Each candidate, the regression it carries, and the metric that must name it.
candidates=(
  "identical|none|"
  "ack-cpu+10%|ack.cpu:10|ack.per_server_cpu_s"
  "ack-cpu+25%|ack.cpu:25|ack.per_server_cpu_s"
  "delivery-cpu+25%|delivery.cpu:25|broadcast.per_server_cpu_s"
  "connect-cpu+25%|connect.cpu:25|connect.per_server_cpu_s"
  "delivery-alloc+10%|delivery.alloc:10|broadcast.bytes_per_unit"
  "idle-memory+20%|idle.bytes:20|idle.bytes_per_connection"
)
variants=()
for candidate in "${candidates[@]}"; do
  IFS='|' read -r name spec metric <<<"$candidate"
  variants+=(--variant "$name=$spec")
done

# ab.sh exits 1 here by design: every candidate but the identical one is a regression.
ci/ab.sh --base HEAD --out "$out" "${variants[@]}" "$@" || true

verdicts="$out/ab.txt"
if [[ ! -f "$verdicts" ]]; then
  echo "PROOF FAILED: the gate wrote no verdicts ($verdicts)"
  exit 1
fi
grep "^verdict " "$verdicts"
held=true
for candidate in "${candidates[@]}"; do
  IFS='|' read -r name spec metric <<<"$candidate"
  line=$(grep -F "verdict $name: " "$verdicts" || true)
  if [[ -z "$metric" ]]; then
    [[ "$line" == "verdict $name: passes"* ]] || { echo "PROOF FAILED: $name did not pass"; held=false; }
  elif [[ "$line" == "verdict $name: fails (regression: "*"$metric"* || "$line" == "verdict $name: fails (inconclusive: $metric"* ]]; then
    echo "caught: $name on $metric"
  elif [[ "$name" == "ack-cpu+10%" ]]; then
    echo "missed: $name (counted, not required in one run)"
  else
    echo "PROOF FAILED: $name was not caught on $metric"; held=false
  fi
done
if grep -q "^problem: " "$verdicts"; then
  echo "PROOF FAILED: the gate named problems (lost or unmeasured figures)"; held=false
fi
if [[ "$held" != true ]]; then
  exit 1
fi
echo "== proof holds: identical builds pass; every injected regression fails on its own path's metric"
