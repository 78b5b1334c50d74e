#!/usr/bin/env bash
# Fails when the log of a test run (.ci/test.sh tees its output to one) holds a SEVERE line or
# a Java stack trace: a report a test provokes on purpose belongs in the test, captured and
# asserted (testkit's LogCapture), not in the CI log, so anything that is printed is news.
# Usage: .ci/quiet-log.sh LOG
set -euo pipefail
log=${1:?usage: .ci/quiet-log.sh LOG}

# What may stay: an extended regular expression per line, matched against the SEVERE line or
# against the line that opens a stack trace (the one before its first "at" frame). Keep it tiny,
# and say why each entry cannot be captured where it is provoked.
allowed=(
    # Debug mode's "Blocked" report of a unit whose stack the watchdog took just before the unit
    # returned and the test that provoked it closed its capture: the watchdog drops such a report
    # when it notices, but cannot wait for the unit (DebugMonitor.checkBlocked says why), so one can
    # rarely come late. A WARNING, never SEVERE.
    '^java[.]lang[.]Throwable: the stack of .*, which runs it$'
)

awk -v allowed="$(IFS='|'; echo "${allowed[*]}")" '
    function ok(line) { return allowed != "" && line ~ allowed }
    /^[ \t]*SEVERE:/ && !ok($0) { printf "%d: %s\n", NR, $0; n++ }
    # The first frame of a trace: "<tab>at pkg.Class.method(" after the line naming the exception
    # (not after another frame, nor after the "Caused by:" of a trace already counted).
    /^[ \t]+at [a-z][A-Za-z0-9_$]*[.]/ && prev !~ /^[ \t]+at / && prev !~ /^[ \t]*(Caused by|Suppressed):/ \
            && prev ~ /(Exception|Error|Throwable)/ && !ok(prev) {
        printf "%d: %s\n%d: %s\n", NR - 1, prev, NR, $0; n++
    }
    { prev = $0 }
    END {
        if (n > 0) {
            printf "aio4j: %d SEVERE line(s) or stack trace(s) in the output (listed above with their line number). A test that provokes a report on purpose must capture and assert it (testkit: dev.aio4j.tck.LogCapture); anything else is a real problem.\n", n
            exit 1
        }
    }
' "$log"
