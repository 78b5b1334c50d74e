#!/usr/bin/env bash
# Runs the TCK of the given backends N times in a row and stops at the first failure:
# "a flaky test is a bug in the code or the test, never noise".
#   .ci/repeat.sh 20                      every backend
#   .ci/repeat.sh 20 backend-loom         one backend
#   TCK_AREA=Sockets .ci/repeat.sh 20    one area (a tag of LoopProviderTck's nested classes) of every backend
#   TCK_AREA='StreamReader|Sockets' .ci/repeat.sh 20    several areas (a JUnit tag expression)
# Build first (.ci/test.sh or ./mvnw install -DskipTests); each round runs `mvn test`.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
n=${1:-20}; shift || true
modules=${*:-backend-executor backend-loom backend-netty}
groups=${TCK_AREA:+-Dgroups=$TCK_AREA}
for m in $modules; do
  for i in $(seq 1 "$n"); do
    start=$(date +%s)
    if ! ./mvnw -B -o test -pl "$m" -Dtest='*TckTest' $groups -Dsurefire.failIfNoSpecifiedTests=false > "/tmp/aio4j-repeat-$m.log" 2>&1; then
      echo "$m: round $i of $n FAILED (log: /tmp/aio4j-repeat-$m.log)"; grep -E 'FAIL|Tests run:.*Fail' "/tmp/aio4j-repeat-$m.log" | head -20
      exit 1
    fi
    count=$(grep -E '^\[(INFO|WARNING)\] Tests run:' "/tmp/aio4j-repeat-$m.log" | tail -1 | sed 's/^\[[A-Z]*\] //')
    echo "$m: round $i of $n passed ($count, $(( $(date +%s) - start ))s)"
  done
done
