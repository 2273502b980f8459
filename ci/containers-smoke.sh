#!/usr/bin/env bash
# The suite as containers on one host, with podman: builds the wshunt-server and wshunt-injector
# images with Jib (no Docker daemon), starts one server and two injectors told their part of the
# run by their environment alone (as pods of an Indexed Job would be), and merges the injectors'
# folders into one verdict (ci/run-suite.sh merge): every message end to end, sent by the injectors
# = counted by the server = acks received. Ends with the verdict line and the path of summary.json.
# --compose: deploy/compose.yaml instead (podman-compose, or Docker Compose where it exists): Redis,
# two servers sharing chat through it, two injector replicas that find both servers by the service's
# name; ChatBroadcast by default there, so that every delivery crosses Redis to the other server.
# Installs podman where apt-get can; where no registry is reachable (WSHUNT_BASE_IMAGE unset and
# none pulled), builds a Debian base with mmdebstrap. Stops every container it starts.
#   ci/containers-smoke.sh [--compose] [--simulation NAME] [--users 40] [--messages 5] [--out runs/containers]
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

users=40
messages=5
out=runs/containers
compose=false
simulation=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --compose) compose=true; shift ;;
    --simulation) simulation="$2"; shift 2 ;;
    --users) users="$2"; shift 2 ;;
    --messages) messages="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) wshunt_usage "$0" 12; exit 0 ;;
    *) echo "containers-smoke: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
if [[ $(uname) != Linux ]]; then
  echo "containers-smoke: runs on Linux (podman with runc)" >&2
  exit 2
fi

started=$(date +%s)
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo -n"
mkdir -p "$out"
out=$(cd "$out" && pwd)
if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1; then
  echo "== installing podman and runc"
  $sudo apt-get install -y -q podman runc mmdebstrap uidmap slirp4netns >/dev/null
fi
if $compose; then
  simulation=${simulation:-ChatBroadcast}
  if docker compose version >/dev/null 2>&1; then
    compose_command=(docker compose)
  else
    command -v podman-compose >/dev/null 2>&1 || $sudo apt-get install -y -q podman-compose >/dev/null
    compose_command=(podman-compose)
  fi
fi
simulation=${simulation:-MessageThroughput}

# Two limits of small VMs: no CAP_SYS_RESOURCE to raise a container's open files over the hard
# limit, and cgroups v1 and v2 mixed, which crun refuses. runc on cgroupfs with a capped limit runs.
export CONTAINERS_CONF="$out/containers.conf"
cat > "$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF

# The base image: WSHUNT_BASE_IMAGE when given (a registry's, or tar:///path of a saved one),
# else a Debian with Java 17 made here, for a host that reaches a Debian mirror and no registry; it
# holds redis-server too, so that it is also the compose run's Redis image.
base=${WSHUNT_BASE_IMAGE:-}
if [[ -z "$base" ]]; then
  base_tar="$out/base-jre17-redis.tar"
  if [[ ! -f "$base_tar" ]]; then
    echo "== building a Debian base with Java 17 (mmdebstrap, a few minutes)"
    command -v mmdebstrap >/dev/null 2>&1 || $sudo apt-get install -y -q mmdebstrap >/dev/null
    mirror=$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
    # shellcheck disable=SC2016  # mmdebstrap expands $1 (the new root) itself
    mmdebstrap --quiet --mode=root --variant=minbase --include=openjdk-17-jre-headless,redis-server,ca-certificates \
      --setup-hook='mkdir -p "$1"/usr/share/man/man1' bookworm "$out/rootfs.tar" "${mirror:-http://deb.debian.org/debian}"
    podman import --quiet --change 'ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$out/rootfs.tar" localhost/wshunt-base:17 >/dev/null
    podman save --quiet --format docker-archive -o "$base_tar" localhost/wshunt-base:17
    rm -f "$out/rootfs.tar"
  fi
  base="tar://$base_tar"
fi

echo "== building the images with Jib (base $base)"
wshunt_build package jib:buildTar -pl server,runner -am -DskipTests -Dgatling.skip=true -Dwshunt.baseImage="$base"
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
podman load --quiet -i server/target/jib-image.tar >/dev/null
podman load --quiet -i runner/target/jib-image.tar >/dev/null

port=$(( 20000 + RANDOM % 20000 ))
admin=$(( port + 1 ))
results="$out/results"
rm -rf "$results" "$out/merged"
mkdir -p "$results"
settings="messagesPerUser=$messages connectRate=$users"

if $compose; then
  # shellcheck disable=SC2317  # run by the EXIT trap
  cleanup() {
    "${compose_command[@]}" -f deploy/compose.yaml down >/dev/null 2>&1 || true
    # podman-compose 1.0 leaves the project's network behind (it names the project after the folder).
    podman network ls -q --filter label=io.podman.compose.project=deploy 2>/dev/null | xargs -r podman network rm >/dev/null 2>&1 || true
  }
  trap cleanup EXIT
  export WSHUNT_RUN="$results" WSHUNT_SIMULATION="$simulation" WSHUNT_USERS="$users" WSHUNT_SETTINGS="$settings"
  export WSHUNT_SERVER_IMAGE="localhost/wshunt-server:$version" WSHUNT_INJECTOR_IMAGE="localhost/wshunt-injector:$version"
  export WSHUNT_REDIS_IMAGE=${WSHUNT_REDIS_IMAGE:-localhost/wshunt-base:17}
  echo "== compose: Redis, 2 servers, 2 injectors, $simulation, $users users (${compose_command[*]})"
  "${compose_command[@]}" -f deploy/compose.yaml up -d > "$out/compose-up.log" 2>&1 || { cat "$out/compose-up.log" >&2; exit 1; }
  injectors=()
  servers=()
  while IFS= read -r name; do injectors+=("$name"); done < <(podman ps -a --filter label=com.docker.compose.service=injector --format '{{.Names}}')
  while IFS= read -r name; do servers+=("$name"); done < <(podman ps -a --filter label=com.docker.compose.service=server --format '{{.Names}}')
  [[ ${#injectors[@]} -eq 2 ]] || { echo "containers-smoke: compose started ${#injectors[@]} injectors, not 2" >&2; exit 1; }
else
  injectors=(wshunt-smoke-injector-0 wshunt-smoke-injector-1)
  servers=(wshunt-smoke-server)
  # shellcheck disable=SC2317  # run by the EXIT trap
  cleanup() { podman rm -f "${servers[@]}" "${injectors[@]}" >/dev/null 2>&1 || true; }
  trap cleanup EXIT
  podman run -d --network host --name wshunt-smoke-server "wshunt-server:$version" --port "$port" --admin-port "$admin" >/dev/null
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$admin/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -sf "http://127.0.0.1:$admin/health" >/dev/null || { echo "containers-smoke: the server container did not answer /health within 30 s" >&2; exit 1; }
  echo "== 2 injectors, $simulation, $users users, $messages acked messages each"
  for index in 0 1; do
    podman run -d --network host --name "${injectors[$index]}" -v "$results:/results" \
      -e WSHUNT_SIMULATION="$simulation" -e WSHUNT_INJECTOR="$index" -e WSHUNT_INJECTORS=2 -e WSHUNT_USERS="$users" \
      -e WSHUNT_TARGETS="ws://127.0.0.1:$port" -e WSHUNT_STATS_URLS="http://127.0.0.1:$admin/stats" -e WSHUNT_RESULTS=/results -e WSHUNT_START_LINE=/results/start-line \
      -e "WSHUNT_SETTINGS=$settings" "wshunt-injector:$version" >/dev/null
  done
fi
for index in 0 1; do
  timeout 300 podman wait "${injectors[$index]}" >/dev/null || { echo "containers-smoke: injector $index did not end within 5 min" >&2; exit 1; }
  podman logs "${injectors[$index]}" > "$out/injector-$index.log" 2>&1
done
for server in "${servers[@]}"; do
  podman logs "$server" > "$out/$server.log" 2>&1 || true
done
# One verdict from the two injectors' folders, as from pods or other hosts: the merge sums their
# accounting, counts at the server from their readings of it, draws the report and the run page.
status=0
WSHUNT_SKIP_BUILD=true ci/run-suite.sh merge --injectors 2 --out "$out" "$results" > "$out/merge.log" 2>&1 || status=$?
HOW=$($compose && echo "compose, $simulation" || echo "podman run, $simulation") SUMMARY="$out/summary.json" SECONDS_TAKEN=$(( $(date +%s) - started )) python3 - <<'EOF'
import json, os
run = json.load(open(os.environ["SUMMARY"]))["simulations"][0]
b, c = run["benchmark"], run["chat"]
flow = (f"{c['sent']:,} chats sent, {c['counted_by_servers']:,} counted by the servers, {c['deliveries_received']:,} of "
        f"{c['deliveries_expected']:,} deliveries received, {c['deliveries_lost']} lost" if c["sent"] else
        f"{b['sent']:,} sent, {b['counted_by_servers']} counted by the servers, {b['acks_received']:,} acks received, {b['lost']} lost")
print(f"containers smoke ({os.environ['HOW']}): {'passed' if run['passed'] else 'FAILED ' + '; '.join(run['reasons'] + run['problems'])}: "
      f"{run['users_connected']:,} users, {flow}, 2 injector containers, {os.environ['SECONDS_TAKEN']} s")
EOF
echo "Summary: $out/summary.json (merge: $out/merge.log)"
exit "$status"
