#!/bin/sh
# Installs the library, the wrapper and the CDI spec of this image onto the node, through the
# hostPath volumes of daemonset.yaml: /opt/cglimits at $CGLIMITS_NODE_ROOT/opt/cglimits and
# /etc/cdi at $CGLIMITS_NODE_ROOT/etc/cdi (CGLIMITS_NODE_ROOT defaults to /host).
#
# Each file is written under a temporary name and renamed into place: containers started
# earlier keep the library they mapped, and the runtime never reads half a spec.
set -eu

root=${CGLIMITS_NODE_ROOT:-/host}
opt=$root/opt/cglimits
cdi=$root/etc/cdi

install_file() { # MODE SOURCE DESTINATION
        cp "$2" "$3.new.$$"
        chmod "$1" "$3.new.$$"
        mv -f "$3.new.$$" "$3"
}

mkdir -p "$opt/lib" "$opt/bin" "$cdi"
install_file 0755 /opt/cglimits/lib/libcglimits.so "$opt/lib/libcglimits.so"
install_file 0755 /opt/cglimits/bin/cglimits "$opt/bin/cglimits"
# The spec last: it names the library, which is in place by now.
for spec in /opt/cglimits/etc/cdi/*.yaml; do
        install_file 0644 "$spec" "$cdi/${spec##*/}"
done
echo "cglimits-install-node: installed $opt and $(ls /opt/cglimits/etc/cdi) in $cdi"
