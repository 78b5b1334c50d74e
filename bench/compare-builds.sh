#!/usr/bin/env bash
# Compares two builds of aio4j under JMH, in one sitting: builds bench/target/benchmarks.jar
# for each git revision in a temporary worktree, then runs BackendBench's workloads on each
# backend, alternating the builds round by round (old, new, new, old, ...), so that drift of
# the machine during the run falls on both alike. Prints each workload's score per build
# (mean of the rounds, in ops/s), the ratio new/old of the means and of the medians. For engine changes: "no workload
# more than 10% slower" is read off this table.
#
#   bench/compare-builds.sh OLD_REV NEW_REV [ROUNDS] [BENCH_REGEX] [BACKENDS]
#
# OLD_REV and NEW_REV are git revisions, or paths of benchmarks.jar files built already.
# Defaults: 2 rounds of one fork each per build, every BackendBench workload,
# backends executor,loom,netty. Each round runs JMH with -f 1 -wi 3 -w 1 -i 3 -r 1.
# Writes the raw JMH JSON to compare/ (ignored by git). Quiet machine required.
# JMH_ARGS (environment) adds JMH options to every run, e.g. JMH_ARGS='-gc true' to collect garbage
# before each iteration, so that both builds measure with their long-lived objects (the loop and its
# queues) in the old generation, as in a program that has run for a while. Without it, a build's
# sleep0 can be bimodal: the engine before the reshaping measured 2x faster in some forks than in
# others, of the same jar; with it, every fork measured alike.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/env.sh
[ $# -ge 2 ] || { sed -n '2,19p' "$0"; exit 2; }
OLD=$1 NEW=$2 ROUNDS=${3:-2} REGEX=${4:-'BackendBench\.'} BACKENDS=${5:-executor,loom,netty}
OUT=compare; mkdir -p "$OUT"
JFLAGS=(--add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
        --sun-misc-unsafe-memory-access=allow -Xms3g -Xmx3g -XX:+AlwaysPreTouch)
build() { # rev (or a benchmarks.jar built already) -> path of its benchmarks.jar
  case "$1" in *.jar) echo "$1"; return ;; esac
  local rev=$1 dir; dir=$(mktemp -d /tmp/aio4j-compare-XXXX)
  git worktree add -q --detach "$dir" "$rev"
  (cd "$dir" && ./mvnw -B -ntp -q -DskipTests package -pl bench -am >&2)
  cp "$dir/bench/target/benchmarks.jar" "$OUT/benchmarks-$rev.jar"
  git worktree remove --force "$dir"
  echo "$OUT/benchmarks-$rev.jar"
}
echo "compare-builds: building $OLD and $NEW" >&2
JAR_OLD=$(build "$OLD") || { echo "compare-builds: $OLD does not build" >&2; exit 1; }
JAR_NEW=$(build "$NEW") || { echo "compare-builds: $NEW does not build" >&2; exit 1; }
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
  for which in $order; do
    jar=$JAR_OLD; [ "$which" = new ] && jar=$JAR_NEW
    echo "compare-builds: round $r, $which ($jar)" >&2
    java "${JFLAGS[@]}" -jar "$jar" "$REGEX" -p backend="$BACKENDS" -f 1 -wi 3 -w 1 -i 3 -r 1 \
      ${JMH_ARGS:-} -rf json -rff "$OUT/$which-$r.json" > "$OUT/$which-$r.log" 2>&1
  done
done
python3 - "$OUT" "$ROUNDS" <<'PY'
import json, sys, statistics
out, rounds = sys.argv[1], int(sys.argv[2])
scores = {}
for which in ("old", "new"):
    for r in range(1, rounds + 1):
        for b in json.load(open(f"{out}/{which}-{r}.json")):
            key = (b["benchmark"].rsplit(".", 1)[1], b["params"]["backend"])
            scores.setdefault(key, {}).setdefault(which, []).append(b["primaryMetric"]["score"])
print(f"{'workload':<12} {'backend':<9} {'old ops/s':>14} {'new ops/s':>14} {'new/old':>8} {'median':>7}  rounds (old | new)")
for (w, be), s in sorted(scores.items()):
    if "old" not in s or "new" not in s:
        print(f"{w:<12} {be:<9} (in one build only: {' '.join(s)})")
        continue
    o, n = statistics.mean(s["old"]), statistics.mean(s["new"])
    m = statistics.median(s["new"]) / statistics.median(s["old"])
    fmt = lambda xs: " ".join(f"{x:.3g}" for x in xs)
    print(f"{w:<12} {be:<9} {o:>14.4g} {n:>14.4g} {n / o:>8.2f} {m:>7.2f}  {fmt(s['old'])} | {fmt(s['new'])}")
PY
