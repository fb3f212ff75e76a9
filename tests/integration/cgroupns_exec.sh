#!/bin/sh
# usage (inside `unshare --cgroup --mount`):
#   cgroupns_exec.sh CGROUP_VERSION MOUNTPOINT PRELOAD CMD...
# Mounts the cgroup filesystem (v1: the memory hierarchy; v2: cgroup2) at
# MOUNTPOINT, as a container runtime does, so that the mount's root is this
# cgroup namespace's root; then runs CMD with LD_PRELOAD=PRELOAD.
# Exit status 126: the mount failed.
set -u
ver=$1 mnt=$2 preload=$3
shift 3
# the same superblock cannot be mounted twice on one mount point: take the
# host's mount away first (in this private mount namespace only)
umount -l "$mnt" 2>/dev/null || true
if [ "$ver" = 2 ]; then
  mount -t cgroup2 cglimits-cgroup2 "$mnt" || exit 126
else
  mount -t cgroup -o memory cglimits-memory "$mnt" || exit 126
fi
echo "cgroup namespace: $(grep -E ':memory:|^0::' /proc/self/cgroup | head -n 1)," \
  "mount root: $(awk -v m="$mnt" '$5 == m { print $4 }' /proc/self/mountinfo | tail -n 1)" >&2
exec env LD_PRELOAD="$preload" "$@"
