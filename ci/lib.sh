# shellcheck shell=bash
# What the wshunt scripts start with, sourced: the repository root as the working directory, the
# JVM flag macOS needs, the build (skipped with WSHUNT_SKIP_BUILD=true) and the runner's classpath.

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

# JDK 17 before 17.0.13 caps a JVM at 10,240 open files on macOS unless told otherwise.
# shellcheck disable=SC2034  # read by the scripts that source this file
wshunt_file_limit_flag=-Dwshunt.fileLimitFlag=none
if [[ $(uname) == Darwin ]]; then
  # shellcheck disable=SC2034
  wshunt_file_limit_flag=-XX:-MaxFDLimit
fi

# Runs mvn -B -q with the given arguments, unless WSHUNT_SKIP_BUILD=true says the build is done.
wshunt_build() {
  if [[ "${WSHUNT_SKIP_BUILD:-}" != "true" ]]; then
    mvn -B -q "$@"
  fi
}

# The runner's classes and their dependencies, as Maven wrote them at the build.
wshunt_runner_classpath() {
  echo "runner/target/classes:$(cat runner/target/classpath.txt)"
}

# Checks that the directory of state file $1 is ours alone (creating it 0700 if missing): not a
# link, owned by us, writable by nobody else; and that the file is no link. Says why not, to stderr.
wshunt_safe_state_dir() {
  local state=$1 dir owner mode
  dir=$(dirname "$state")
  if [[ ! -e "$dir" ]]; then
    mkdir -p "$dir" && chmod 700 "$dir" || return 1
  fi
  if [[ -L "$dir" || ! -d "$dir" ]]; then
    echo "refusing $dir for the state: not a plain directory" >&2
    return 1
  fi
  owner=$(stat -c %u "$dir" 2>/dev/null || stat -f %u "$dir")
  mode=$(stat -c %a "$dir" 2>/dev/null || stat -f %Lp "$dir")
  if [[ "$owner" != "$(id -u)" || $(( 8#$mode & 8#022 )) -ne 0 ]]; then
    echo "refusing $dir for the state: owned by uid $owner with mode $mode; it must be yours and writable by you alone" >&2
    return 1
  fi
  if [[ -L "$state" ]]; then
    echo "refusing $state: it is a link" >&2
    return 1
  fi
}

# Appends "$2=$3" to state file $1 unless $2 is recorded already: the oldest value is the machine's own.
wshunt_record_old_value() {
  if [[ ! -f "$1" ]] || ! grep -q "^$2=" "$1"; then
    echo "$2=$3" >> "$1"
  fi
}

# Prints a script's header comment (lines 2 to $2 of file $1): its usage, without a build.
wshunt_usage() {
  sed -n "2,${2}p" "$1" | sed 's/^# \{0,1\}//'
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "Usage: source ci/lib.sh from a wshunt script (ci/ab.sh, ci/probe.sh, ci/gate.sh, ci/run-suite.sh, the tuning scripts); it does nothing on its own"
fi
