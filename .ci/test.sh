#!/usr/bin/env bash
# The README's test command: builds every module and runs every test (TCK on each backend,
# unit tests, ArchUnit rules, the TCK's self-test, the third-party example).
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
echo "aio4j: testing with $(java -version 2>&1 | head -1) at $JAVA_HOME"
./mvnw -B -ntp install "$@"
