#!/usr/bin/env bash
# Proves what the A/B gate catches, path by path: seven candidates of one build, each loaded together
# with a base server of the same build (ci/ab.sh --variant), each with one deliberate regression sized
# on the base's own figures: none (must pass), 10% and 25% more CPU per acked round trip, 25% more CPU per
# broadcast delivery and per connect, 10% more bytes allocated per delivery, and 20% more memory
# per idle connection. Each regression but +10% CPU must fail on a metric of its own path; +10% CPU
# is counted (the goal is 8 of 10 runs). Each candidate gets the default gate's 540 s; most are
# decided after one fork (a run of all seven took 12-13 minutes here). With --runs N it proves N times and tallies "x of N", then
# shows how far apart the paths a regression leaves alone came out; --tally-only tallies again.
#   ci/prove-gate.sh [--runs N] [--out DIR] [--tally-only] [--only NAME,...] [more ci/ab.sh options]
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

runs=1
out=runs/prove-gate
tally_only=false
only=""
ab_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --tally-only) tally_only=true; shift ;;
    --only) only="$2"; shift 2 ;; # some candidates, e.g. identical,ack-cpu+10% with --paths ack: more forks each
    -h|--help) wshunt_usage "$0" 10; exit 0 ;;
    *) ab_args+=("$1"); shift ;;
  esac
done

# Each candidate, the regression it carries, and the metric of its own path that should name it.
candidates=(
  "identical|none|"
  "ack-cpu+10%|ack.cpu:10|ack.per_server_cpu_s"
  "ack-cpu+25%|ack.cpu:25|ack.per_server_cpu_s"
  "delivery-cpu+25%|delivery.cpu:25|broadcast.per_server_cpu_s"
  "connect-cpu+25%|connect.cpu:25|connect.per_server_cpu_s"
  "delivery-alloc+10%|delivery.alloc:10|broadcast.bytes_per_unit"
  "idle-memory+20%|idle.bytes:20|idle.bytes_per_connection"
)

if [[ -n "$only" ]]; then
  chosen=()
  for candidate in "${candidates[@]}"; do
    [[ ",$only," == *",${candidate%%|*},"* ]] && chosen+=("$candidate")
  done
  if [[ ${#chosen[@]} -eq 0 ]]; then
    echo "prove-gate: --only $only names none of: $(printf '%s ' "${candidates[@]%%|*}")" >&2
    exit 2
  fi
  candidates=("${chosen[@]}")
fi

# The metrics that failed a candidate, read from the table of ab.txt: regressions, figures not
# measured, and inconclusive ones whose mean ratio is past the limit (the gate's default rule).
failing_metrics() { # name ab.txt
  awk -v name="$1" '$1 == name {
    if ($5 == "-") { if ($9 == "not") print $2; next }
    if ($10 == "regression" || $10 == "not") print $2
    else if ($10 == "inconclusive" && (($8 == ">=" && $5 + 0 < $9 + 0) || ($8 == "<=" && $5 + 0 > $9 + 0))) print $2
  }' "$2"
}

# Judges one run's ab.txt: a line per candidate into the tally; returns 1 when the proof failed.
judge_run() { # run-number dir
  local run=$1 verdicts=$2/ab.txt held=true candidate name spec metric path line row outcome failed
  if [[ ! -f "$verdicts" ]]; then
    echo "run $run: PROOF FAILED, no verdicts ($verdicts)" | tee -a "$tally"
    return 1
  fi
  for candidate in "${candidates[@]}"; do
    IFS='|' read -r name spec metric <<<"$candidate"
    path=${metric%%.*}
    line=$(grep -F "verdict $name: " "$verdicts" || true)
    row=$(awk -v name="$name" -v metric="${metric:-ack.per_server_cpu_s}" '$1 == name && $2 == metric {print $5, $6, $7}' "$verdicts")
    failed=$(failing_metrics "$name" "$verdicts" | paste -sd, -)
    if [[ -z "$metric" ]]; then
      if [[ "$line" == "verdict $name: passes"* ]]; then outcome=passed; else outcome="FAILED"; held=false; fi
    elif [[ ",$failed," == *",$metric,"* ]]; then
      outcome=caught
    elif [[ ",$failed" == *",$path."* ]]; then
      outcome=caught-on-path
    elif [[ "$name" == "ack-cpu+10%" ]]; then
      outcome=missed
    else
      outcome="MISSED"; held=false
    fi
    echo "run $run: $name $outcome ${metric:-ack.per_server_cpu_s} $row failed on: ${failed:-nothing}" | tee -a "$tally"
  done
  if grep -q "^problem: " "$verdicts"; then
    echo "run $run: problems named: $(grep '^problem: ' "$verdicts" | tr '\n' ' ')" | tee -a "$tally"
    held=false
  fi
  echo "run $run: proof $([[ "$held" == true ]] && echo holds || echo FAILED)" | tee -a "$tally"
  [[ "$held" == true ]]
}

# Each candidate gets the time the default gate gives its one candidate (540 s), so that the proof
# judges with the rounds a real run has, not a seventh of them; --budget-seconds overrides it.
if [[ " ${ab_args[*]-} " != *" --budget-seconds "* ]]; then
  ab_args+=(--budget-seconds "$((540 * ${#candidates[@]}))")
fi

mkdir -p "$out"
tally="$out/tally.txt"
: >"$tally"
held_every_run=true
for run in $(seq 1 "$runs"); do
  dir="$out/run-$run"
  if [[ "$tally_only" != true ]]; then
    variants=()
    for candidate in "${candidates[@]}"; do
      IFS='|' read -r name spec metric <<<"$candidate"
      variants+=(--variant "$name=$spec")
    done
    echo "== proof run $run of $runs ($dir)"
    started=$(date +%s)
    # ab.sh exits 1 here by design: every candidate but the identical one is a regression.
    # Waited for in the background, so that stopping the proof stops the gate under way too.
    ci/ab.sh --base HEAD --out "$dir" "${variants[@]}" ${ab_args[@]+"${ab_args[@]}"} &
    gate=$!
    trap 'kill -TERM "$gate" 2>/dev/null; wait "$gate"; exit 143' INT TERM
    wait "$gate" || true
    trap - INT TERM
    export WSHUNT_SKIP_BUILD=true # the candidate build is the same for every run
    echo "run $run: took $(( $(date +%s) - started )) s" | tee -a "$tally"
  fi
  judge_run "$run" "$dir" || held_every_run=false
done

echo "== tally over $runs run(s) ($tally)"
for candidate in "${candidates[@]}"; do
  IFS='|' read -r name spec metric <<<"$candidate"
  ratios=$(awk -v name="$name" '$3 == name {print $6}' "$tally" | paste -sd' ' -)
  count() { awk -v name="$name" -v outcome="$1" '$3 == name && $4 == outcome' "$tally" | wc -l | tr -d ' '; }
  if [[ -z "$metric" ]]; then
    echo "$name: passed $(count passed) of $runs (ratios of ack.per_server_cpu_s: $ratios)"
  else
    echo "$name: caught on $metric $(count caught), on another metric of its path $(count caught-on-path), of $runs (ratios of $metric: $ratios)"
  fi
done
# The spread of identical paths: what a limit must stay clear of (see AbSpread).
verdicts=()
for run in $(seq 1 "$runs"); do
  [[ -f "$out/run-$run/ab.json" ]] && verdicts+=("$out/run-$run/ab.json")
done
if [[ ${#verdicts[@]} -gt 0 && -f runner/target/classpath.txt ]]; then
  echo "== how far apart the paths each regression leaves alone came out, over ${#verdicts[@]} run(s)"
  java -cp "$(wshunt_runner_classpath)" io.wshunt.runner.gate.AbSpread "${verdicts[@]}"
fi
if [[ "$held_every_run" != true ]]; then
  echo "PROOF FAILED in at least one run"
  exit 1
fi
echo "== proof holds in $runs of $runs: identical builds pass; every injected regression but +10% CPU fails on its own path"
