#!/usr/bin/env bash
# Tests for scripts/find-jdk.sh, ./headroom and .ci/run.
#
#   scripts/test/test-scripts.sh
#
# Everything runs in a throw-away sandbox (a copy of the three scripts next to
# a fake ./mvnw and fake JDKs), so the real checkout, its target/ folders and
# ~/.m2 are never touched and no real Maven build happens. Needs one real Java
# 25+ on the machine (found by find-jdk.sh) to compile a tiny stand-in jar.
set -euo pipefail

here=$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
src_root=$(cd "$here/../.." && pwd -P)

T=$(mktemp -d "${TMPDIR:-/tmp}/headroom-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

pass=0
fail=0
ok() { pass=$((pass + 1)); printf 'ok    %s\n' "$1"; }
bad() { fail=$((fail + 1)); printf 'FAIL  %s\n' "$1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/      /'; }
check() { # check NAME ACTUAL EXPECTED
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "expected: $3"$'\n'"actual:   $2"; fi
}
contains() { # contains NAME HAYSTACK NEEDLE
    case $2 in *"$3"*) ok "$1" ;; *) bad "$1" "expected to contain: $3"$'\n'"actual: $2" ;; esac
}
lacks() { # lacks NAME HAYSTACK NEEDLE
    case $2 in *"$3"*) bad "$1" "expected NOT to contain: $3"$'\n'"actual: $2" ;; *) ok "$1" ;; esac
}

# A real Java 25+ for compiling the stand-in app.
REAL_JDK=$(env -u HEADROOM_JDK_SEARCH_DIRS "$src_root/scripts/find-jdk.sh" --build)

# PATH without any java: a folder with just the tools the scripts use.
NOJAVA=$T/nojava-bin
mkdir -p "$NOJAVA"
for tool in bash sh env dirname readlink mktemp find touch rm cat awk sed cp mkdir chmod sleep grep ls head; do
    p=$(command -v "$tool") && ln -s "$p" "$NOJAVA/$tool"
done

# ---------------------------------------------------------------- fake JDKs
# fake_home DIR VERSION-OR-EMPTY(release file) JAVAC(yes/no) [VERSION-FOR-java -version]
fake_home() {
    mkdir -p "$1/bin"
    if [ -n "$2" ]; then printf 'IMPLEMENTOR="Fake"\nJAVA_VERSION="%s"\n' "$2" >"$1/release"; fi
    printf '#!/bin/sh\necho "openjdk version \\"%s\\" 2024-01-16" >&2\necho "OpenJDK Runtime Environment" >&2\n' "${4:-$2}" >"$1/bin/java"
    chmod +x "$1/bin/java"
    if [ "$3" = yes ]; then cp "$1/bin/java" "$1/bin/javac"; fi
}
J=$T/jvm
fake_home "$J/jdk8" 1.8.0_452 yes
fake_home "$J/jdk17" 17.0.15 yes
fake_home "$J/jdk25-norelease" "" yes 25.0.2
fake_home "$J/jdk26" 26.0.1 yes
fake_home "$J/jdk26b" 26.0.10 yes
fake_home "$J/jre27" 27 no
mkdir -p "$J/not-a-jdk"
mkdir -p "$T/java8bin" && ln -s "$J/jdk8/bin/java" "$T/java8bin/java"
mkdir -p "$T/java25bin" && ln -s "$J/jdk25-norelease/bin/java" "$T/java25bin/java"

FJ=$src_root/scripts/find-jdk.sh
fj() { env -u JAVA_HOME HOME="$T/home" PATH="$NOJAVA" "$@"; }

echo "== find-jdk.sh"
out=$(env -u JAVA_HOME "$FJ" 2>&1) || true
check "JAVA_HOME unset, real machine: picks a JDK 25+ (not the PATH java 17)" \
    "$(bash -c ". '$FJ' >/dev/null && headroom_java_major \"\$JAVA_HOME\"" 2>/dev/null | awk '$1>=25{print "ok"}')" ok
if [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && [ "$(readlink -f "$(command -v java)")" = /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]; then
    check "this machine, JAVA_HOME unset, PATH java 17 -> Temurin 25" "$out" /usr/lib/jvm/temurin-25-jdk-amd64
    out=$(JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 "$FJ" 2>&1) || true
    check "this machine, JAVA_HOME=java 17 -> skipped, Temurin 25" "$out" /usr/lib/jvm/temurin-25-jdk-amd64
    out=$(JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64/ "$FJ" 2>&1) || true
    check "this machine, JAVA_HOME=Temurin 25/ (trailing slash) -> used" "$out" /usr/lib/jvm/temurin-25-jdk-amd64
fi

rc=0; out=$(fj HEADROOM_JDK_SEARCH_DIRS="$T/none/*:$T/nothing*" bash "$FJ" 2>&1) || rc=$?
check "no JDK anywhere: exit 1" "$rc" 1
check "no JDK anywhere: exactly one line" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1
contains "no JDK anywhere: the message" "$out" "headroom: no JDK 25 or newer found (checked JAVA_HOME, PATH, $T/none, $T/nothing*); install one (e.g. Temurin 25+) or set JAVA_HOME"

rc=0; out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/jdk8:$J/jdk17" JAVA_HOME="$J/jdk17" PATH="$T/java8bin:$NOJAVA" bash "$FJ" 2>&1) || rc=$?
check "only old JDKs (8 via PATH, 17 via JAVA_HOME): exit 1" "$rc" 1
contains "only old JDKs: the message" "$out" "no JDK 25 or newer found"

rc=0; out=$(fj bash -c "set -euo pipefail; HEADROOM_JDK_SEARCH_DIRS='$T/none/*' . '$FJ'; echo NOT-REACHED" 2>&1) || rc=$?
check "sourced under set -e, no JDK: caller stops with 1" "$rc" 1
lacks "sourced under set -e, no JDK: nothing after the source runs" "$out" NOT-REACHED

out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*" bash "$FJ")
check "folders: highest version with javac wins (26.0.10 > 26.0.1 > 25; jre27 lacks javac)" "$out" "$J/jdk26b"
out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*" bash "$FJ" --run)
check "folders, --run: a JRE 27 is enough and highest" "$out" "$J/jre27"
out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*" JAVA_HOME="$J/jdk25-norelease" bash "$FJ")
check "JAVA_HOME 25 (no release file, parsed from java -version) beats a higher folder JDK" "$out" "$J/jdk25-norelease"
out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*" JAVA_HOME="$J/jdk17" bash "$FJ")
check "JAVA_HOME 17 skipped, not fatal" "$out" "$J/jdk26b"
out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*" JAVA_HOME="$J/jre27" bash "$FJ")
check "JAVA_HOME pointing at a JRE: skipped for building" "$out" "$J/jdk26b"
out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*" JAVA_HOME="$J/jre27" bash "$FJ" --run)
check "JAVA_HOME pointing at a JRE: used for running" "$out" "$J/jre27"
out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*" PATH="$T/java25bin:$NOJAVA" bash "$FJ")
check "PATH java (symlink resolved to its home) beats a higher folder JDK" "$out" "$J/jdk25-norelease"
out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*" PATH="$T/java8bin:$NOJAVA" bash "$FJ")
check "PATH java 8 skipped" "$out" "$J/jdk26b"
mkdir -p "$T/sp ace/jdk 28/bin" && fake_home "$T/sp ace/jdk 28" 28.0.1 yes
out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*:$T/sp ace/*" bash "$FJ")
check "paths with spaces in the search folders" "$out" "$T/sp ace/jdk 28"

out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*" HEADROOM_DEBUG=1 bash "$FJ" 2>&1 >/dev/null)
contains "HEADROOM_DEBUG=1: reports skipped 1.8" "$out" "skip folder $J/jdk8: Java 1.8.0_452 is older than 25"
contains "HEADROOM_DEBUG=1: reports a JRE" "$out" "skip folder $J/jre27: no bin/javac"
contains "HEADROOM_DEBUG=1: reports the choice" "$out" "chose $J/jdk26b (Java 26)"
out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*" bash "$FJ" 2>&1 >/dev/null)
check "no debug output without HEADROOM_DEBUG" "$out" ""

out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*" bash -c "set -euf -o pipefail; shopt -s failglob nullglob; . '$FJ'; echo \"\$JAVA_HOME\"")
check "sourced with set -euf, failglob, nullglob in the caller" "$out" "$J/jdk26b"
out=$(fj HEADROOM_JDK_SEARCH_DIRS="$J/*" bash -c "set -- --run junk; HEADROOM_JDK_NEED=run . '$FJ'; echo \"\$JAVA_HOME\"")
check "sourced with HEADROOM_JDK_NEED=run (caller's \$@ ignored)" "$out" "$J/jre27"
out=$(bash -c ". '$FJ' >/dev/null 2>&1; for v in 1.8.0_452 25.0.3 21-ea 21 17.0.15+6 11.0.2-internal 22.0.10; do _headroom_version_key \"\$v\"; done" | tr '\n' '|')
check "version keys" "$out" "8 0 452|25 0 3|21 0 0|21 0 0|17 0 15|11 0 2|22 0 10|"

# ---------------------------------------------------------------- sandbox repo
R=$T/repo
mkdir -p "$R/scripts" "$R/.ci" "$R/.mvn/wrapper" "$R/headroom-cli/src/main/java" "$R/headroom-infra/src/test/java"
cp "$src_root/headroom" "$R/headroom"
cp "$src_root/scripts/find-jdk.sh" "$R/scripts/find-jdk.sh"
cp "$src_root/.ci/run" "$R/.ci/run"
cp "$src_root/scripts/run-tests.sh" "$R/scripts/run-tests.sh"
echo '<project/>' >"$R/pom.xml"
echo '<project/>' >"$R/headroom-cli/pom.xml"
echo '<project/>' >"$R/headroom-infra/pom.xml"
echo 'distributionType=only-script' >"$R/.mvn/wrapper/maven-wrapper.properties"
echo 'class A {}' >"$R/headroom-cli/src/main/java/A.java"
echo 'class ATest {}' >"$R/headroom-infra/src/test/java/ATest.java"

# The stand-in app: prints its working directory, JVM options, arguments, pid.
mkdir -p "$T/app/src" "$T/app/classes"
cat >"$T/app/src/Main.java" <<'JAVA'
public class Main {
    public static void main(String[] args) throws Exception {
        System.out.println("cwd=" + System.getProperty("user.dir"));
        System.out.println("opts=" + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("args=" + java.util.Arrays.toString(args));
        System.out.println("java.home=" + System.getProperty("java.home"));
        if (args.length > 0 && args[0].equals("sleep")) {
            System.out.println("pid=" + ProcessHandle.current().pid());
            System.out.flush();
            Thread.sleep(60_000);
        }
        if (args.length > 0 && args[0].equals("exit")) System.exit(Integer.parseInt(args[1]));
    }
}
JAVA
"$REAL_JDK/bin/javac" -d "$T/app/classes" "$T/app/src/Main.java"
"$REAL_JDK/bin/jar" --create --file "$T/app.jar" --main-class Main -C "$T/app/classes" .

# Fake Maven Wrapper: logs its arguments, then acts out "package" or "verify".
cat >"$R/mvnw" <<'MVNW'
#!/usr/bin/env bash
printf '%s|JAVA_HOME=%s|pwd=%s\n' "$*" "$JAVA_HOME" "$PWD" >>"$FAKE_LOG"
echo "fake maven output"
if [ -n "${FAKE_TOUCH_DURING_BUILD:-}" ]; then sleep 0.05; touch "$FAKE_TOUCH_DURING_BUILD"; sleep 0.05; fi
if [ "${FAKE_MVN_RC:-0}" != 0 ]; then echo "[ERROR] fake failure" >&2; exit "$FAKE_MVN_RC"; fi
case " $* " in
    *" package "*)
        mkdir -p headroom-cli/target
        [ -n "${FAKE_NO_JAR:-}" ] || cp "$FAKE_APP_JAR" headroom-cli/target/headroom.jar ;;
esac
case " $* " in
    *" verify "*)
        if [ -n "${FAKE_REPORTS:-}" ]; then
            mkdir -p headroom-infra/target/surefire-reports headroom-shop/target/surefire-reports
            cp "$FAKE_REPORTS"/infra-*.xml headroom-infra/target/surefire-reports/ 2>/dev/null
            cp "$FAKE_REPORTS"/shop-*.xml headroom-shop/target/surefire-reports/ 2>/dev/null
            for f in headroom-*/target/surefire-reports/infra-* headroom-*/target/surefire-reports/shop-*; do
                [ -e "$f" ] || continue
                b=${f##*/}; mv "$f" "${f%/*}/TEST-${b#*-}"
            done
        fi
        exit "${FAKE_VERIFY_RC:-0}" ;;
esac
MVNW
chmod +x "$R/mvnw"
export FAKE_LOG=$T/mvn.log FAKE_APP_JAR=$T/app.jar
: >"$FAKE_LOG"
JAR=$R/headroom-cli/target/headroom.jar
mvn_calls() { wc -l <"$FAKE_LOG" | tr -d ' '; }
# Sources and jar must differ in mtime; step past the current second.
tick() { sleep 1.05; }
W="$T/work dir"
mkdir -p "$W"

echo "== ./headroom"
rc=0; out=$(cd "$W" && env -u JAVA_HOME -u HEADROOM_JAVA_OPTS "$R/headroom" hello "two words" 2>"$T/err") || rc=$?
err=$(cat "$T/err")
check "first run: exit 0" "$rc" 0
check "first run: one 'building' line on stderr (Maven output also on stderr)" "$(head -1 "$T/err")" "headroom: building (first run or sources changed)…"
contains "first run: Maven output went to stderr" "$err" "fake maven output"
lacks "first run: stdout has only the app's output" "$out" "fake maven output"
check "first run: Maven called once" "$(mvn_calls)" 1
check "first run: Maven command line, run in the repo root" "$(cut -d'|' -f1,3 "$FAKE_LOG")" "-q -B -DskipTests -pl headroom-cli -am package|pwd=$R"
contains "first run: Maven got the JDK 25+ as JAVA_HOME" "$(cut -d'|' -f2 "$FAKE_LOG")" "JAVA_HOME=$REAL_JDK"
contains "first run: java runs in the caller's directory" "$out" "cwd=$W"
contains "first run: arguments passed through intact" "$out" "args=[hello, two words]"
contains "first run: default JVM options" "$out" "opts=[-Xss512k, -XX:+UseG1GC, -Xmx2g"

rc=0; out=$(cd "$W" && "$R/headroom" again 2>"$T/err") || rc=$?
check "second run: no Maven call" "$(mvn_calls)" 1
check "second run: nothing on stderr" "$(cat "$T/err")" ""
contains "second run: app ran" "$out" "args=[again]"

for f in headroom-cli/src/main/java/A.java headroom-infra/src/test/java/ATest.java pom.xml headroom-infra/pom.xml .mvn/wrapper/maven-wrapper.properties; do
    tick; touch "$R/$f"
    before=$(mvn_calls)
    (cd "$W" && "$R/headroom" x >/dev/null 2>"$T/err")
    check "touch $f: rebuilt" "$(($(mvn_calls) - before))" 1
    (cd "$W" && "$R/headroom" x >/dev/null 2>&1)
    check "touch $f: then up to date again" "$(($(mvn_calls) - before))" 1
done
tick; mkdir -p "$R/headroom-cli/src/main/resources" && echo x >"$R/headroom-cli/src/main/resources/new.txt"
before=$(mvn_calls); (cd "$W" && "$R/headroom" x >/dev/null 2>&1)
check "new file under src/: rebuilt" "$(($(mvn_calls) - before))" 1
tick; touch "$R/README.md" "$R/headroom-cli/target/other.class"
before=$(mvn_calls); (cd "$W" && "$R/headroom" x >/dev/null 2>&1)
check "README / target changes: no rebuild" "$(($(mvn_calls) - before))" 0

tick
before=$(mvn_calls)
rm -f "$JAR" && (cd "$W" && FAKE_TOUCH_DURING_BUILD="$R/headroom-cli/src/main/java/A.java" "$R/headroom" x >/dev/null 2>&1)
(cd "$W" && "$R/headroom" x >/dev/null 2>&1)
check "source edited while Maven runs: rebuilt on the next run" "$(($(mvn_calls) - before))" 2

tick; touch "$R/headroom-cli/src/main/java/A.java"
rc=0; out=$(cd "$W" && FAKE_MVN_RC=7 "$R/headroom" x 2>"$T/err") || rc=$?
check "build failure: Maven's exit code" "$rc" 7
contains "build failure: says so" "$(cat "$T/err")" "headroom: build failed (Maven exit code 7)"
contains "build failure: Maven's error shown" "$(cat "$T/err")" "[ERROR] fake failure"
lacks "build failure: app not started" "$out" "args="
before=$(mvn_calls); (cd "$W" && "$R/headroom" x >/dev/null 2>&1)
check "after a failed build: the next run builds again" "$(($(mvn_calls) - before))" 1

rm -f "$JAR"
rc=0; (cd "$W" && FAKE_NO_JAR=1 "$R/headroom" x >/dev/null 2>"$T/err") || rc=$?
check "build 'succeeds' without a jar: exit 1" "$rc" 1
contains "build without a jar: says so" "$(cat "$T/err")" "build succeeded but $JAR is missing"
(cd "$W" && "$R/headroom" x >/dev/null 2>&1)

out=$(cd "$W" && HEADROOM_JAVA_OPTS="-Xmx64m  -Dfoo=*" "$R/headroom" x 2>/dev/null)
contains "HEADROOM_JAVA_OPTS used (split on whitespace, no globbing)" "$out" "opts=[-Xmx64m, -Dfoo=*]"
out=$(cd "$W" && HEADROOM_JAVA_OPTS="" "$R/headroom" x 2>/dev/null)
contains "HEADROOM_JAVA_OPTS empty: no options" "$out" "opts=[]"
out=$(cd "$W" && "$R/headroom" exit 0 2>&1; echo "rc=$?")
contains "app exit 0 passes through" "$out" "rc=0"
out=$(cd "$W" && "$R/headroom" exit 42 2>&1; echo "rc=$?")
contains "app exit code passes through" "$out" "rc=42"

mkdir -p "$T/bin" && ln -s "$R/headroom" "$T/bin/headroom"
out=$(cd / && PATH="$T/bin:$PATH" headroom via-symlink 2>&1)
contains "via a symlink on PATH, from /: runs" "$out" "args=[via-symlink]"
contains "via a symlink on PATH, from /: cwd kept" "$out" "cwd=/"

# Up to date jar + only a JRE 25+: enough to run; a stale jar needs a JDK.
JRE=$T/jre-only
mkdir -p "$JRE/bin" && cp "$REAL_JDK/release" "$JRE/release" && ln -s "$REAL_JDK/bin/java" "$JRE/bin/java"
out=$(cd "$W" && env -u JAVA_HOME PATH="$NOJAVA" HOME="$T/home" HEADROOM_JDK_SEARCH_DIRS="$JRE" "$R/headroom" x 2>&1)
contains "jar up to date, only a JRE 25+: runs" "$out" "args=[x]"
tick; touch "$R/pom.xml"
rc=0; out=$(cd "$W" && env -u JAVA_HOME PATH="$NOJAVA" HOME="$T/home" HEADROOM_JDK_SEARCH_DIRS="$JRE" "$R/headroom" x 2>&1) || rc=$?
check "stale jar, only a JRE: exit 1" "$rc" 1
check "stale jar, only a JRE: one line" "$out" "headroom: no JDK 25 or newer found (checked JAVA_HOME, PATH, $JRE); install one (e.g. Temurin 25+) or set JAVA_HOME"
rc=0; out=$(cd "$W" && env -u JAVA_HOME PATH="$NOJAVA" HOME="$T/home" HEADROOM_JDK_SEARCH_DIRS="$T/none" "$R/headroom" x 2>&1) || rc=$?
check "no JDK at all: exit 1 and the one line" "$rc:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "1:1"
(cd "$W" && "$R/headroom" x >/dev/null 2>&1)

# exec: the JVM is the process we started, so SIGTERM reaches it directly.
(cd "$W" && exec "$R/headroom" sleep >"$T/sleep.out" 2>&1) &
bg=$!
for _ in $(seq 50); do grep -q '^pid=' "$T/sleep.out" 2>/dev/null && break; sleep 0.1; done
check "exec: the JVM has the pid of ./headroom" "$(sed -n 's/^pid=//p' "$T/sleep.out")" "$bg"
kill -TERM "$bg"
rc=0; wait "$bg" || rc=$?
check "exec: SIGTERM ends the JVM (exit 143)" "$rc" 143

echo "== .ci/run"
REP=$T/reports
mkdir -p "$REP"
cat >"$REP/infra-a.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="3.0.2" name="dev.headroom.A" time="0.1" tests="5" errors="0" skipped="1" failures="1">
  <properties><property name="tests" value="99"/></properties>
  <testcase name="x" classname="dev.headroom.A" time="0"/>
</testsuite>
XML
cat >"$REP/shop-b.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    name="dev.headroom.B" time="0.2"
    tests="3" errors="1" skipped="0" failures="0">
  <testcase name="y" classname="dev.headroom.B" time="0"/>
</testsuite>
XML
# A leftover report from an earlier run must not be counted.
mkdir -p "$R/headroom-cli/target/surefire-reports"
printf '<testsuite name="Old" tests="100" errors="0" skipped="0" failures="50">\n</testsuite>\n' >"$R/headroom-cli/target/surefire-reports/TEST-Old.xml"
touch -t 202001010000 "$R/headroom-cli/target/surefire-reports/TEST-Old.xml"

: >"$FAKE_LOG"
rc=0; out=$(cd / && env -u JAVA_HOME FAKE_REPORTS="$REP" FAKE_VERIFY_RC=1 "$R/.ci/run" 2>&1) || rc=$?
check "ci: Maven's exit code" "$rc" 1
check "ci: Maven command line, from the repo root" "$(cut -d'|' -f1,3 "$FAKE_LOG")" "-B -ntp verify -Dheadroom.shade.skip=true|pwd=$R"
contains "ci: prints the JDK used" "$out" "test: JAVA_HOME=$REAL_JDK"
contains "ci: prints the java version" "$out" "test: openjdk version"
check "ci: summary is the last line (failed run; leftovers ignored)" "$(printf '%s\n' "$out" | tail -1)" "5 passed, 2 failed, 1 skipped"

rm -f "$REP"/shop-b.xml "$REP"/infra-a.xml
printf '<testsuite name="C" tests="4" errors="0" skipped="0" failures="0"/>\n' >"$REP/infra-c.xml"
sleep 0.05
rc=0; out=$(env -u JAVA_HOME FAKE_REPORTS="$REP" "$R/.ci/run" 2>&1) || rc=$?
check "ci: success exit 0" "$rc" 0
check "ci: summary without skipped" "$(printf '%s\n' "$out" | tail -1)" "4 passed, 0 failed"

rm -rf "$R"/headroom-*/target/surefire-reports
rc=0; out=$(env -u JAVA_HOME FAKE_VERIFY_RC=1 "$R/.ci/run" 2>&1) || rc=$?
check "ci: no reports: exit code kept" "$rc" 1
check "ci: no reports: says so" "$(printf '%s\n' "$out" | tail -1)" "test: no test reports found (Maven exit code 1)"

: >"$FAKE_LOG"
rc=0; out=$(env -u JAVA_HOME PATH="$NOJAVA" HOME="$T/home" HEADROOM_JDK_SEARCH_DIRS="$T/none" "$R/.ci/run" 2>&1) || rc=$?
check "ci: no JDK: exit 1" "$rc" 1
check "ci: no JDK: the one line only" "$out" "headroom: no JDK 25 or newer found (checked JAVA_HOME, PATH, $T/none); install one (e.g. Temurin 25+) or set JAVA_HOME"
check "ci: no JDK: Maven not started" "$(mvn_calls)" 0

# ./headroom test passes Maven arguments through, after verify
: >"$FAKE_LOG"
rc=0; out=$(env -u JAVA_HOME FAKE_REPORTS="$REP" "$R/headroom" test -pl headroom-cache -am 2>&1) || rc=$?
check "test: Maven arguments after verify" "$(cut -d'|' -f1 "$FAKE_LOG")" "-B -ntp verify -Dheadroom.shade.skip=true -pl headroom-cache -am"
check "test: builds no jar of its own" "$(mvn_calls)" 1

echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
