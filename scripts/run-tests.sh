#!/usr/bin/env bash
# run-tests.sh - what `./headroom test` runs: build and test every module.
#
#   ./headroom test [MAVEN ARGS...]     e.g. ./headroom test -pl headroom-cache -am
#
# Picks a JDK 25+ exactly as ./headroom does (scripts/find-jdk.sh: JAVA_HOME,
# then java on PATH, then the usual install folders; older ones are skipped),
# runs `./mvnw -B -ntp verify -Dheadroom.shade.skip=true [MAVEN ARGS...]` from
# the repository root (the wrapper fetches Maven itself, so a clean clone with
# an empty ~/.m2 works; the shaded CLI jar, which no test runs, is left out:
# ./headroom builds it when it runs),
# then prints "N passed, N failed[, N skipped]" from this run's surefire
# reports, even when Maven failed. Exits with Maven's exit code.
set -euo pipefail

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$root"

# Exports JAVA_HOME, or prints one line and fails (ending this script).
# shellcheck source=scripts/find-jdk.sh
HEADROOM_JDK_NEED=build . scripts/find-jdk.sh

echo "test: JAVA_HOME=$JAVA_HOME"
"$JAVA_HOME/bin/java" -version 2>&1 | sed 's/^/test: /'

# Only reports written by this run are counted, so leftovers from an earlier
# local run (or a module Maven never reached) can't skew the summary.
stamp=$(mktemp "${TMPDIR:-/tmp}/headroom-test.XXXXXX")
trap 'rm -f "$stamp"' EXIT

rc=0
./mvnw -B -ntp verify -Dheadroom.shade.skip=true "$@" || rc=$?

# Sum tests/failures/errors/skipped over the <testsuite> element of each report.
summary=$(
    find . -path '*/target/surefire-reports/TEST-*.xml' -type f -newer "$stamp" -print 2>/dev/null |
        while IFS= read -r f; do cat "$f"; printf '\n<!-- headroom-test-eof -->\n'; done |
        awk '
            function attr(tag, name,    m) {
                if (match(tag, "[ \t\r\n]" name "=\"[0-9]+\"")) {
                    m = substr(tag, RSTART, RLENGTH)
                    sub(/^[^"]*"/, "", m); sub(/"$/, "", m)
                    return m + 0
                }
                return 0
            }
            /<!-- headroom-test-eof -->/ { intag = 0; done = 0; tag = ""; next }
            done { next }
            !intag && /<testsuite([ \t>]|$)/ { intag = 1; $0 = substr($0, index($0, "<testsuite")) }
            intag {
                tag = tag " " $0
                if (index($0, ">")) {
                    tag = substr(tag, 1, index(tag, ">"))
                    files++
                    tests += attr(tag, "tests"); failures += attr(tag, "failures")
                    errors += attr(tag, "errors"); skipped += attr(tag, "skipped")
                    intag = 0; done = 1; tag = ""
                }
            }
            END {
                if (!files) { print "none"; exit }
                out = (tests - failures - errors - skipped) " passed, " (failures + errors) " failed"
                if (skipped) out = out ", " skipped " skipped"
                print out
            }'
)

if [ "$summary" = none ] || [ -z "$summary" ]; then
    echo "test: no test reports found (Maven exit code $rc)"
else
    echo "$summary"
fi
exit "$rc"
