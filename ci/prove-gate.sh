#!/usr/bin/env bash
# Proves what the A/B gate catches, path by path: one base server and seven candidates of the same
# build run side by side (ci/ab.sh --variant), each with one deliberate regression sized on the
# base's own figures: none (must pass), 10% and 25% more CPU per acked round trip, 25% more CPU per
# broadcast delivery and per connect, 10% more bytes allocated per delivery, and 20% more memory
# per idle connection. Every regression but +10% CPU must fail on its own path's metric; +10% CPU is
# counted (the goal is 8 of 10 runs). With --runs N it proves N times and tallies "x of N".
#   ci/prove-gate.sh [--runs N] [--out DIR] [more ci/ab.sh options]
set -euo pipefail
cd "$(dirname "$0")/.."

runs=1
out=runs/prove-gate
ab_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) ab_args+=("$1"); shift ;;
  esac
done

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

mkdir -p "$out"
tally="$out/tally.txt"
: >"$tally"
held_every_run=true
for run in $(seq 1 "$runs"); do
  dir="$out/run-$run"
  echo "== proof run $run of $runs ($dir)"
  started=$(date +%s)
  # ab.sh exits 1 here by design: every candidate but the identical one is a regression.
  ci/ab.sh --base HEAD --out "$dir" "${variants[@]}" ${ab_args[@]+"${ab_args[@]}"} || true
  export WSHUNT_SKIP_BUILD=true # the candidate build is the same for every run
  verdicts="$dir/ab.txt"
  if [[ ! -f "$verdicts" ]]; then
    echo "PROOF FAILED: run $run wrote no verdicts ($verdicts)" | tee -a "$tally"
    held_every_run=false
    continue
  fi
  held=true
  for candidate in "${candidates[@]}"; do
    IFS='|' read -r name spec metric <<<"$candidate"
    line=$(grep -F "verdict $name: " "$verdicts" || true)
    row=$(awk -v name="$name" -v metric="${metric:-ack.per_server_cpu_s}" '$1 == name && $2 == metric {print $5, $6, $7}' "$verdicts")
    if [[ -z "$metric" ]]; then
      if [[ "$line" == "verdict $name: passes"* ]]; then outcome=passed; else outcome="FAILED"; held=false; fi
    elif [[ "$line" == "verdict $name: fails ("*"$metric"* ]]; then
      outcome=caught
    elif [[ "$name" == "ack-cpu+10%" ]]; then
      outcome=missed
    else
      outcome="MISSED"; held=false
    fi
    echo "run $run: $name $outcome ${metric:-ack.per_server_cpu_s} $row" | tee -a "$tally"
  done
  if grep -q "^problem: " "$verdicts"; then
    echo "run $run: problems named (lost or unmeasured figures)" | tee -a "$tally"
    held=false
  fi
  echo "run $run: proof $([[ "$held" == true ]] && echo holds || echo FAILED) in $(( $(date +%s) - started )) s" | tee -a "$tally"
  [[ "$held" == true ]] || held_every_run=false
done

echo "== tally over $runs run(s) ($tally)"
for candidate in "${candidates[@]}"; do
  IFS='|' read -r name spec metric <<<"$candidate"
  expected=$([[ -z "$metric" ]] && echo passed || echo caught)
  count=$(grep -cF "$name $expected " "$tally" || true)
  ratios=$(grep -F ": $name " "$tally" | awk '{print $6}' | paste -sd' ' -)
  echo "$name: $expected $count of $runs (ratio of ${metric:-ack.per_server_cpu_s}: $ratios)"
done
if [[ "$held_every_run" != true ]]; then
  echo "PROOF FAILED in at least one run"
  exit 1
fi
echo "== proof holds in $runs of $runs: identical builds pass; every injected regression but +10% CPU fails on its own path's metric"
