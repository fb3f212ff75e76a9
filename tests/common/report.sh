# Sourced by the shell suites (tests/musl, tests/containers): their report lines and exits.
# Exit status of a suite: 0 pass, 1 fail, 77 skip (a failure when CI=true).
# shellcheck shell=bash

passed=0
failed=0
# Width of the description column of check's lines.
check_width=${check_width:-36}

log() { printf '== %s\n' "$*"; }

skip() {
        if [ "${CI:-}" = true ]; then
                echo "FAIL: $* (skipping is not allowed under CI=true)"
                exit 1
        fi
        echo "SKIP: $*"
        exit 77
}

die() {
        echo "FAIL: $*"
        exit 1
}

check() {
        local what=$1 expected=$2 actual=$3 verdict=PASS
        if [ "$expected" = "$actual" ]; then
                passed=$((passed + 1))
        else
                verdict=FAIL
                failed=$((failed + 1))
        fi
        printf "%s  %-${check_width}s expected %-10s actual %s\n" "$verdict" "$what" "$expected" "$actual"
}

timed() {
        local label=$1 start=$SECONDS
        shift
        "$@"
        log "$label took $((SECONDS - start))s"
}
