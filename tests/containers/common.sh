# Sourced by tests/containers/run.sh: the host's figures, the base image.
# shellcheck shell=bash

check_width=58
. "$here/../common/report.sh"
limit_kb=262144

# Figures of the host, read without the library (nothing here runs preloaded).
host_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# Filters for the programs' output: the total of free's Mem: or Swap: row.
free_total() { awk -v row="${1:-Mem:}" '$1 == row { print $2; exit }'; }
meminfo_kb() { awk -v k="$1:" '$1 == k { print $2; exit }'; }

# The base image: Debian 12 minbase from Debian's packages, with the programs the checks run.
# It is cached as a tarball named by a hash of everything that goes into it; the engines
# import it under the name the Dockerfiles start from (debian:12) and a label with that hash.
base_packages="procps busybox python3-psutil nodejs"
base_sources=(
        "deb http://deb.debian.org/debian bookworm main"
        "deb http://deb.debian.org/debian bookworm-updates main"
        "deb http://deb.debian.org/debian-security bookworm-security main"
)

make_base_tarball() {
        local key tar tmp
        key=$({
                echo "$base_packages"
                printf '%s\n' "${base_sources[@]}"
                dpkg-query -W -f='${Version}\n' mmdebstrap
                declare -f make_base_tarball
        } | sha256sum | cut -c1-16)
        tar=$cache/base/bookworm-$key.tar
        base_key=$key
        base_tar=$tar
        if [ -s "$tar" ]; then
                log "base image: cached $tar"
                return 0
        fi
        mkdir -p "$cache/base"
        # mmdebstrap picks the format from the name: the temporary one ends in .tar too.
        tmp=$cache/base/partial-$$.tar
        log "base image: mmdebstrap --variant=minbase bookworm + ${base_packages// /,}"
        if ! mmdebstrap --variant=minbase --include="${base_packages// /,}" bookworm "$tmp" \
                "${base_sources[@]}" >"$work/mmdebstrap.log" 2>&1; then
                rm -rf "$tmp"
                skip "mmdebstrap could not build the base image (no Debian mirror?), see $work/mmdebstrap.log"
        fi
        mv "$tmp" "$tar"
}
