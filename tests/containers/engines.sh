# Sourced by tests/containers/run.sh: a private dockerd and rootful podman, started and
# stopped by the suite. Debian's docker CLI is called by its absolute path with the private
# socket: another docker client on PATH (or DOCKER_HOST) must not reach another daemon.
# shellcheck shell=bash

docker_pid=

dk() { /usr/bin/docker -H "unix://$run/docker.sock" "$@"; }

start_dockerd() {
        local i
        [ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker ] ||
                skip "Debian's docker.io is not installed (/usr/sbin/dockerd, /usr/bin/docker)"
        mkdir -p "$cache/docker" "$run"
        # No iptables, no bridge: every container runs with --network none, builds with
        # --network host. The data root is kept between runs as the layer cache.
        /usr/sbin/dockerd --data-root "$cache/docker" --exec-root "$run/docker" \
                --pidfile "$run/dockerd.pid" -H "unix://$run/docker.sock" \
                --iptables=false --ip-masq=false --bridge=none --exec-opt native.cgroupdriver=cgroupfs \
                >"$work/dockerd.log" 2>&1 &
        docker_pid=$!
        # A deadline for a daemon that never answers, not a measurement.
        for i in $(seq 1 240); do
                dk version >/dev/null 2>&1 && return 0
                kill -0 "$docker_pid" 2>/dev/null || break
                sleep 0.5
        done
        tail -n 5 "$work/dockerd.log" | sed 's/^/   dockerd: /'
        stop_dockerd
        skip "the private dockerd did not start (see $work/dockerd.log)"
}

stop_dockerd() {
        [ -n "$docker_pid" ] || return 0
        dk ps -aq 2>/dev/null | xargs -r /usr/bin/docker -H "unix://$run/docker.sock" rm -f \
                >/dev/null 2>&1 || true
        kill "$docker_pid" 2>/dev/null || true
        wait "$docker_pid" 2>/dev/null || true
        docker_pid=
}

podman_options=()

pm() { podman "${podman_options[@]}" "$@"; }

# crun refuses a hybrid cgroup layout and podman's default rlimits exceed the hard limits
# of such hosts: runc, cgroupfs and explicit rlimits (run options in pm_run).
setup_podman() {
        command -v podman >/dev/null || skip "podman is not installed"
        command -v runc >/dev/null || skip "runc is not installed"
        mkdir -p "$cache/podman" "$run/podman"
        podman_options=(--root "$cache/podman/storage" --runroot "$run/podman/run"
                --tmpdir "$run/podman/tmp" --runtime runc --cgroup-manager cgroupfs
                --events-backend file)
        if ! pm info >"$work/podman-info.log" 2>&1; then
                # A store made with other paths (podman keeps them in its database) is only
                # a cache: start a new one.
                grep -q 'database configuration mismatch' "$work/podman-info.log" || \
                        skip "podman does not start (see $work/podman-info.log)"
                log "podman: the cached store was made with other paths, starting a new one"
                rm -rf "$cache/podman"
                mkdir -p "$cache/podman"
                pm info >"$work/podman-info.log" 2>&1 ||
                        skip "podman does not start (see $work/podman-info.log)"
        fi
}

pm_run() {
        local nofile nproc
        nofile=$(ulimit -Hn)
        nproc=$(ulimit -Hu)
        [ "$nofile" = unlimited ] && nofile=1048576
        [ "$nproc" = unlimited ] && nproc=65536
        [ "$nofile" -gt 1024 ] && nofile=1024
        [ "$nproc" -gt 4096 ] && nproc=4096
        pm run --rm --network none --ulimit "nofile=$nofile:$nofile" \
                --ulimit "nproc=$nproc:$nproc" "$@"
}

stop_podman() {
        [ ${#podman_options[@]} -gt 0 ] || return 0
        pm rm -af >/dev/null 2>&1 || true
        podman_options=()
}

# import_base ENGINE-FUNCTION NAME: the base tarball as debian:12, unless that image already
# carries the tarball's key.
import_base() {
        local engine=$1 name=$2 have
        have=$("$engine" image inspect --format '{{ index .Config.Labels "cglimits.base" }}' \
                debian:12 2>/dev/null || true)
        if [ "$have" = "$base_key" ]; then
                log "$name: debian:12 is the cached base $base_key"
                return 0
        fi
        log "$name: importing the base image as debian:12"
        "$engine" import --change "LABEL cglimits.base=$base_key" --change 'CMD ["/bin/bash"]' \
                "$base_tar" debian:12 >"$work/import-$name.log" 2>&1 ||
                die "$name import $base_tar, see $work/import-$engine.log"
}
