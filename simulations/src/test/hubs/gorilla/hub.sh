#!/usr/bin/env bash
# Builds the Go hub (once, into DIR) from Debian's golang-go and golang-github-gorilla-websocket-dev,
# then runs it in this process on 127.0.0.1:PORT: the tests start it, and stopping it stops the hub.
# SOURCE: another version of main.go to build instead (a change to judge with the gate), in its own DIR.
#   simulations/src/test/hubs/gorilla/hub.sh DIR PORT [SOURCE]
set -euo pipefail
if [[ $# -lt 2 || $# -gt 3 ]]; then
  sed -n '2,5p' "$0"
  exit 2
fi
dir=$1
port=$2
source_file=${3:-$(dirname "$0")/main.go}
if ! command -v go >/dev/null 2>&1 || [[ ! -d /usr/share/gocode/src/github.com/gorilla/websocket ]]; then
  echo "hub.sh: needs go and Debian's gorilla/websocket: apt-get install golang-go golang-github-gorilla-websocket-dev (ci/test.sh does)" >&2
  exit 3
fi
mkdir -p "$dir"
if [[ ! -x "$dir/hub" ]]; then
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$dir/cache" go build -o "$dir/hub" "$source_file"
fi
exec "$dir/hub" -addr "127.0.0.1:$port"
