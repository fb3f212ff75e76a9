#!/usr/bin/env bash
# Runs inside the cgroup v2 guest (scripts/v2-guest): turns swap on, so that the swap
# figures are real, then runs the integration tests of BUILD_DIR, configured for v2.
set -euo pipefail
build=${1:?usage: guest-suite.sh BUILD_DIR}
if [ -n "${CGLIMITS_GUEST_SWAPDEV:-}" ] && [ -b "$CGLIMITS_GUEST_SWAPDEV" ]; then
        mkswap -q "$CGLIMITS_GUEST_SWAPDEV" >/dev/null && swapon "$CGLIMITS_GUEST_SWAPDEV"
fi
echo "guest: $(uname -r), cgroup2 controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
grep -E '^(MemTotal|SwapTotal)' /proc/meminfo
ctest --test-dir "$build" -L integration --output-on-failure -j2 --timeout 600
