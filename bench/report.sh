#!/usr/bin/env bash
# The README's main command: builds aio4j, runs the TCK on every backend, runs the
# benchmark workloads on every backend found on the class path, the JVM peers, and
# CPython asyncio/uvloop in the same sitting, then prints the tables and writes
# report/index.html (the page to choose a backend by), report/chart.png,
# report/results.json, report/report.txt and, when Chromium is installed,
# report/screenshot.png.
#
# Memory: peaks at about 3.3 GB (the measuring JVM's fixed, pre-touched 3 GB heap).
#
#   bench/report.sh            short runs (a few minutes on 2 cores)
#   bench/report.sh --full     the JMH suite with forks and iterations (much longer)
#
# Environment: PYTHON (default /usr/bin/python3, Debian's, the one that imports
# python3-uvloop), REPORT_SCALE (size factor of the short runs, default 0.5).
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh

FULL=0
for a in "$@"; do
  case "$a" in
    --full) FULL=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "report.sh: unknown argument $a (use --full or nothing)" >&2; exit 2 ;;
  esac
done
START=$(date +%s)
step() { echo "[report.sh $(( $(date +%s) - START ))s] $*" >&2; }
mkdir -p report

# JVM flags of every benchmark JVM: loom's custom scheduler (--add-opens), Netty's
# native transport (--enable-native-access), JMH's Unsafe, headless charts, and the
# JDK's internal continuations for the continuation-floor peer (--add-exports).
# A fixed, pre-touched heap: callsoon and timers keep up to a million callbacks alive at
# once, and without it their figures measure first-touch page faults and G1 pauses
# more than the loop (seen: 5 M to 70 M callsoon/s in one JVM on either backend).
JFLAGS=(--add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
        --add-exports java.base/jdk.internal.vm=ALL-UNNAMED
        --sun-misc-unsafe-memory-access=allow -Djava.awt.headless=true
        -Xms3g -Xmx3g -XX:+AlwaysPreTouch)

step "building (./mvnw -B -q -DskipTests package -pl bench -am) with $(java -version 2>&1 | head -1)"
./mvnw -B -q -DskipTests package -pl bench -am

step "running the TCK on every backend (log: report/tck.log)"
rm -rf ./*/target/aio4j-tck
if ./mvnw -B -q test -pl backend-executor,backend-loom,backend-netty -am \
     -Dtest='*TckTest' -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true \
     > report/tck.log 2>&1; then
  step "TCK done; summaries: $(ls ./*/target/aio4j-tck/*.json 2>/dev/null | tr '\n' ' ')"
else
  step "TCK build FAILED (see report/tck.log); the matrix shows what was written"
  tail -20 report/tck.log >&2
fi

# Python peers: Debian's python3 imports the apt package python3-uvloop; install it when we can.
PYTHON=${PYTHON:-/usr/bin/python3}
PYARGS=()
if [ ! -x "$PYTHON" ]; then
  PYARGS=(--python-skip "no Python at $PYTHON (install python3, or set PYTHON)")
  step "Python peers skipped: no $PYTHON"
elif ! "$PYTHON" -c 'import uvloop' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "installing python3-uvloop with apt-get (for the uvloop peer)"
    if ! apt-get install -y -q python3-uvloop >report/apt.log 2>&1; then
      apt-get update -q >>report/apt.log 2>&1 && apt-get install -y -q python3-uvloop >>report/apt.log 2>&1 \
        || step "could not install python3-uvloop (see report/apt.log): uvloop will be listed as skipped"
    fi
  else
    step "uvloop missing and not installable here (needs root and apt-get: apt-get install python3-uvloop); it will be listed as skipped"
  fi
fi

if [ "$FULL" = 1 ]; then
  step "JMH suite (forks and iterations from the annotations; results: report/jmh.json)"
  java "${JFLAGS[@]}" -jar bench/target/benchmarks.jar -rf json -rff report/jmh.json | tee report/jmh.log
  REPORT_ARGS=(--jmh report/jmh.json --python-args "--repeat 5 --warmup 1")
else
  SCALE=${REPORT_SCALE:-0.5}
  REPORT_ARGS=(--scale "$SCALE" --warmup 2 --runs 3 --python-args "--repeat 2 --warmup 0 --scale $SCALE")
fi
step "measuring (progress below)"
java "${JFLAGS[@]}" -cp bench/target/benchmarks.jar dev.aio4j.bench.Report \
  --root . --out report --python "$PYTHON" "${PYARGS[@]}" "${REPORT_ARGS[@]}"

# A picture of the page as a browser shows it (Debian's chromium; skipped when it is not installed).
# Without the background-networking flags Chromium's start-up connections fail on a closed network.
if command -v chromium >/dev/null; then
  profile=$(mktemp -d)
  if timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
       --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
       --hide-scrollbars --window-size=1500,6000 --screenshot="$PWD/report/screenshot.png" \
       "file://$PWD/report/index.html" >report/chromium.log 2>&1; then
    step "screenshot: report/screenshot.png"
  else
    step "no screenshot: chromium failed (see report/chromium.log)"
  fi
  rm -rf "$profile"
else
  step "no screenshot: chromium is not installed (apt-get install chromium)"
fi
step "done: report/index.html, report/chart.png, report/results.json, report/report.txt"
