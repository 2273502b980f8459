#!/usr/bin/env bash
# Gatling against Artillery 2 (Node), the same fire-and-forget load on the same server, side by
# side: one server process, 1,000 users each sending MESSAGES benchmark frames without waiting,
# ROUNDS rounds, the tools taking turns. The rate is what the server counted over the seconds it
# was counting, never what a tool says it sent. Artillery is installed into target/artillery
# (npm) with its telemetry off; it is a yardstick here, not part of wshunt.
#   ci/compare-artillery.sh [--rounds 3] [--messages 500] [--users 1000] [--gatling-jvm-args "..."]
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

rounds=3
messages=500
users=1000
gatling_jvm_args=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --messages) messages="$2"; shift 2 ;;
    --users) users="$2"; shift 2 ;;
    --gatling-jvm-args) gatling_jvm_args="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; echo "Usage: ci/compare-artillery.sh [--rounds N] [--messages N] [--users N] [--gatling-jvm-args \"...\"]"; exit 0 ;;
    *) echo "compare-artillery: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

if ! [[ $(date +%N) =~ ^[0-9]+$ ]]; then
  echo "compare-artillery: needs GNU date (date +%N); on macOS: brew install coreutils, with its gnubin first on PATH" >&2
  exit 2
fi
wshunt_build package -DskipTests -Dgatling.skip=true -pl server -am
wshunt_build test-compile -Dgatling.skip=true
out=target/compare-artillery
mkdir -p "$out"
artillery_dir=target/artillery
if [[ ! -x $artillery_dir/node_modules/.bin/artillery ]]; then
  echo "== installing artillery@2 into $artillery_dir"
  mkdir -p "$artillery_dir"
  (cd "$artillery_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent artillery@2 >/dev/null)
fi
# Artillery builds a telemetry client even when told not to: replace the module with one that does nothing.
cat > "$out/no-telemetry.js" <<'EOF'
const Module = require('module');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'posthog-node') {
    class PostHog { capture() {} identify() {} shutdown() { return Promise.resolve(); } shutdownAsync() { return Promise.resolve(); } }
    return { PostHog };
  }
  return load.apply(this, arguments);
};
EOF

port=$(( 20000 + RANDOM % 20000 ))
admin=$(( port + 1 ))
server_log="$out/server.log"
read -r -a server_jvm_args <<< "$(java -cp "$(wshunt_runner_classpath)" io.wshunt.contract.ServerCommand)" # the flags every server gets
java "${server_jvm_args[@]}" "$wshunt_file_limit_flag" -cp server/target/wshunt-server.jar io.wshunt.server.Main \
  --host 127.0.0.1 --port "$port" --admin-port "$admin" > "$server_log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$admin/health" >/dev/null 2>&1 && break
  sleep 0.2
done
stats() { curl -sf "http://127.0.0.1:$admin/stats"; }
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

content=$(printf 'x%.0s' $(seq 1 64))
frame="{\"type\":\"benchmark_test\",\"content\":\"$content\"}"
cat > "$out/artillery.yml" <<EOF
config:
  target: "ws://127.0.0.1:$port/ws"
  phases:
    - duration: 2
      arrivalCount: $users
scenarios:
  - engine: ws
    flow:
      - loop:
          - send: '$frame'
        count: $messages
EOF

# Polls the server while a tool runs; prints "msg/s cpu-us-per-msg" over the seconds the count moved.
measure() { # command...
  local samples="$out/samples.txt"
  : > "$samples"
  "$@" > "$out/tool.log" 2>&1 &
  local tool=$!
  sample() {
    local now body
    now=$(date +%s%N)
    body=$(stats || true)
    count=$(echo "$body" | field benchmark_messages)
    echo "$now $count $(echo "$body" | field cpu_time_ns)" >> "$samples"
  }
  while kill -0 "$tool" 2>/dev/null; do
    sample
    sleep 0.2
  done
  wait "$tool" || echo "  (the tool exited with $?; see $out/tool.log)" >&2
  # Frames a tool wrote before it left are still counted after it exits: wait until the count stands still.
  local before=""
  while sample; [[ "$count" != "$before" ]]; do
    before=$count
    sleep 1
  done
  awk 'NF == 3 && $2 != "" { if (prev != "" && $2 > prev) { if (first == "") { first = pt; fc = prev; fcpu = pcpu } last = $1; lc = $2; lcpu = $3 }
         prev = $2; pt = $1; pcpu = $3 }
       END { if (first == "") { print "0 0"; exit } s = (last - first) / 1e9; n = lc - fc;
             printf "%.0f %.1f\n", n / s, (lcpu - fcpu) / 1000 / n }' "$samples"
}

# The ring size is the one the runner and the pom give every injector (see InjectorFleet.GATLING_JVM_FLAGS).
read -r -a extra_jvm_args <<< "$gatling_jvm_args"
gatling_cp=$(wshunt_runner_classpath) # the simulations and Gatling, as the runner starts its injectors
echo "round tool        msg/s  server-us/msg"
for round in $(seq 1 "$rounds"); do
  read -r rate cpu < <(measure env NODE_OPTIONS="--require $PWD/$out/no-telemetry.js" ARTILLERY_DISABLE_TELEMETRY=true \
    "$artillery_dir/node_modules/.bin/artillery" run --quiet "$out/artillery.yml")
  printf "%5d %-9s %8s %14s\n" "$round" artillery "$rate" "$cpu"
  read -r rate cpu < <(measure java -Xms512m -Xmx2g -XX:+UseParallelGC -Dio.netty.iouring.ringSize=16384 ${extra_jvm_args[@]+"${extra_jvm_args[@]}"} --add-opens=java.base/java.lang=ALL-UNNAMED \
    -Dtarget="ws://127.0.0.1:$port" -DstatsUrl="http://127.0.0.1:$admin/stats" -Dusers="$users" -DconnectRate=500 \
    -Dmode=fire -DmessagesPerUser="$messages" -DcountersDir="$out/gatling" \
    -cp "$gatling_cp" io.gatling.app.Gatling -s io.wshunt.simulations.MessageThroughput -rf "$out/gatling" -nr)
  printf "%5d %-9s %8s %14s\n" "$round" gatling "$rate" "$cpu"
done
