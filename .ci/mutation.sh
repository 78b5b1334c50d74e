#!/usr/bin/env bash
# Mutation testing of the engine and the stream reader by the TCK, with PIT (module mutation/).
# Not part of .ci/run: it takes about an hour and a half on 2 cores, and wants a quiet machine.
#   .ci/mutation.sh              builds what it needs, then runs PIT
# Every run is a full run: PIT 1.30's open-source build has no incremental history (it moved to a
# commercial plugin). Narrow a rerun with -DtargetClasses=dev.aio4j.engine.TimerHeap (one class).
# The HTML report: mutation/target/pit-reports/index.html (mutations.xml and mutations.csv beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
./mvnw -B -ntp -q -Pmutation install -DskipTests -pl mutation -am
./mvnw -B -ntp -Pmutation -pl mutation test-compile org.pitest:pitest-maven:mutationCoverage "$@"
