#!/bin/sh
# The public library's ABI against the committed baseline (lib/cglimits-query.abi), with
# abidiff from abigail-tools: any difference fails, so a change that breaks the ABI cannot
# pass unnoticed. Then a negative control: a stand-in library built from the header with one
# field narrowed must be told apart, or the comparison is blind and the test fails too.
#
#   abi_check.sh LIBRARY BASELINE HEADER VERSION_SCRIPT WORKDIR
#
# An intended change (new calls, a struct grown at its end) updates the baseline:
#   abidw --no-corpus-path --no-show-locs build/libcglimits-query.so |
#           sed "s# comp-dir-path='[^']*'##; s#path='$PWD/#path='#" > lib/cglimits-query.abi
set -eu
lib=$1 baseline=$2 header=$3 map=$4 work=$5
command -v abidiff >/dev/null || { echo "abidiff not found (apt-get install abigail-tools)"; exit 1; }

rc=0
abidiff "$baseline" "$lib" || rc=$?
if [ "$rc" != 0 ]; then
        echo "FAIL: $lib differs from $baseline (abidiff status $rc)"
        exit 1
fi
echo "ok: $lib has the ABI of $baseline"

rm -rf "$work" && mkdir -p "$work/narrowed"
sed 's/uint64_t free; /uint32_t free; /' "$header" >"$work/narrowed/cglimits.h"
grep -q 'uint32_t free; ' "$work/narrowed/cglimits.h" || { echo "FAIL: cannot make the control"; exit 1; }
cat >"$work/stand_in.c" <<'C'
#include "cglimits.h"
int cglimits_memory(struct cglimits_memory *m, unsigned flags)
{
        return (int)(m->size + flags);
}
int cglimits_memory_pid(pid_t pid, struct cglimits_memory *m, unsigned flags)
{
        return (int)(pid + m->size + flags);
}
const char *cglimits_version(void)
{
        return "0";
}
C
${CC:-cc} -g -shared -fPIC -I"$work/narrowed" -Wl,--version-script="$map" \
        -Wl,-soname,libcglimits-query.so.1 "$work/stand_in.c" -o "$work/narrowed.so"
rc=0
abidiff "$baseline" "$work/narrowed.so" >"$work/control.txt" || rc=$?
if [ "$rc" = 0 ]; then
        echo "FAIL: abidiff does not see a narrowed field of struct cglimits_memory"
        exit 1
fi
echo "ok: the control (a field narrowed) is reported (abidiff status $rc)"
