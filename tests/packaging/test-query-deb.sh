#!/usr/bin/env bash
# The public library's Debian packages: CPack builds cglimits, libcglimits-query1 and
# libcglimits-query-dev; dpkg installs them; a program built with pkg-config against the
# installed files, the system python3's `import cglimits` and `cglimits --json` all report a
# real 256 MiB memory cgroup; then the packages are purged and nothing is left behind.
#
# Exit status: 0 passed, 1 failed, 77 skipped (not root, tools missing, packages or files of
# them already present).
set -uo pipefail
. "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || skip "test-query-deb.sh needs root (dpkg -i, memory cgroups)"
for tool in dpkg dpkg-deb dpkg-query cmake cpack gcc pkg-config /usr/bin/python3; do
        command -v "$tool" >/dev/null || skip "$tool is not installed"
done
MA=$(multiarch)
VERSION=$(project_version)
PKGS=(cglimits libcglimits-query1 libcglimits-query-dev)
for p in "${PKGS[@]}"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
        if [ -n "$status" ] && [ "$status" != not-installed ]; then
                say "package $p is already known to dpkg (status: $status); not touching it"
                exit 77
        fi
done
for f in /usr/lib/$MA/libcglimits-query.so.1 /usr/include/cglimits.h \
        /usr/lib/python3/dist-packages/cglimits.py /usr/lib/$MA/libcglimits.so; do
        [ -e "$f" ] && skip "$f exists but belongs to no package; remove it first"
done

WORK=$(mktemp -d /tmp/cglimits-test-query-deb.XXXXXX)
INSTALLED=0
cleanup() {
        remove_cgroup
        [ "$INSTALLED" = 1 ] && dpkg --purge "${PKGS[@]}" >/dev/null 2>&1
        rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "== building the packages"
build_debs "$WORK/build"
arch=$(dpkg --print-architecture)
debs=()
for p in "${PKGS[@]}"; do
        deb=$WORK/build/${p}_${VERSION}_$arch.deb
        check "cpack produced $(basename "$deb")" test -f "$deb"
        debs+=("$deb")
done
[ "$PKG_FAILURES" = 0 ] || finish
dev=${debs[2]} rt=${debs[1]}
check "the -dev package depends on libcglimits-query1 (= $VERSION)" \
        grep -q "libcglimits-query1 (= $VERSION)" <<<"$(dpkg-deb -f "$dev" Depends)"
check "the runtime package ships the versioned object and the Python module" \
        test "$(dpkg-deb -c "$rt" | grep -cE "/libcglimits-query\.so\.1\.0\.0$|/dist-packages/cglimits\.py$")" = 2
check "the -dev package ships the link name, the archive, the header, the .pc and the man page" \
        test "$(dpkg-deb -c "$dev" | grep -cE "libcglimits-query.so -> |libcglimits-query.a$|cglimits.h$|cglimits-query.pc$|cglimits_memory.3$")" = 5
check "the shim's package has none of them" \
        bash -c '! dpkg-deb -c "$1" | grep -q query' _ "${debs[0]}"

say "== dpkg -i"
INSTALLED=1
dpkg -i "${debs[@]}" >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log"; fail "dpkg -i"; finish; }
pass "dpkg -i ${PKGS[*]}"
for p in "${PKGS[@]}"; do dpkg -L "$p"; done | sort -u >"$WORK/files.list"
check "pkg-config finds cglimits-query $VERSION" test "$(pkg-config --modversion cglimits-query)" = "$VERSION"
check "man -w 3 cglimits_memory" test -n "$(man -w 3 cglimits_memory 2>/dev/null)"
# shellcheck disable=SC2046
check "the example builds with pkg-config against the installed files" \
        gcc -Wall -Werror "$PKG_SRC/tests/query/example_memory.c" $(pkg-config --cflags --libs cglimits-query) \
        -o "$WORK/memory"

say "== in a 256 MiB memory cgroup"
if make_memory_cgroup $((256 * 1024 * 1024)); then
        incg() { (cd / && env -u LD_PRELOAD PATH=/usr/sbin:/usr/bin:/sbin:/bin \
                bash -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CGROUP_DIR" "$@" 2>&1); }
        out=$(incg "$WORK/memory")
        sed 's/^/   /' <<<"$out"
        check "the example: total=268435456" grep -q '^total=268435456 ' <<<"$out"
        out=$(incg /usr/bin/python3 -c 'import cglimits; m = cglimits.memory(); print(m.total, m.limit_source)')
        say "   $out"
        check "python3 -c 'import cglimits': total 268435456" grep -Eq '^268435456 v[12]_' <<<"$out"
        out=$(incg cglimits --json)
        say "   $out"
        check "cglimits --json: total 268435456" grep -q '"total": 268435456,' <<<"$out"
        remove_cgroup
else
        fail "could not create a memory cgroup"
fi

say "== dpkg --purge"
if dpkg --purge "${PKGS[@]}" >/dev/null; then
        INSTALLED=0
        pass "dpkg --purge ${PKGS[*]}"
else
        fail "dpkg --purge ${PKGS[*]}"
fi
check_nothing_left "$WORK/files.list" "the packages"
finish
