#!/bin/bash
# The container suite: scripts/containers built and run by real engines, started and stopped
# here — a private dockerd (own data root, exec root and socket) and rootful podman with a
# private store. Base images come from Debian's packages (mmdebstrap), never a registry,
# cached in $CGLIMITS_CONTAINERS_CACHE (/var/cache/cglimits-tests) by a hash of what went
# in; the engines' stores there are the layer caches. See tests/containers/README.md.
# Exit status: 0 pass, 1 fail, 77 skip (a failure when CI=true). Needs root.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
work=${CGLIMITS_CONTAINERS_DIR:-$src/build-containers}
cache=${CGLIMITS_CONTAINERS_CACHE:-/var/cache/cglimits-tests}
# Short: the exec root holds unix sockets (108 bytes at most). Fixed: podman's database
# records its run root and refuses another one.
run=/run/cglimits-tests
prefix=$work/prefix

. "$here/common.sh"
. "$here/engines.sh"
. "$here/docker.sh"
. "$here/podman.sh"
. "$here/kubernetes.sh"
. "$here/runc-v2.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root (engines, memory limits)"
. "$src/scripts/deps.sh"
ensure_packages docker.io podman runc mmdebstrap musl-tools python3-yaml ||
        skip "the engines' packages could not be installed"

mkdir -p "$work" "$cache"
# One run at a time: the engines' stores and /run/cglimits-tests are shared.
exec 9>"$cache/lock"
flock 9

cleanup() {
        remove_cdi_files
        stop_podman
        stop_dockerd
        # Nothing of the engines stays mounted.
        awk -v r="$run" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r |
                xargs -r -n1 umount -l 2>/dev/null
        rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# install_library CC PREFIX: the library built with CC and installed for real in PREFIX
# (under the work tree), so the CDI spec's hostPath and the wrapper's library path name files
# that exist on this host. A musl compiler gives the spec of the device musl.
install_library() {
        local cc=$1 dest=$2 build=$work/build-${1##*/}
        { CC=$cc cmake -S "$src" -B "$build" -DCGLIMITS_BUILD_TESTS=OFF \
                -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX="$dest" \
                -DCMAKE_INSTALL_LIBDIR=lib &&
                cmake --build "$build" -j"$(nproc)" &&
                rm -rf "$dest" && cmake --install "$build"; } >"$build.log" 2>&1 ||
                die "build of the library with $cc, see $build.log"
}

# The musl busybox of tests/musl (its run.sh builds and checks it; scripts/run-tests runs
# it first, here it runs when the busybox is missing).
find_musl_busybox() {
        local musl=${CGLIMITS_MUSL_DIR:-$src/build-musl}
        musl_busybox=$musl/busybox-build/busybox
        if [ ! -x "$musl_busybox" ]; then
                log "building the musl busybox (tests/musl/run.sh)"
                CGLIMITS_MUSL_DIR=$musl bash "$src/tests/musl/run.sh" >"$work/musl.log" 2>&1 ||
                        die "tests/musl/run.sh, see $work/musl.log"
        fi
}

timed "host build of the library" install_library gcc "$prefix"
hostlib=$prefix/lib/libcglimits.so
timed "musl build of the library" install_library musl-gcc "$prefix-musl"
timed "base image" make_base_tarball

log "docker: a private dockerd"
timed "dockerd start" start_dockerd
import_base dk docker
timed "docker build scripts/containers/debian/Dockerfile" build_debian_image
timed "docker checks of the Debian image" docker_debian_checks
timed "docker checks of the unmodified image" docker_unmodified_checks
find_musl_busybox
timed "docker musl image" docker_musl_checks
timed "Kubernetes DaemonSet image and its install step" kubernetes_checks
log "podman (rootful, runc, cgroupfs)"
setup_podman
import_base pm podman
# The images docker built, handed over rather than built again.
dk save cglimits-debian musl-plain | pm load >"$work/podman-load.log" 2>&1 ||
        die "podman load of the docker images, see $work/podman-load.log"
# Untagged images are also the build stages' layer cache: only those unused for 30 days go.
dk image prune -f --filter until=720h >/dev/null
stop_dockerd
timed "podman checks of the Debian image" podman_debian_checks
timed "podman CDI checks" podman_cdi_checks
remove_cdi_files
stop_podman

timed "runc in the cgroup v2 guest" runc_v2_checks

log "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
