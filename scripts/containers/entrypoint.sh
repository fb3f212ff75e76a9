#!/bin/sh
# Container entrypoint: runs the command given as arguments with libcglimits.so preloaded,
# so that it and everything it starts see the container's memory limit in /proc/meminfo,
# sysinfo(2) and sysconf(_SC_PHYS_PAGES).
#
#   COPY scripts/containers/entrypoint.sh /usr/local/bin/cglimits-entrypoint
#   ENTRYPOINT ["/usr/local/bin/cglimits-entrypoint"]
#   CMD ["java", "-jar", "/app.jar"]
#
# The library is $CGLIMITS_LIBRARY when set, else the first of the usual installed
# locations that exists. An existing LD_PRELOAD is kept after it, and the library is not
# added twice. If the library is missing, a warning goes to stderr and the command runs
# anyway, with the host's figures: a broken LD_PRELOAD entry would make the dynamic linker
# complain in every process.
set -eu

if [ $# -eq 0 ]; then
        echo "usage: $0 COMMAND [ARGS...]" >&2
        exit 2
fi

lib=""
if [ -n "${CGLIMITS_LIBRARY:-}" ]; then
        [ -f "$CGLIMITS_LIBRARY" ] && lib=$CGLIMITS_LIBRARY
        wanted=$CGLIMITS_LIBRARY
else
        wanted="libcglimits.so (in /usr/local/lib, /usr/lib/<multiarch>, /usr/lib or /cglimits)"
        for candidate in /usr/local/lib/libcglimits.so /usr/lib/*-linux-*/libcglimits.so \
                /usr/lib/libcglimits.so /cglimits/libcglimits.so; do
                if [ -f "$candidate" ]; then
                        lib=$candidate
                        break
                fi
        done
fi

if [ -z "$lib" ]; then
        echo "cglimits-entrypoint: warning: $wanted not found;" \
                "running $1 with the host's memory figures" >&2
else
        case " ${LD_PRELOAD:-} " in
        *" $lib "* | *" $lib:"* | *":$lib "* | *":$lib:"*) ;; # already there
        *)
                LD_PRELOAD="$lib${LD_PRELOAD:+ $LD_PRELOAD}"
                export LD_PRELOAD
                ;;
        esac
fi

exec "$@"
