# Shared helpers for tests/packaging/*.sh (sourced, not run).
# shellcheck shell=bash

PKG_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PKG_FAILURES=0

say() { printf '%s\n' "$*"; }
pass() { printf 'ok   %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*"; PKG_FAILURES=$((PKG_FAILURES + 1)); }
skip() { printf 'SKIP: %s\n' "$*"; exit 77; }
# check DESCRIPTION COMMAND...: runs COMMAND, reports it.
check() {
        local what=$1
        shift
        if "$@"; then pass "$what"; else fail "$what"; fi
}
finish() {
        if [ "$PKG_FAILURES" -eq 0 ]; then
                say "PASS: $(basename "$0")"
                exit 0
        fi
        say "FAILED: $(basename "$0"): $PKG_FAILURES check(s)"
        exit 1
}

project_version() {
        sed -n 's/^project(cglimits VERSION \([0-9.]*\).*/\1/p' "$PKG_SRC/CMakeLists.txt" | head -n1
}

multiarch() {
        local m
        m=$(gcc -print-multiarch 2>/dev/null || true)
        [ -n "$m" ] || m=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || true)
        [ -n "$m" ] || m=x86_64-linux-gnu
        printf '%s\n' "$m"
}

# The MemTotal column of `free -k` output on stdin.
free_total_kb() { awk '$1 == "Mem:" { print $2 }'; }

# make_memory_cgroup BYTES: creates a memory cgroup limited to BYTES, sets CGROUP_DIR to it
# (v2 if the unified hierarchy holds the memory controller, else v1). Returns 1 when none
# can be made.
CGROUP_DIR=""
export CGROUP_VERSION="" # read by the scripts that source this file
make_memory_cgroup() {
        local limit=$1 name="cglimits-pkgtest-$$-$RANDOM"
        if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
                mkdir "/sys/fs/cgroup/$name" 2>/dev/null || return 1
                CGROUP_DIR=/sys/fs/cgroup/$name
                echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
                echo "$limit" >"$CGROUP_DIR/memory.max" 2>/dev/null || { remove_cgroup; return 1; }
                CGROUP_VERSION=v2
        elif [ -d /sys/fs/cgroup/memory ]; then
                mkdir "/sys/fs/cgroup/memory/$name" 2>/dev/null || return 1
                CGROUP_DIR=/sys/fs/cgroup/memory/$name
                echo "$limit" >"$CGROUP_DIR/memory.limit_in_bytes" 2>/dev/null ||
                        { remove_cgroup; return 1; }
                CGROUP_VERSION=v1
        else
                return 1
        fi
        return 0
}

remove_cgroup() {
        [ -n "$CGROUP_DIR" ] || return 0
        local _
        for _ in 1 2 3 4 5 6 7 8 9 10; do
                rmdir "$CGROUP_DIR" 2>/dev/null && break
                sleep 0.2
        done
        [ -d "$CGROUP_DIR" ] && say "warning: could not remove $CGROUP_DIR"
        CGROUP_DIR=""
}

# in_cgroup COMMAND...: runs COMMAND in a child that first joins CGROUP_DIR.
in_cgroup() {
        bash -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CGROUP_DIR" "$@"
}

# configure_and_build BUILD_DIR CMAKE_ARGS...: a fresh build of the library and wrapper.
configure_and_build() {
        local dir=$1
        shift
        say "configuring $dir: cmake $*"
        cmake -S "$PKG_SRC" -B "$dir" -DCGLIMITS_BUILD_TESTS=OFF "$@" >"$dir.configure.log" 2>&1 ||
                { cat "$dir.configure.log"; return 1; }
        cmake --build "$dir" -j"$(nproc)" >"$dir.build.log" 2>&1 ||
                { cat "$dir.build.log"; return 1; }
}

# build_debs BUILD_DIR: a fresh build for /usr and its Debian packages (cpack -G DEB); fails
# the test and finishes when either step fails.
build_debs() {
        local dir=$1
        configure_and_build "$dir" -DCMAKE_INSTALL_PREFIX=/usr || { fail "configure and build"; finish; }
        (cd "$dir" && cpack -G DEB) >"$dir.cpack.log" 2>&1 ||
                { cat "$dir.cpack.log"; fail "cpack -G DEB"; finish; }
}

# check_nothing_left LIST WHAT: no file (directories may stay, shared with other packages)
# named in the file LIST exists any more.
check_nothing_left() {
        local f left=0
        while IFS= read -r f; do
                if [ -e "$f" ] && [ ! -d "$f" ]; then
                        say "   left behind: $f"
                        left=$((left + 1))
                fi
        done <"$1"
        check "no file of $2 is left behind ($(grep -c . "$1") paths checked)" test "$left" = 0
}
