#!/usr/bin/env bash
# The suite on Kubernetes, through kubectl and the manifests of deploy/k8s: Redis, S servers, M
# injectors (an Indexed Job) and a collector. Waits for the injectors, copies their results from the
# collector, and judges them with `ci/run-suite.sh merge`: one summary.json, report and run page.
# Deletes the namespace it created, also on failure or Ctrl-C.
# Usage: ci/run-suite.sh --on-kubernetes (or ci/kubernetes.sh) --users N --servers S --injectors M
#       [--simulation MessageThroughput] [--settings "messagesPerUser=10 connectRate=500"]
#       [--out runs/kubernetes] [--timeout-minutes 30] [--keep]
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"

users=2000
servers=2
injectors=2
simulation=MessageThroughput
settings="messagesPerUser=10 connectRate=500"
out=runs/kubernetes
timeout_minutes=30
keep=false
namespace=wshunt
while [[ $# -gt 0 ]]; do
  case "$1" in
    --on-kubernetes) shift ;;
    --users) users="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    --injectors) injectors="$2"; shift 2 ;;
    --simulation) simulation="$2"; shift 2 ;;
    --settings) settings="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --timeout-minutes) timeout_minutes="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) wshunt_usage "$0" 8; exit 0 ;;
    *) echo "kubernetes: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for number in "$users" "$servers" "$injectors" "$timeout_minutes"; do
  [[ "$number" =~ ^[1-9][0-9]*$ ]] || { echo "kubernetes: $number is not a whole number above 0" >&2; exit 2; }
done
command -v kubectl >/dev/null || { echo "kubernetes: kubectl is needed (and a cluster it reaches)" >&2; exit 2; }

# Every server by its stable name behind the headless Service: injector i drives server (i mod S).
targets="" stats=""
for ((i = 0; i < servers; i++)); do
  targets+="${targets:+,}ws://wshunt-server-$i.wshunt-server-pods:8080"
  stats+="${stats:+,}http://wshunt-server-$i.wshunt-server-pods:8081/stats"
done

overlay=$(mktemp -d)
cleanup() {
  rm -rf "$overlay"
  if [[ "$keep" != true ]]; then
    kubectl delete namespace "$namespace" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp -R deploy/k8s "$overlay/base"
cat > "$overlay/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - base
replicas:
  - name: wshunt-server
    count: $servers
patches:
  - target: {kind: Job, name: wshunt-injectors}
    patch: |-
      - {op: replace, path: /spec/completions, value: $injectors}
      - {op: replace, path: /spec/parallelism, value: $injectors}
      - {op: replace, path: /spec/activeDeadlineSeconds, value: $((timeout_minutes * 60))}
configMapGenerator:
  - name: wshunt-run
    behavior: merge
    literals:
      - WSHUNT_SIMULATION=$simulation
      - WSHUNT_INJECTORS=$injectors
      - WSHUNT_USERS=$users
      - WSHUNT_TARGETS=$targets
      - WSHUNT_STATS_URLS=$stats
      - WSHUNT_SETTINGS=$settings
YAML

echo "== $users users, $servers server(s), $injectors injector(s), $simulation, on $(kubectl config current-context)"
kubectl apply -k "$overlay"
kubectl -n "$namespace" rollout status deployment/wshunt-redis --timeout=300s
kubectl -n "$namespace" rollout status statefulset/wshunt-server --timeout=300s
kubectl -n "$namespace" wait --for=condition=Ready pod/wshunt-collector --timeout=300s
kubectl -n "$namespace" patch job wshunt-injectors --type merge -p '{"spec":{"suspend":false}}'

echo "== waiting for the injectors (at most $timeout_minutes min)"
deadline=$(( $(date +%s) + timeout_minutes * 60 + 60 ))
state=""
while [[ $(date +%s) -lt $deadline ]]; do
  state=$(kubectl -n "$namespace" get job wshunt-injectors -o jsonpath='{.status.conditions[?(@.status=="True")].type}')
  [[ "$state" == *Complete* || "$state" == *Failed* ]] && break
  sleep 5
done
echo "injectors: ${state:-still running at the deadline}"

mkdir -p "$out"
kubectl -n "$namespace" logs --prefix --tail=-1 -l app.kubernetes.io/name=wshunt-injector > "$out/injectors.log" 2>&1 || true
kubectl -n "$namespace" logs --prefix --tail=-1 -l app.kubernetes.io/name=wshunt-server > "$out/servers.log" 2>&1 || true
rm -rf "$out/injectors"
kubectl -n "$namespace" cp "wshunt-collector:/results" "$out/injectors"
# The merge names every injector whose results are missing, and a partial merge fails.
ci/run-suite.sh merge --injectors "$injectors" --out "$out" "$out/injectors"
