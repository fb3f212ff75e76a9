# Sourced by the scripts: installs Debian packages that are missing (as root, with apt-get).
# shellcheck shell=bash

ensure_packages() {
        local missing=()
        for pkg in "$@"; do
                dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
                        missing+=("$pkg")
        done
        [ ${#missing[@]} -eq 0 ] && return 0
        if [ "$(id -u)" -ne 0 ]; then
                echo "missing packages: ${missing[*]} (run as root to install them)" >&2
                return 1
        fi
        echo "installing: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y -q "${missing[@]}" >/dev/null; then
                apt-get update -q >/dev/null
                apt-get install -y -q "${missing[@]}" >/dev/null
        fi
}
