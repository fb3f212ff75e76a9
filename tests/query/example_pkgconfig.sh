#!/bin/sh
# The example program (tests/query/example_memory.c) built as a user would: the library and its
# -dev files installed (staged with DESTDIR), then `cc ... $(pkg-config ...)`, once against
# the shared object and once against the static archive. Both must run and agree with the
# installed library executed as a program (the JSON of `cglimits --json`) on the figures
# that do not move (total, the limit, the cgroup directory); the static program must carry
# no internal name of the library.
#
#   example_pkgconfig.sh BUILD_DIR SOURCE_DIR WORKDIR
set -eu
build=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
stage=$work/stage
for c in query querydev; do
        DESTDIR=$stage cmake --install "$build" --component "$c" >/dev/null
done
pc=$(find "$stage" -name cglimits-query.pc | head -n1)
[ -n "$pc" ] || { echo "FAIL: no cglimits-query.pc installed"; exit 1; }
export PKG_CONFIG_PATH="${pc%/*}" PKG_CONFIG_SYSROOT_DIR="$stage"
libdir=$stage$(pkg-config --variable=libdir cglimits-query | sed "s#^$stage##")
echo "pkg-config: $(pkg-config --cflags --libs cglimits-query)"

cc=${CC:-cc}
# shellcheck disable=SC2046 # pkg-config's words
$cc -Wall -Werror "$src/tests/query/example_memory.c" $(pkg-config --cflags --libs cglimits-query) \
        -o "$work/memory_shared"
# shellcheck disable=SC2046
$cc -Wall -Werror "$src/tests/query/example_memory.c" $(pkg-config --cflags cglimits-query) \
        -L"$libdir" -Wl,-Bstatic -lcglimits-query -Wl,-Bdynamic -o "$work/memory_static"

fail=0
check() {
        if [ "$2" = "$3" ]; then
                echo "ok: $1 ($2)"
        else
                echo "FAIL: $1: '$2' != '$3'"
                fail=1
        fi
}
json=$("$libdir/libcglimits-query.so.1")
field() { printf '%s\n' "$json" | sed -n "s/.*\"$1\": \([^,}]*\).*/\1/p" | tr -d '"'; }
for prog in memory_shared memory_static; do
        out=$(LD_LIBRARY_PATH=$libdir "$work/$prog")
        check "$prog: total" "$(printf '%s\n' "$out" | sed -n 's/^total=\([0-9]*\) .*/\1/p')" \
                "$(field total)"
        check "$prog: cgroup" "$(printf '%s\n' "$out" | sed -n 's/^cgroup=v[0-9] //p')" \
                "$(field cgroup_dir)"
done
check "memory_shared loads libcglimits-query.so.1" \
        "$(LD_LIBRARY_PATH=$libdir ldd "$work/memory_shared" | grep -c 'libcglimits-query.so.1 ')" 1
check "memory_static does not load it" \
        "$(ldd "$work/memory_static" | grep -c libcglimits-query || true)" 0
check "memory_static has no internal names (cgl_*, view and parser functions)" \
        "$(nm "$work/memory_static" | grep -cE ' [TDB] (cgl_|mem_view|meminfo_|memstat_|cgroup_|json_|slot_)' || true)" 0
exit $fail
