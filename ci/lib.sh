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

# Prints a script's header comment (lines 2 to $2 of file $1): its usage, without a build.
wshunt_usage() {
  sed -n "2,${2}p" "$1" | sed 's/^# \{0,1\}//'
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "Usage: source ci/lib.sh from a wshunt script (ci/ab.sh, ci/probe.sh, ci/gate.sh, ci/run-suite.sh); it does nothing on its own"
fi
