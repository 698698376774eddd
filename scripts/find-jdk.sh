#!/usr/bin/env bash
# find-jdk.sh - find a Java 25+ installation and export JAVA_HOME.
#
# Sourced (from bash):
#     . scripts/find-jdk.sh                    # needs a full JDK (java + javac)
#     HEADROOM_JDK_NEED=run . scripts/find-jdk.sh   # java alone is enough
#   On success JAVA_HOME is exported and the status is 0; otherwise one line
#   goes to stderr and the status is 1 (a caller under `set -e` stops there).
#   The functions stay defined afterwards; call them again at will:
#     headroom_find_jdk build|run     select and export JAVA_HOME (status 0/1)
#     headroom_java_major HOME        print the major version of HOME (e.g. 25)
#
# Run:
#     scripts/find-jdk.sh [--build|--run]     print the selected home on stdout
#
# Candidates, in this order; the first usable one wins:
#   1. $JAVA_HOME
#   2. `java` on PATH (symlinks resolved, home derived from .../bin/java)
#   3. well-known install folders, highest version first:
#        /usr/lib/jvm/*  /opt/java/*  /opt/jdk*  ~/.sdkman/candidates/java/*
#        /Library/Java/JavaVirtualMachines/*/Contents/Home  ~/.jdks/*
# A candidate older than 25, or without bin/javac when building, is skipped.
#
# Environment:
#   HEADROOM_DEBUG=1            print every candidate checked, and why it was
#                               taken or skipped, to stderr
#   HEADROOM_JDK_NEED           build (default) or run, for the sourced form
#   HEADROOM_JDK_SEARCH_DIRS    colon-separated glob patterns replacing the
#                               well-known folders in step 3 (mainly for tests)
#
# Only bash is required (no readlink -f, sort -V or GNU extensions), so this
# works on Linux and macOS alike. Everything defined here is prefixed
# headroom_/_headroom_; the caller's shell options are left untouched.

HEADROOM_JAVA_MIN=25

_headroom_debug() {
    if [ "${HEADROOM_DEBUG:-}" = 1 ]; then
        printf 'headroom[jdk]: %s\n' "$*" >&2
    fi
    return 0
}

# Print the physical path of $1 with every symlink resolved (readlink -f is not
# available everywhere, e.g. older macOS).
_headroom_realpath() {
    local path=$1 dir base target hops=0
    while [ -L "$path" ] && [ "$hops" -lt 40 ]; do
        target=$(readlink "$path") || break
        case $target in
            /*) path=$target ;;
            *) path=${path%/*}/$target ;;
        esac
        hops=$((hops + 1))
    done
    dir=${path%/*}
    base=${path##*/}
    [ "$dir" = "$path" ] && dir=.
    [ -z "$dir" ] && dir=/
    if dir=$(cd -P "$dir" 2>/dev/null && pwd -P); then
        printf '%s\n' "${dir%/}/$base"
    else
        printf '%s\n' "$path"
    fi
}

# Print the version string of the Java installation at $1 ("25.0.3",
# "1.8.0_452", "21-ea", ...), or nothing. Reads $1/release when present (no
# process started); else runs `$1/bin/java -version` once.
_headroom_java_version() {
    local home=$1 line version=
    if [ -r "$home/release" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            case $line in
                JAVA_VERSION=*)
                    version=${line#JAVA_VERSION=}
                    version=${version//\"/}
                    version=${version//\'/}
                    version=${version%%[[:space:]]*}
                    break
                    ;;
            esac
        done <"$home/release"
    fi
    if [ -z "$version" ] && [ -x "$home/bin/java" ]; then
        # First line looks like: openjdk version "17.0.15" 2025-04-15
        #                    or: java version "1.8.0_452"
        while IFS= read -r line || [ -n "$line" ]; do
            case $line in
                *' version "'*)
                    version=${line#*' version "'}
                    version=${version%%\"*}
                    break
                    ;;
            esac
        done < <("$home/bin/java" -version 2>&1 </dev/null)
    fi
    [ -n "$version" ] && printf '%s\n' "$version"
    return 0
}

# Turn a version string into a sortable key "major minor patch" (digits only):
# "1.8.0_452" -> "8 0 452", "25.0.3" -> "25 0 3", "21-ea" -> "21 0 0".
_headroom_version_key() {
    local v=$1 major minor patch rest
    case $v in
        1.[0-9]*)
            v=${v#1.}
            major=${v%%[!0-9]*}
            rest=${v#"$major"}
            rest=${rest#.}
            minor=${rest%%[!0-9]*}
            rest=${rest#"$minor"}
            rest=${rest#_}
            patch=${rest%%[!0-9]*}
            ;;
        *)
            major=${v%%[!0-9]*}
            rest=${v#"$major"}
            rest=${rest#.}
            minor=${rest%%[!0-9]*}
            rest=${rest#"$minor"}
            rest=${rest#.}
            patch=${rest%%[!0-9]*}
            ;;
    esac
    [ -n "$major" ] || return 1
    # Strip leading zeros so that bash arithmetic never reads them as octal.
    printf '%d %d %d\n' "$((10#$major))" "$((10#${minor:-0}))" "$((10#${patch:-0}))"
}

# Print the major version of the Java installation at $1, or nothing.
headroom_java_major() {
    local version key
    version=$(_headroom_java_version "$1")
    key=$(_headroom_version_key "$version") || return 0
    printf '%s\n' "${key%% *}"
}

# Print "major minor patch" for a usable candidate $1 (need $2: build|run);
# status 1 (with a debug note) when it is not usable.
_headroom_check() {
    local home=$1 need=$2 label=$3 version key major
    if [ ! -x "$home/bin/java" ] || [ -d "$home/bin/java" ]; then
        _headroom_debug "skip $label $home: no bin/java"
        return 1
    fi
    if [ "$need" = build ] && { [ ! -x "$home/bin/javac" ] || [ -d "$home/bin/javac" ]; }; then
        _headroom_debug "skip $label $home: no bin/javac (a JRE; building needs a JDK)"
        return 1
    fi
    version=$(_headroom_java_version "$home")
    if ! key=$(_headroom_version_key "$version"); then
        _headroom_debug "skip $label $home: cannot tell its version"
        return 1
    fi
    major=${key%% *}
    if [ "$major" -lt "$HEADROOM_JAVA_MIN" ]; then
        _headroom_debug "skip $label $home: Java $version is older than $HEADROOM_JAVA_MIN"
        return 1
    fi
    _headroom_debug "ok   $label $home: Java $version"
    printf '%s\n' "$key"
}

# The well-known folder patterns, one per line.
_headroom_search_patterns() {
    local IFS=:
    local p
    if [ -n "${HEADROOM_JDK_SEARCH_DIRS+set}" ]; then
        for p in $HEADROOM_JDK_SEARCH_DIRS; do
            [ -n "$p" ] && printf '%s\n' "$p"
        done
        return 0
    fi
    printf '%s\n' \
        '/usr/lib/jvm/*' \
        '/opt/java/*' \
        '/opt/jdk*' \
        "${HOME:-/nonexistent}/.sdkman/candidates/java/*" \
        '/Library/Java/JavaVirtualMachines/*/Contents/Home' \
        "${HOME:-/nonexistent}/.jdks/*"
}

# Where step 3 looks, for the failure message (short forms of the patterns).
_headroom_search_summary() {
    local p out='' sep=''
    while IFS= read -r p; do
        p=${p%/\*}
        p=${p%/\*/Contents/Home}
        [ -n "${HOME:-}" ] && p=${p/#"$HOME"/\~}
        out=$out$sep$p
        sep=', '
    done < <(_headroom_search_patterns)
    printf '%s\n' "$out"
}

# Select a Java 25+ home and export JAVA_HOME. $1: build (needs javac, the
# default) or run (java is enough). Status 0 on success, else 1 with one line
# on stderr.
headroom_find_jdk() {
    local need=${1:-build} home java key pattern best='' best_key='' best_major=''
    local -a keys
    case $need in
        build | run) ;;
        *)
            echo "headroom: find-jdk: unknown need '$need' (use build or run)" >&2
            return 1
            ;;
    esac

    # 1. JAVA_HOME
    if [ -n "${JAVA_HOME:-}" ]; then
        home=${JAVA_HOME%/}
        if _headroom_check "$home" "$need" JAVA_HOME >/dev/null; then
            export JAVA_HOME="$home"
            return 0
        fi
    else
        _headroom_debug "skip JAVA_HOME: not set"
    fi

    # 2. java on PATH
    if java=$(command -v java 2>/dev/null) && [ -n "$java" ]; then
        java=$(_headroom_realpath "$java")
        home=${java%/bin/java}
        if [ "$home" = "$java" ]; then
            _headroom_debug "skip PATH: $java is not inside a .../bin/java layout"
        else
            # A Java 8 JDK's java may live in $jdk/jre/bin/java.
            case $home in
                */jre) [ -x "${home%/jre}/bin/javac" ] && home=${home%/jre} ;;
            esac
            if _headroom_check "$home" "$need" PATH >/dev/null; then
                export JAVA_HOME="$home"
                return 0
            fi
        fi
    else
        _headroom_debug "skip PATH: no java command"
    fi

    # 3. well-known folders: the highest version wins (ties: first found)
    while IFS= read -r pattern; do
        _headroom_debug "look in $pattern"
        # compgen -G expands the glob whatever the caller's noglob, nullglob
        # or failglob settings, and keeps spaces in paths intact.
        while IFS= read -r home; do
            [ -d "$home" ] || continue
            home=${home%/}
            key=$(_headroom_check "$home" "$need" folder) || continue
            read -r -a keys <<<"$key"
            if [ -z "$best" ] || _headroom_key_greater "${keys[*]}" "$best_key"; then
                best=$home
                best_key=${keys[*]}
                best_major=${keys[0]}
            fi
        done < <(compgen -G "$pattern")
    done < <(_headroom_search_patterns)

    if [ -n "$best" ]; then
        _headroom_debug "chose $best (Java $best_major)"
        export JAVA_HOME="$best"
        return 0
    fi

    local what="JDK"
    [ "$need" = run ] && what="Java"
    local where
    where=$(_headroom_search_summary)
    echo "headroom: no $what $HEADROOM_JAVA_MIN or newer found (checked JAVA_HOME, PATH${where:+, $where}); install one (e.g. Temurin $HEADROOM_JAVA_MIN+) or set JAVA_HOME" >&2
    return 1
}

# Status 0 when version key $1 ("major minor patch") is greater than $2.
_headroom_key_greater() {
    local -a a b
    local i
    read -r -a a <<<"$1"
    read -r -a b <<<"$2"
    for i in 0 1 2; do
        if [ "${a[i]:-0}" -gt "${b[i]:-0}" ]; then return 0; fi
        if [ "${a[i]:-0}" -lt "${b[i]:-0}" ]; then return 1; fi
    done
    return 1
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
    # Sourced: select now, with HEADROOM_JDK_NEED (not "$@", which may be the
    # caller's own arguments).
    headroom_find_jdk "${HEADROOM_JDK_NEED:-build}"
    return $?
fi

# Run as a command.
_headroom_need=build
for _headroom_arg in "$@"; do
    case $_headroom_arg in
        --build) _headroom_need=build ;;
        --run) _headroom_need=run ;;
        -h | --help)
            echo "usage: $0 [--build|--run]   print the home of a Java $HEADROOM_JAVA_MIN+ installation (--build: needs javac, the default)"
            exit 0
            ;;
        *)
            echo "usage: $0 [--build|--run]" >&2
            exit 2
            ;;
    esac
done
headroom_find_jdk "$_headroom_need" || exit 1
printf '%s\n' "$JAVA_HOME"
