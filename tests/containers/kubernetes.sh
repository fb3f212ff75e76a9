# Sourced by tests/containers/run.sh: the DaemonSet's image built by the private dockerd,
# its install step run for real onto a scratch "node", and the manifests checked offline.
# shellcheck shell=bash

kubernetes_checks() {
        local node=$work/node spec lib rcs
        log "kubernetes: docker build scripts/containers/kubernetes/Dockerfile"
        context_tar | DOCKER_BUILDKIT=0 dk build --network host -q -t cglimits-node \
                -f scripts/containers/kubernetes/Dockerfile - >"$work/build-node.log" 2>&1 ||
                die "docker build of the node image, see $work/build-node.log"
        rm -rf "$node"
        mkdir -p "$node/opt/cglimits" "$node/etc/cdi"
        # Twice: a rerun (a restarted pod, an upgrade) replaces the files in place.
        rcs=
        for _ in 1 2; do
                drun -v "$node/opt/cglimits:/host/opt/cglimits" -v "$node/etc/cdi:/host/etc/cdi" \
                        cglimits-node >>"$work/install-node.log" 2>&1
                rcs="$rcs$?"
        done
        check "the install step exits 0, twice" 00 "$rcs"
        spec=$node/etc/cdi/cglimits-glibc.yaml
        lib=$node/opt/cglimits/lib/libcglimits.so
        check "installed: /opt/cglimits/lib/libcglimits.so" yes "$([ -f "$lib" ] && echo yes)"
        check "installed: /opt/cglimits/bin/cglimits" yes "$([ -x "$node/opt/cglimits/bin/cglimits" ] && echo yes)"
        check "installed: /etc/cdi/cglimits-glibc.yaml, hostPath on the node" \
                /opt/cglimits/lib/libcglimits.so \
                "$(awk '$1 == "-" && $2 == "hostPath:" { print $3 }' "$spec" 2>/dev/null)"
        check "no temporary files left" "" \
                "$(find "$node" -name '*.new.*' | head -n1)"
        # What a runtime does with that spec: the node's library mounted, LD_PRELOAD set.
        check "the installed library, as the spec mounts it: free -k" "$limit_kb" \
                "$(drun -m 256m -v "$lib:/usr/local/lib/cglimits/glibc/libcglimits.so:ro" \
                        -e LD_PRELOAD=/usr/local/lib/cglimits/glibc/libcglimits.so debian:12 \
                        free -k | free_total)"

        log "kubernetes: the manifests, offline"
        if /usr/bin/python3 "$here/check_manifests.py" "$src/scripts/containers/kubernetes" \
                "$node/etc/cdi/cglimits-glibc.yaml" >"$work/manifests.log" 2>&1; then
                check "manifests (see $work/manifests.log)" ok ok
        else
                sed 's/^/   /' "$work/manifests.log"
                check "manifests (see $work/manifests.log)" ok failed
        fi
}
