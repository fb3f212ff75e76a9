#!/usr/bin/env bash
# `cmake --install` into a DESTDIR staging directory: checks the installed layout, the
# permissions, that the staged wrapper names the final (not the staged) library path, and
# that the staged files work. Needs cmake and gcc; no root (the cgroup-free checks use
# --memory). Exit status: 0 passed, 1 failed, 77 skipped.
set -uo pipefail
. "$(dirname "$0")/common.sh"

for tool in cmake gcc free; do
        command -v "$tool" >/dev/null || skip "$tool is not installed"
done
MA=$(multiarch)
VERSION=$(project_version)
WORK=$(mktemp -d /tmp/cglimits-test-install.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# check_layout PREFIX LIBDIR CDIDIR: a fresh build configured for PREFIX, staged under DESTDIR.
check_layout() {
        local prefix=$1 libdir=$2 cdi=$3 build stage lib bin out rc
        build=$WORK/build${prefix//\//_}
        stage=$WORK/stage${prefix//\//_}
        say "== prefix $prefix: library expected in $libdir"
        configure_and_build "$build" -DCMAKE_INSTALL_PREFIX="$prefix" || { fail "configure and build"; return; }
        if ! DESTDIR=$stage cmake --install "$build" >"$build.install.log" 2>&1; then
                cat "$build.install.log"
                fail "DESTDIR=$stage cmake --install"
                return
        fi
        pass "DESTDIR=... cmake --install"
        (cd "$stage" && find . ! -type d | sort) | sed 's/^/   /'
        lib=$stage$libdir/libcglimits.so
        bin=$stage$prefix/bin/cglimits
        check "lib: ${libdir#"$prefix"/}/libcglimits.so, executable" test -f "$lib" -a -x "$lib"
        check "bin/cglimits, executable" test -f "$bin" -a -x "$bin"
        check "share/man/man1/cglimits.1" test -f "$stage$prefix/share/man/man1/cglimits.1"
        check "share/man/man7/cglimits.7" test -f "$stage$prefix/share/man/man7/cglimits.7"
        local q
        for q in libcglimits-query.so.1.0.0 libcglimits-query.so.1 libcglimits-query.so \
                libcglimits-query.a pkgconfig/cglimits-query.pc; do
                check "lib: ${libdir#"$prefix"/}/$q" test -e "$stage$libdir/$q"
        done
        check "include/cglimits.h" test -f "$stage$prefix/include/cglimits.h"
        check "share/man/man3/cglimits_memory.3" test -f "$stage$prefix/share/man/man3/cglimits_memory.3"
        check "lib/python3/dist-packages/cglimits.py" \
                test -f "$stage$prefix/lib/python3/dist-packages/cglimits.py"
        check "staged cglimits-query.pc names the final libdir $libdir" \
                grep -qx "libdir=$libdir" "$stage$libdir/pkgconfig/cglimits-query.pc"
        check "$cdi/cglimits-glibc.yaml (CDI spec)" test -f "$stage$cdi/cglimits-glibc.yaml"
        check "the CDI spec's hostPath is the final library path" \
                grep -qx "        - hostPath: $libdir/libcglimits.so" "$stage$cdi/cglimits-glibc.yaml"
        check "exactly these 13 files are installed (5 of the shim, 8 of the public library)" \
                test "$(cd "$stage" && find . ! -type d | wc -l)" = 13
        check "staged wrapper references the final library path $libdir/libcglimits.so" \
                grep -q "\"$libdir/libcglimits.so\"" "$bin"
        check "staged wrapper does not reference the staging or build directory" \
                bash -c '! grep -q -e "$1" "$2"' _ "$WORK" "$bin"
        check "staged library has no RUNPATH/RPATH" \
                bash -c '! readelf -d "$1" | grep -Eq "RUNPATH|RPATH"' _ "$lib"
        out=$("$lib" 2>&1)
        rc=$?
        check "staged library runs and prints 'cglimits $VERSION:'" \
                test "$rc:$(head -n1 <<<"$out" | cut -d: -f1)" = "0:cglimits $VERSION"
        # The wrapper can't find the library at its final path yet; CGLIMITS_LIBRARY points it
        # at the staged copy.
        out=$(cd / && env -u LD_PRELOAD CGLIMITS_LIBRARY="$lib" "$bin" --memory 256M free -k 2>&1)
        check "staged wrapper: CGLIMITS_LIBRARY=<staged> cglimits --memory 256M free -k -> 262144" \
                test "$(free_total_kb <<<"$out")" = 262144
        if man -l "$stage$prefix/share/man/man1/cglimits.1" >/dev/null 2>&1 </dev/null; then
                pass "man -l renders the staged cglimits.1"
        elif command -v man >/dev/null; then
                fail "man -l renders the staged cglimits.1"
        fi
        if command -v groff >/dev/null; then
                for page in man1/cglimits.1 man7/cglimits.7 man3/cglimits_memory.3; do
                        out=$(groff -man -Tutf8 -ww -z "$stage$prefix/share/man/$page" 2>&1)
                        check "groff -man -ww: no warnings in $page" test -z "$out"
                        [ -z "$out" ] || say "$out"
                done
        fi
}

[ -f /etc/debian_version ] || skip "the expected layouts are Debian's (multiarch libdir under /usr)"
# /usr: GNUInstallDirs picks the multiarch libdir on Debian (the package's layout).
# The CDI spec in GNUInstallDirs' sysconfdir: /etc for /usr, /etc/opt/... for /opt/...
check_layout /usr "/usr/lib/$MA" /etc/cdi
# Any other prefix: plain lib/ (what GNUInstallDirs gives off /usr on Debian).
check_layout /opt/cglimits /opt/cglimits/lib /etc/opt/cglimits/cdi
finish
