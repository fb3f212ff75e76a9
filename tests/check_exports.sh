#!/bin/sh
# Fails unless the library exports exactly the names listed in the version script.
set -eu
lib=$1
map=$2
want=$(sed -n 's/^ *\([^#]*\)$/\1/p' "$map" | tr ' ;' '\n\n' |
        grep -E '^[A-Za-z_][A-Za-z0-9_]*$' | grep -vx -e global -e local | sort -u)
got=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TWiV]$/ || $2 ~ /^[DBR]$/ {print $3}' |
        sed 's/@.*//' | sort -u)
if [ "$want" != "$got" ]; then
        echo "exported symbols differ from $map:"
        diff -u /dev/fd/3 /dev/fd/4 3<<W 4<<G || true
$want
W
$got
G
        exit 1
fi
echo "$(echo "$got" | wc -l) exported symbols, all interposed names"
