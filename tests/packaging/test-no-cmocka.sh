#!/usr/bin/env bash
# The README's build on a machine without libcmocka: with CGLIMITS_BUILD_TESTS left at its
# default (AUTO) the library and wrapper build, no test is built and configure says why and
# how to get the tests; an explicit ON fails configure with that message; OFF builds no
# tests and says nothing. libcmocka is hidden, not uninstalled: cmake gets a pkg-config
# wrapper that runs the real pkg-config on a search path holding every installed .pc file
# except cmocka.pc, so pkg-config itself answers "not found".
# Needs cmake, gcc, pkg-config; no root. Exit status: 0 passed, 1 failed, 77 skipped.
set -uo pipefail
. "$(dirname "$0")/common.sh"

for tool in cmake gcc pkg-config; do
        command -v "$tool" >/dev/null || skip "$tool is not installed"
done
WORK=$(mktemp -d /tmp/cglimits-test-no-cmocka.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

real_pkg_config=$(command -v pkg-config)
mkdir -p "$WORK/pc" "$WORK/bin"
IFS=: read -ra pc_dirs <<<"$(pkg-config --variable pc_path pkg-config)"
for d in "${pc_dirs[@]}"; do
        for f in "$d"/*.pc; do
                [ -e "$f" ] && [ "${f##*/}" != cmocka.pc ] && ln -sf "$f" "$WORK/pc/"
        done
done
cat >"$WORK/bin/pkg-config" <<EOF
#!/bin/sh
PKG_CONFIG_LIBDIR=$WORK/pc PKG_CONFIG_PATH= exec $real_pkg_config "\$@"
EOF
chmod +x "$WORK/bin/pkg-config"
HIDE=-DPKG_CONFIG_EXECUTABLE=$WORK/bin/pkg-config
check "the wrapper's pkg-config does not find cmocka" \
        bash -c '! "$1" --exists cmocka' _ "$WORK/bin/pkg-config"

# configure NAME CMAKE_ARGS...: configures $WORK/NAME; sets RC and LOG (whitespace-joined
# output, as CMake wraps its messages).
configure() {
        local dir=$WORK/$1
        say "== cmake -B $*"
        shift
        cmake -S "$PKG_SRC" -B "$dir" "$@" >"$dir.log" 2>&1
        RC=$?
        LOG=$(tr -s ' \n' '  ' <"$dir.log")
}
# no_tests NAME: nothing of the tests is configured or built in $WORK/NAME.
no_tests() {
        local dir=$WORK/$1
        check "no tests/ in the build tree" test ! -e "$dir/tests"
        check "no CTestTestfile.cmake" test ! -e "$dir/CTestTestfile.cmake"
        check "no test executables" test -z "$(find "$dir" -type f -name 'test_*' -perm -u+x)"
}
built() {
        local dir=$WORK/$1 out
        if cmake --build "$dir" -j"$(nproc)" >"$dir.build.log" 2>&1; then
                pass "cmake --build"
        else
                cat "$dir.build.log"
                fail "cmake --build"
        fi
        check "libcglimits.so built" test -f "$dir/libcglimits.so"
        check "cglimits wrapper built" test -x "$dir/cglimits"
        out=$("$dir/libcglimits.so" 2>&1)
        check "the library runs and prints its version" grep -q "^cglimits $(project_version):" \
                <<<"$out"
}
says_tests_off() {
        check "configure says the tests are off, and why" \
                grep -q "building the library without tests: $1" <<<"$LOG"
        check "configure says how to get them" \
                grep -q "For the tests: apt-get install libcmocka-dev pkg-config" <<<"$LOG"
}

configure auto "$HIDE"
check "default (AUTO), cmocka hidden: configure succeeds" test "$RC" = 0
says_tests_off "pkg-config ($WORK/bin/pkg-config) does not find libcmocka"
built auto
no_tests auto

configure nopc -DPKG_CONFIG_EXECUTABLE="$WORK/no-such-pkg-config"
check "default (AUTO), no pkg-config: configure succeeds" test "$RC" = 0
says_tests_off "no working pkg-config was found"
no_tests nopc

configure on "$HIDE" -DCGLIMITS_BUILD_TESTS=ON
check "explicit ON, cmocka hidden: configure fails" test "$RC" != 0
check "explicit ON: the error names libcmocka and how to get it" grep -q \
        "CGLIMITS_BUILD_TESTS=ON needs libcmocka, .* apt-get install libcmocka-dev pkg-config" \
        <<<"$LOG"

configure off "$HIDE" -DCGLIMITS_BUILD_TESTS=OFF
check "explicit OFF: configure succeeds" test "$RC" = 0
check "explicit OFF: no message about the tests" \
        bash -c '! grep -q "without tests" <<<"$1"' _ "$LOG"
no_tests off

# The control: the same configure without the wrapper does add the tests, so the hiding
# (not something else) is what turned them off above.
if pkg-config --exists cmocka; then
        configure visible
        check "default (AUTO), cmocka visible: configure succeeds" test "$RC" = 0
        check "cmocka visible: the tests are configured" \
                test -f "$WORK/visible/tests/CTestTestfile.cmake"
        check "cmocka visible: no message about the tests" \
                bash -c '! grep -q "without tests" <<<"$1"' _ "$LOG"
else
        say "(libcmocka is not installed here: the control with cmocka visible is not run)"
fi
finish
