#!/bin/bash
# Runs in the cgroup v2 guest (scripts/v2-guest): `runc run` of the bundle BUNDLE, whose
# config.json tests/containers/runc_bundle.py wrote. Prints runc's output (the check
# script's lines); the host judges them.
set -uo pipefail
bundle=$1
mkdir -p /run/runc
# The guest's spare disk as swap, so that the swap rows have something to show.
mkswap "$CGLIMITS_GUEST_SWAPDEV" >/dev/null && swapon "$CGLIMITS_GUEST_SWAPDEV" ||
        echo "guest: no swap"
echo "guest SwapTotal $(awk '$1 == "SwapTotal:" { print $2 }' /proc/meminfo)"
echo "guest MemTotal $(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)"
runc --root /run/runc run --bundle "$bundle" cglimits-runc-check </dev/null
echo "runc exit $?"
