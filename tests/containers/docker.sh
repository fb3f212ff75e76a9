# Sourced by tests/containers/run.sh: the images of scripts/containers built and run by a
# private dockerd.
# shellcheck shell=bash

# The build context: the files of the work tree that git tracks or would track, so local
# build trees are not sent to the daemon.
context_tar() {
        (cd "$src" && git ls-files -z --cached --others --exclude-standard |
                xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
                tar --null -T - -cf -)
}

build_debian_image() {
        # The legacy builder: BuildKit is not in Debian's docker.io 20.10.
        context_tar | DOCKER_BUILDKIT=0 dk build --network host -q -t cglimits-debian \
                -f scripts/containers/debian/Dockerfile - >"$work/build-debian.log" 2>&1 ||
                die "docker build of scripts/containers/debian/Dockerfile, see $work/build-debian.log"
}

# drun OPTIONS... IMAGE COMMAND...: a container without a network, removed afterwards.
drun() { dk run --rm --network none "$@"; }

docker_debian_checks() {
        local host_total host_swap out want_swap cid
        host_total=$(host_kb MemTotal)
        host_swap=$(host_kb SwapTotal)

        log "docker: cglimits-debian (/etc/ld.so.preload) with -m 256m"
        out=$(drun -m 256m cglimits-debian sh -c '
                echo "free-k $(free -k | awk "\$1 == \"Mem:\" { print \$2 }")"
                echo "free-h $(free -h | awk "\$1 == \"Mem:\" { print \$2 }")"
                echo "busybox $(busybox free | awk "\$1 == \"Mem:\" { print \$2 }")"
                echo "getconf $(( $(getconf _PHYS_PAGES) * $(getconf PAGESIZE) / 1024 ))"
                echo "cat $(awk "\$1 == \"MemTotal:\" { print \$2 }" /proc/meminfo)"
                echo "psutil $(/usr/bin/python3 -c "import psutil; print(psutil.virtual_memory().total // 1024)")"
                echo "node $(node -e "console.log(require(\"os\").totalmem() / 1024)")"')
        check "free -k: Mem total (kB)" "$limit_kb" "$(awk '$1 == "free-k" { print $2 }' <<<"$out")"
        check "free -h: Mem total" 256Mi "$(awk '$1 == "free-h" { print $2 }' <<<"$out")"
        check "busybox free: Mem total (kB)" "$limit_kb" "$(awk '$1 == "busybox" { print $2 }' <<<"$out")"
        check "getconf _PHYS_PAGES x PAGESIZE (kB)" "$limit_kb" "$(awk '$1 == "getconf" { print $2 }' <<<"$out")"
        check "cat /proc/meminfo: MemTotal (kB)" "$limit_kb" "$(awk '$1 == "cat" { print $2 }' <<<"$out")"
        check "python3 psutil.virtual_memory().total (kB)" "$limit_kb" "$(awk '$1 == "psutil" { print $2 }' <<<"$out")"
        check "node os.totalmem() (kB)" "$limit_kb" "$(awk '$1 == "node" { print $2 }' <<<"$out")"

        log "docker: a setuid-root program (CGLIMITS_* ignored) and its non-setuid twin"
        # setpriv drops to nobody; the setuid copy of free runs as root again (secure mode).
        out=$(drun -m 256m cglimits-debian sh -c '
                cp /usr/bin/free /usr/local/bin/free-setuid && chmod 4755 /usr/local/bin/free-setuid
                for f in free-setuid free; do
                        echo "$f $(setpriv --reuid 65534 --regid 65534 --clear-groups \
                                env CGLIMITS_MEMORY=128M $f -k | awk "\$1 == \"Mem:\" { print \$2 }")"
                done')
        check "setuid-root free, CGLIMITS_MEMORY=128M ignored (kB)" "$limit_kb" \
                "$(awk '$1 == "free-setuid" { print $2 }' <<<"$out")"
        check "the same free without setuid honours CGLIMITS_MEMORY=128M" 131072 \
                "$(awk '$1 == "free" { print $2 }' <<<"$out")"

        log "docker: --user 65534 --read-only, no -m, CGLIMITS_DISABLE=1"
        check "--user 65534 --read-only: free -k total" "$limit_kb" \
                "$(drun -m 256m --user 65534 --read-only cglimits-debian free -k | free_total)"
        check "no -m: free -k total is the host's" "$host_total" \
                "$(drun cglimits-debian free -k | free_total)"
        check "CGLIMITS_DISABLE=1: free -k total is the host's" "$host_total" \
                "$(drun -m 256m -e CGLIMITS_DISABLE=1 cglimits-debian free -k | free_total)"

        log "docker: -m 256m --memory-swap 384m (host swap: $host_swap kB)"
        # v1: SwapTotal is the memsw limit minus the memory limit, never above the host's swap.
        want_swap=131072
        [ "$host_swap" -lt "$want_swap" ] && want_swap=$host_swap
        out=$(drun -m 256m --memory-swap 384m cglimits-debian free -k)
        check "free -k: Mem total" "$limit_kb" "$(free_total Mem: <<<"$out")"
        check "free -k: Swap total (min of 128 MiB and the host's swap)" "$want_swap" \
                "$(free_total Swap: <<<"$out")"

        docker_update_check

        log "docker: the truth check (-m 256m --memory-swap 256m: no swap to escape to)"
        out=$(drun -m 256m --memory-swap 256m cglimits-debian /usr/bin/python3 -c '
avail = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemAvailable:"))
b = bytearray((avail - 8 * 1024) * 1024)  # bytearray(n) writes every byte
print("survived", avail)') || true
        check "allocating MemAvailable - 8 MiB survives" survived "$(awk '{ print $1 }' <<<"$out")"
        echo "      (MemAvailable inside: $(awk '{ print $2 }' <<<"$out") kB)"
        cid=$(dk create --network none -m 256m --memory-swap 256m cglimits-debian /usr/bin/python3 -c '
total = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal:"))
b = bytearray((total + 32 * 1024) * 1024)
print("survived", total)')
        dk start -a "$cid" >"$work/oom.log" 2>&1 || true
        check "allocating MemTotal + 32 MiB: OOM-killed" "true 137" \
                "$(dk inspect --format '{{ .State.OOMKilled }} {{ .State.ExitCode }}' "$cid")"
        dk rm -f "$cid" >/dev/null
}

# free -s 1 and top keep /proc/meminfo open and seek back to 0 for each refresh: after
# docker update -m, the new total must appear in the same processes.
docker_update_check() {
        local cid i seen
        log "docker: docker update -m on a running container (free -s 1 and top keep their files open)"
        cid=$(dk run -d --network none -m 256m --memory-swap 1g cglimits-debian sh -c '
                free -k -s 1 | awk "\$1 == \"Mem:\" { print \"free\", \$2; fflush() }" &
                top -b -d 1 -E k -w 200 | awk "/ Mem *:/ { print \"top\", \$4; fflush() }" &
                wait')
        wait_for_totals "$cid" "$limit_kb" || true
        check "before the update: free -s 1 and top show 256 MiB" "$limit_kb $limit_kb" "$seen"
        dk update -m 512m --memory-swap 1g "$cid" >/dev/null || echo "      docker update failed"
        wait_for_totals "$cid" 524288 || true
        check "after docker update -m 512m, same processes" "524288 524288" "$seen"
        check "free and top were not restarted (one pid each)" "1 1" \
                "$(dk exec "$cid" sh -c 'echo $(pgrep -cx free) $(pgrep -cx top)')"
        dk rm -f "$cid" >/dev/null
}

# Waits (a deadline, not a measurement) for the last free and top lines of a container to
# show a total; sets seen to "FREE TOP" as last read.
wait_for_totals() {
        local cid=$1 want=$2 i logs
        for i in $(seq 1 120); do
                logs=$(dk logs "$cid" 2>&1)
                seen="$(awk '$1 == "free" { f = $2 } END { print f }' <<<"$logs") $(awk '$1 == "top" { t = int($2) } END { print t }' <<<"$logs")"
                [ "$seen" = "$want $want" ] && return 0
                sleep 1
        done
        return 1
}

# entrypoint.sh and the cglimits wrapper on the unmodified base image, with the library
# built on this host bind-mounted read-only.
docker_unmodified_checks() {
        local host_total
        host_total=$(host_kb MemTotal)
        log "docker: entrypoint.sh on the unmodified debian:12, library bind-mounted"
        check "entrypoint.sh: free -k total" "$limit_kb" \
                "$(drun -m 256m -v "$hostlib:/cglimits/libcglimits.so:ro" \
                        -v "$src/scripts/containers/entrypoint.sh:/usr/local/bin/cglimits-entrypoint:ro" \
                        --entrypoint /usr/local/bin/cglimits-entrypoint debian:12 free -k | free_total)"
        check "without the entrypoint: the host's total" "$host_total" \
                "$(drun -m 256m -v "$hostlib:/cglimits/libcglimits.so:ro" debian:12 free -k | free_total)"
        # The install tree keeps the path it was configured with: the wrapper names the library.
        log "docker: the cglimits wrapper ($prefix bind-mounted at the same path)"
        check "cglimits free -k: total" "$limit_kb" \
                "$(drun -m 256m -v "$prefix:$prefix:ro" debian:12 "$prefix/bin/cglimits" free -k |
                        free_total)"
        check "cglimits python3 psutil (kB)" "$limit_kb" \
                "$(drun -m 256m -v "$prefix:$prefix:ro" debian:12 "$prefix/bin/cglimits" \
                        /usr/bin/python3 -c 'import psutil; print(psutil.virtual_memory().total // 1024)')"
}

# A musl image FROM scratch: Debian's musl loader, the musl busybox of tests/musl and the
# musl build of the library.
docker_musl_checks() {
        local ctx=$work/musl-context host_total
        host_total=$(host_kb MemTotal)
        log "docker: FROM scratch with musl's loader, a musl busybox and the musl library"
        rm -rf "$ctx"
        mkdir -p "$ctx/root/lib" "$ctx/root/bin" "$ctx/root/usr/lib" "$ctx/root/proc"
        cp -L /lib/ld-musl-x86_64.so.1 "$ctx/root/lib/ld-musl-x86_64.so.1"
        cp "$musl_busybox" "$ctx/root/bin/busybox"
        cp "$prefix-musl/lib/libcglimits.so" "$ctx/root/usr/lib/libcglimits.so"
        for applet in sh cat free top; do ln -s busybox "$ctx/root/bin/$applet"; done
        cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY root/ /
ENV PATH=/bin LD_PRELOAD=/usr/lib/libcglimits.so
CMD ["free"]
EOF
        DOCKER_BUILDKIT=0 dk build -q -t cglimits-musl "$ctx" >"$work/build-musl.log" 2>&1 ||
                die "docker build of the musl image, see $work/build-musl.log"
        # The same without the library: an unmodified musl image for the CDI device.
        rm "$ctx/root/usr/lib/libcglimits.so"
        sed -i 's/ LD_PRELOAD=[^ ]*$//' "$ctx/Dockerfile"
        DOCKER_BUILDKIT=0 dk build -q -t musl-plain "$ctx" >>"$work/build-musl.log" 2>&1 ||
                die "docker build of the plain musl image, see $work/build-musl.log"
        check "musl busybox free: Mem total" "$limit_kb" "$(drun -m 256m cglimits-musl free | free_total)"
        check "musl busybox cat /proc/meminfo: MemTotal" "$limit_kb" \
                "$(drun -m 256m cglimits-musl cat /proc/meminfo | meminfo_kb MemTotal)"
        check "musl, LD_PRELOAD emptied: the host's total" "$host_total" \
                "$(drun -m 256m -e LD_PRELOAD= cglimits-musl free | free_total)"
}
