#!/usr/bin/env bash
# Builds the Debian package with CPack, installs it with dpkg, checks the installed files and
# that the installed wrapper and library work inside a real 256 MiB memory cgroup, then purges
# the package and checks that nothing is left behind.
#
# Needs root, dpkg, cmake, gcc; dpkg-shlibdeps (dpkg-dev) for the computed libc6 dependency.
# Exit status: 0 passed, 1 failed, 77 skipped (not root, tools missing, or a cglimits package
# or files not installed by this test already present).
set -uo pipefail
. "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || skip "test-deb.sh needs root (dpkg -i, memory cgroups)"
for tool in dpkg dpkg-deb dpkg-query cmake cpack gcc free; do
        command -v "$tool" >/dev/null || skip "$tool is not installed"
done

MA=$(multiarch)
LIB=/usr/lib/$MA/libcglimits.so
BIN=/usr/bin/cglimits
MAN1=/usr/share/man/man1/cglimits.1
MAN7=/usr/share/man/man7/cglimits.7
VERSION=$(project_version)

status=$(dpkg-query -W -f='${db:Status-Status}' cglimits 2>/dev/null || true)
if [ -n "$status" ] && [ "$status" != not-installed ]; then
        say "a cglimits package is already known to dpkg (status: $status); this test did not"
        say "install it and will not replace or purge it. Remove it with: dpkg --purge cglimits"
        exit 77
fi
for f in "$LIB" "$BIN" "$MAN1" "$MAN7"; do
        if [ -e "$f" ]; then
                say "$f exists but belongs to no package (a cmake --install?); this test would"
                say "overwrite it and then delete it when purging. Remove it first."
                exit 77
        fi
done

WORK=$(mktemp -d /tmp/cglimits-test-deb.XXXXXX)
INSTALLED=0
cleanup() {
        remove_cgroup
        if [ "$INSTALLED" = 1 ]; then
                say "cleanup: dpkg --purge cglimits"
                dpkg --purge cglimits >/dev/null 2>&1 || say "warning: dpkg --purge cglimits failed"
        fi
        rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "== building the package (version $VERSION, multiarch $MA)"
build_debs "$WORK/build"
# The shim's package (the build also makes the public library's two).
DEB=$(ls "$WORK"/build/cglimits_*.deb 2>/dev/null | head -n1)
check "cpack produced a .deb ($(basename "${DEB:-none}"))" test -f "$DEB"
[ -f "$DEB" ] || finish
check "file name is the Debian default cglimits_${VERSION}_$(dpkg --print-architecture).deb" \
        test "$(basename "$DEB")" = "cglimits_${VERSION}_$(dpkg --print-architecture).deb"
say "-- control:"
dpkg-deb -f "$DEB" | sed 's/^/   /'
say "-- contents:"
dpkg-deb -c "$DEB" | sed 's/^/   /'
check "Package: cglimits" test "$(dpkg-deb -f "$DEB" Package)" = cglimits
check "Version: $VERSION" test "$(dpkg-deb -f "$DEB" Version)" = "$VERSION"
check "Depends names libc6" grep -q '^libc6 (>= ' <<<"$(dpkg-deb -f "$DEB" Depends)"
check "Maintainer: cglimits developers" test "$(dpkg-deb -f "$DEB" Maintainer)" = "cglimits developers"
check "package ships .$LIB" grep -q " \./usr/lib/$MA/libcglimits.so\$" <<<"$(dpkg-deb -c "$DEB")"
check "package ships ./etc/cdi/cglimits-glibc.yaml (CDI spec)" \
        grep -q " \./etc/cdi/cglimits-glibc\.yaml\$" <<<"$(dpkg-deb -c "$DEB")"

say "== installing with dpkg -i"
INSTALLED=1
if ! dpkg -i "$DEB"; then
        fail "dpkg -i $(basename "$DEB")"
        finish
fi
pass "dpkg -i $(basename "$DEB")"
check "dpkg reports cglimits $VERSION installed" \
        test "$(dpkg-query -W -f='${db:Status-Status} ${Version}' cglimits)" = "installed $VERSION"
check "$LIB exists and is executable" test -f "$LIB" -a -x "$LIB"
check "$BIN exists and is executable" test -f "$BIN" -a -x "$BIN"
check "$MAN1 exists" test -f "$MAN1"
check "$MAN7 exists" test -f "$MAN7"
if command -v man >/dev/null; then
        check "man -w 1 cglimits finds $MAN1" test "$(man -w 1 cglimits 2>/dev/null)" = "$MAN1"
        check "man -w 7 cglimits finds $MAN7" test "$(man -w 7 cglimits 2>/dev/null)" = "$MAN7"
fi
check "installed wrapper points at $LIB" grep -q "\"$LIB\"" "$BIN"
check "installed wrapper has no build-tree path" bash -c '! grep -q "$1" "$2"' _ "$WORK" "$BIN"
dpkg -L cglimits >"$WORK/files.list"
say "-- dpkg -L cglimits:"
sed 's/^/   /' "$WORK/files.list"

say "== running the installed library directly"
out=$("$LIB" 2>&1)
rc=$?
say "$out" | head -n 2 | sed 's/^/   /'
check "$LIB exits 0" test "$rc" = 0
check "$LIB prints 'cglimits $VERSION:' first" test "$(head -n1 <<<"$out" | cut -d: -f1)" = "cglimits $VERSION"

say "== the installed wrapper in a 256 MiB memory cgroup"
if make_memory_cgroup $((256 * 1024 * 1024)); then
        say "cgroup $CGROUP_VERSION: $CGROUP_DIR"
        # Run from a neutral directory with a clean LD_PRELOAD: only the installed files count.
        out=$(cd / && env -u LD_PRELOAD -u CGLIMITS_LIBRARY PATH=/usr/sbin:/usr/bin:/sbin:/bin \
                bash -c 'echo $$ >"$0/cgroup.procs" && exec cglimits --show' "$CGROUP_DIR" 2>&1)
        rc=$?
        sed 's/^/   /' <<<"$out" | head -n 8
        check "cglimits --show exits 0" test "$rc" = 0
        check "cglimits --show uses $LIB" grep -qx "library: $LIB" <<<"$out"
        check "cglimits --show: MemTotal 262144 kB" grep -Eq '^MemTotal: +262144 kB$' <<<"$out"
        out=$(cd / && env -u LD_PRELOAD -u CGLIMITS_LIBRARY PATH=/usr/sbin:/usr/bin:/sbin:/bin \
                bash -c 'echo $$ >"$0/cgroup.procs" && exec cglimits free -k' "$CGROUP_DIR" 2>&1)
        sed 's/^/   /' <<<"$out"
        check "cglimits free -k: total 262144" test "$(free_total_kb <<<"$out")" = 262144
        host=$(free -k | free_total_kb)
        check "free -k without the wrapper still shows the host ($host kB)" test "$host" != 262144
        remove_cgroup
else
        fail "could not create a memory cgroup (v1 or v2) under /sys/fs/cgroup"
fi

say "== dpkg --purge cglimits"
if dpkg --purge cglimits; then
        INSTALLED=0
        pass "dpkg --purge cglimits"
else
        fail "dpkg --purge cglimits"
fi
status=$(dpkg-query -W -f='${db:Status-Status}' cglimits 2>/dev/null || true)
check "dpkg no longer knows cglimits (status: ${status:-none})" \
        bash -c '[ -z "$1" ] || [ "$1" = not-installed ]' _ "$status"
check_nothing_left "$WORK/files.list" "the package"
finish
