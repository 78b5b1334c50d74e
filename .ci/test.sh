#!/usr/bin/env bash
# The README's test command: builds every module and runs every test (TCK on each backend,
# unit tests, ArchUnit rules, the TCK's self-test, the reliability suite at scale 1 (module
# reliability, run by the install below), the third-party example).
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
# The run's output goes to the console (CI reads it) and to a log that .ci/quiet-log.sh checks
# afterwards for SEVERE lines and stack traces.
log=$(mktemp "${TMPDIR:-/tmp}/aio4j-test.XXXXXX.log")
trap 'rm -f "$log"' EXIT

run() {
    echo "aio4j: testing with $(java -version 2>&1 | head -1) at $JAVA_HOME"

    # The bench's page test drives Debian's headless Chromium; installed here, before the build, so that
    # CI runs it rather than skips it (the test installs it too, but a failure here is clearer).
    if [ ! -x /usr/bin/chromedriver ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        { DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver \
            || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; }; } \
            >/tmp/aio4j-chromium-apt.log 2>&1 || true
    fi
    echo "aio4j: chromium for the report's page test: $( (/usr/bin/chromium --version || echo 'not installed: the test will skip, saying why') 2>/dev/null | head -1)"
    ./mvnw -B -ntp install "$@"

    # The third-party example: a separate Maven project that uses the freshly installed
    # aio4j-api and aio4j-testkit snapshots exactly as an outside backend would.
    (cd testkit/example && ../../mvnw -B -ntp verify "$@")

    # It must run as many required_ rules as our own backends do (issue 6).
    ours=backend-executor/target/aio4j-tck/executor.json
    theirs=testkit/example/target/aio4j-tck/toy.json
    if [ -f "$ours" ] && [ -f "$theirs" ]; then # absent when tests were skipped
        n_ours=$(grep -c '"level": "required"' "$ours")
        n_theirs=$(grep -c '"level": "required"' "$theirs")
        echo "aio4j: required TCK rules run: executor backend $n_ours, third-party example $n_theirs"
        if [ "$n_ours" != "$n_theirs" ]; then
            echo "aio4j: the example ran $n_theirs required_ tests, the executor backend $n_ours: they must match" >&2
            exit 1
        fi
    fi
}

run "$@" 2>&1 | tee "$log"
.ci/quiet-log.sh "$log"
