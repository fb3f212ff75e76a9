# Sourced by tests/containers/run.sh: runc in the cgroup v2 QEMU guest (scripts/v2-guest),
# a bundle whose rootfs is the base image's tree, with a memory limit and the private cgroup
# namespace that runtimes use under v2: inside, /proc/self/cgroup says 0::/ and the
# container's own cgroup is the root of /sys/fs/cgroup.
# shellcheck shell=bash

runc_v2_checks() {
        local rootfs=$work/runc-rootfs mnt=$work/runc-mnt bundle=$work/runc-bundle out guest_total
        local swap_kb=32768 want_swap guest_swap
        log "runc in the cgroup v2 guest: the bundle"
        if [ "$(cat "$rootfs/.cglimits-base" 2>/dev/null)" != "$base_key" ]; then
                rm -rf "$rootfs"
                mkdir -p "$rootfs"
                tar -xf "$base_tar" -C "$rootfs" --exclude './dev/*' || die "unpacking $base_tar"
                echo "$base_key" >"$rootfs/.cglimits-base"
        fi
        rm -rf "$mnt" "$bundle"
        mkdir -p "$mnt" "$bundle"
        cp "$hostlib" "$mnt/libcglimits.so"
        cat >"$mnt/check.sh" <<'CHECK'
total() { awk '$1 == "Mem:" { print $2 }'; }
echo "cgroup $(cat /proc/self/cgroup)"
echo "memory.max $(cat /sys/fs/cgroup/memory.max)"
echo "memory.swap.max $(cat /sys/fs/cgroup/memory.swap.max)"
echo "plain $(free -k | total)"
export LD_PRELOAD=/mnt/libcglimits.so
echo "free $(free -k | total)"
echo "swap $(free -k | awk '$1 == "Swap:" { print $2 }')"
echo "busybox $(busybox free | total)"
echo "cat $(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)"
echo "psutil $(/usr/bin/python3 -c 'import psutil; print(psutil.virtual_memory().total // 1024)')"
CHECK
        (cd "$bundle" && runc spec) || die "runc spec"
        /usr/bin/python3 "$here/runc_bundle.py" "$bundle/config.json" "$rootfs" "$mnt" \
                $((limit_kb * 1024)) $((swap_kb * 1024)) >"$bundle/config.json.new" &&
                mv "$bundle/config.json.new" "$bundle/config.json" || die "writing config.json"

        log "runc in the cgroup v2 guest: runc run"
        # --timeout: a deadline for a guest that never ends, not a measurement.
        (cd "$src" && scripts/v2-guest --timeout 900 -- bash tests/containers/guest-runc.sh \
                "$bundle") >"$work/runc-v2.log" 2>&1
        # The guest's lines (a first use of v2-guest also logs its setup: not shown).
        out=$(grep -E '^(guest|cgroup|memory\.max|memory\.swap\.max|plain|free|swap|busybox|cat|psutil|runc) ' \
                "$work/runc-v2.log")
        sed 's/^/   /' <<<"$out"
        grep -q '^runc exit 0$' <<<"$out" || tail -n 20 "$work/runc-v2.log" | sed 's/^/   guest: /'
        guest_total=$(awk '$1 == "guest" && $2 == "MemTotal" { print $3 }' <<<"$out")
        guest_swap=$(awk '$1 == "guest" && $2 == "SwapTotal" { print $3 }' <<<"$out")
        want_swap=$swap_kb
        [ "${guest_swap:-0}" -lt "$want_swap" ] && want_swap=${guest_swap:-0}
        check "runc exits 0" 0 "$(awk '$1 == "runc" && $2 == "exit" { print $3 }' <<<"$out")"
        check "/proc/self/cgroup in the container: 0::/ (namespace root)" "0::/" \
                "$(awk '$1 == "cgroup" { print $2 }' <<<"$out")"
        check "memory.max at the namespace root" $((limit_kb * 1024)) \
                "$(awk '$1 == "memory.max" { print $2 }' <<<"$out")"
        check "without the library: the guest's MemTotal" "${guest_total:-?}" \
                "$(awk '$1 == "plain" { print $2 }' <<<"$out")"
        check "memory.swap.max at the namespace root" $((swap_kb * 1024)) \
                "$(awk '$1 == "memory.swap.max" { print $2 }' <<<"$out")"
        check "v2 runc: free -k total" "$limit_kb" "$(awk '$1 == "free" { print $2 }' <<<"$out")"
        check "v2 runc: free -k Swap total (min of 32 MiB and the guest's swap)" "$want_swap" \
                "$(awk '$1 == "swap" { print $2 }' <<<"$out")"
        check "v2 runc: busybox free total" "$limit_kb" "$(awk '$1 == "busybox" { print $2 }' <<<"$out")"
        check "v2 runc: cat /proc/meminfo MemTotal" "$limit_kb" "$(awk '$1 == "cat" { print $2 }' <<<"$out")"
        check "v2 runc: python3 psutil total (kB)" "$limit_kb" "$(awk '$1 == "psutil" { print $2 }' <<<"$out")"
}
