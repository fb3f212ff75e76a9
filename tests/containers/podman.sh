# Sourced by tests/containers/run.sh: rootful podman, and the CDI spec that `cmake --install`
# writes, handed to an unmodified image with --device.
# shellcheck shell=bash

cdi_files=()

podman_debian_checks() {
        local host_total
        host_total=$(host_kb MemTotal)
        log "podman: cglimits-debian (built by docker, loaded into podman)"
        check "podman -m 256m: free -k total" "$limit_kb" \
                "$(pm_run -m 256m cglimits-debian free -k | free_total)"
        check "podman -m 256m: busybox free total" "$limit_kb" \
                "$(pm_run -m 256m cglimits-debian busybox free | free_total)"
        check "podman -m 256m --read-only --user 65534: python3 psutil (kB)" "$limit_kb" \
                "$(pm_run -m 256m --read-only --user 65534 cglimits-debian /usr/bin/python3 -c \
                        'import psutil; print(psutil.virtual_memory().total // 1024)')"
        check "podman, no -m: the host's total" "$host_total" \
                "$(pm_run cglimits-debian free -k | free_total)"
}

podman_cdi_checks() {
        local spec=$prefix/etc/cdi/cglimits-glibc.yaml host_total out
        host_total=$(host_kb MemTotal)
        log "podman: the installed CDI spec ($spec)"
        check "cmake --install wrote etc/cdi/cglimits-glibc.yaml" yes "$([ -f "$spec" ] && echo yes)"
        check "the spec's hostPath is the installed library" "$prefix/lib/libcglimits.so" \
                "$(awk '$1 == "-" && $2 == "hostPath:" { print $3 }' "$spec")"
        # /var/run/cdi outranks /etc/cdi, where a package may have installed the same device.
        mkdir -p /var/run/cdi
        cdi_files=(/var/run/cdi/cglimits-test-glibc.yaml /var/run/cdi/cglimits-test-musl.yaml)
        cp "$spec" "${cdi_files[0]}"
        # The musl build's spec too: two files, one kind, a device each.
        cp "$prefix-musl/etc/cdi/cglimits-musl.yaml" "${cdi_files[1]}"

        log "podman: --device cglimits.dev/preload=glibc -m 256m on the unmodified debian:12"
        out=$(pm_run -m 256m --device cglimits.dev/preload=glibc debian:12 sh -c '
                echo "free $(free -k | awk "\$1 == \"Mem:\" { print \$2 }")"
                echo "cat $(awk "\$1 == \"MemTotal:\" { print \$2 }" /proc/meminfo)"
                echo "python $(/usr/bin/python3 -c "import os; print(os.sysconf(\"SC_PHYS_PAGES\") * os.sysconf(\"SC_PAGE_SIZE\") // 1024)")"
                echo "psutil $(/usr/bin/python3 -c "import psutil; print(psutil.virtual_memory().total // 1024)")"
                echo "preload $LD_PRELOAD"' 2>"$work/podman-cdi.log") ||
                sed 's/^/   podman: /' "$work/podman-cdi.log"
        check "CDI device: free -k total" "$limit_kb" "$(awk '$1 == "free" { print $2 }' <<<"$out")"
        check "CDI device: cat /proc/meminfo MemTotal" "$limit_kb" "$(awk '$1 == "cat" { print $2 }' <<<"$out")"
        check "CDI device: python3 os.sysconf(SC_PHYS_PAGES) (kB)" "$limit_kb" "$(awk '$1 == "python" { print $2 }' <<<"$out")"
        check "CDI device: python3 psutil total (kB)" "$limit_kb" "$(awk '$1 == "psutil" { print $2 }' <<<"$out")"
        check "CDI device: LD_PRELOAD" /usr/local/lib/cglimits/glibc/libcglimits.so \
                "$(awk '$1 == "preload" { print $2 }' <<<"$out")"
        check "without the device: free -k total is the host's" "$host_total" \
                "$(pm_run -m 256m debian:12 free -k | free_total)"
        check "CDI device with --read-only --user 65534: free -k" "$limit_kb" \
                "$(pm_run -m 256m --read-only --user 65534 --device cglimits.dev/preload=glibc \
                        debian:12 free -k | free_total)"
        # A CDI spec sets variables: the image's own LD_PRELOAD is replaced (documented).
        check "CDI device over -e LD_PRELOAD=/nonexistent.so: the device's value" \
                /usr/local/lib/cglimits/glibc/libcglimits.so \
                "$(pm_run --device cglimits.dev/preload=glibc -e LD_PRELOAD=/nonexistent.so \
                        debian:12 sh -c 'echo "$LD_PRELOAD"' 2>/dev/null)"

        log "podman: --device cglimits.dev/preload=musl on an unmodified musl image (FROM scratch)"
        check "musl device: busybox free total" "$limit_kb" \
                "$(pm_run -m 256m --device cglimits.dev/preload=musl musl-plain free | free_total)"
        check "musl device: busybox cat /proc/meminfo MemTotal" "$limit_kb" \
                "$(pm_run -m 256m --device cglimits.dev/preload=musl musl-plain cat /proc/meminfo |
                        meminfo_kb MemTotal)"
        check "without the device: the host's total" "$host_total" \
                "$(pm_run -m 256m musl-plain free | free_total)"
}

remove_cdi_files() {
        [ ${#cdi_files[@]} -gt 0 ] && rm -f "${cdi_files[@]}"
        cdi_files=()
}
