#!/usr/bin/env bash
# Runs the TCK of the given backends N times in a row and stops at the first failure:
# "a flaky test is a bug in the code or the test, never noise".
#   .ci/repeat.sh 20                      every backend
#   .ci/repeat.sh 20 backend-loom         one backend
# Build first (.ci/test.sh or ./mvnw install -DskipTests); each round runs `mvn test`.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
n=${1:-20}; shift || true
modules=${*:-backend-executor backend-loom backend-netty}
for m in $modules; do
  for i in $(seq 1 "$n"); do
    start=$(date +%s)
    if ! ./mvnw -B -q -o test -pl "$m" -Dtest='*TckTest' -Dsurefire.failIfNoSpecifiedTests=false > "/tmp/aio4j-repeat-$m.log" 2>&1; then
      echo "$m: round $i of $n FAILED (log: /tmp/aio4j-repeat-$m.log)"; grep -E 'FAIL|Tests run:.*Fail' "/tmp/aio4j-repeat-$m.log" | head -20
      exit 1
    fi
    tests=$(grep -ho 'testcase name=' "$m"/target/surefire-reports/TEST-*.xml | wc -l)
    echo "$m: round $i of $n passed ($tests tests, $(( $(date +%s) - start ))s)"
  done
done
