#!/bin/bash
# Builds the shim against musl and checks it inside a 256 MiB memory cgroup with a musl probe
# program and a dynamically linked musl busybox built from Debian's source package.
# Exit status: 0 pass, 1 fail, 77 skip (a failure when CI=true). Needs root.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
work=${CGLIMITS_MUSL_DIR:-$src/build-musl}
limit_bytes=268435456
limit_kb=$((limit_bytes / 1024))
want_symbols="fopen fopen64 freopen freopen64 fseek fseeko fseeko64 fsetpos fsetpos64
get_avphys_pages get_nprocs get_phys_pages lseek lseek64 open open64 openat openat64 rewind sysconf sysinfo"
# stackprobe's names for musl's entry points (*_other: the same call for /dev/null, passed
# through), and the most stack the library's own frames may add to a call.
stack_entries="open open64 openat openat64 fopen fopen64 freopen freopen64 lseek lseek64 rewind
fseek fseeko fseeko64 fsetpos fsetpos64 sysinfo sysconf_phys sysconf_avphys get_phys_pages
get_avphys_pages sysconf_nprocs get_nprocs open_other open64_other openat_other openat64_other fopen_other fopen64_other"
stack_budget=4096
busybox_options="PLATFORM_LINUX BUSYBOX CAT FREE TOP FEATURE_TOP_CPU_USAGE_PERCENTAGE
FEATURE_TOP_CPU_GLOBAL_PERCENTS"

cgroup=

. "$here/../common/report.sh"

cleanup() {
        [ -n "$cgroup" ] || return 0
        for _ in {1..10}; do
                [ -d "$cgroup" ] || return 0
                rmdir "$cgroup" 2>/dev/null && return 0
                sleep 0.2
        done
        echo "warning: could not remove $cgroup"
}
trap cleanup EXIT

install_missing() {
        local -A package_of=([musl-gcc]=musl-tools [dpkg-source]=dpkg-dev [gcc]=build-essential
                [make]=build-essential [cmake]=cmake [file]=file [nm]=binutils [bzip2]=bzip2
                [xz]=xz-utils [apt-get]=apt)
        local tool packages=()
        for tool in "${!package_of[@]}"; do
                command -v "$tool" >/dev/null || packages+=("${package_of[$tool]}")
        done
        [ ${#packages[@]} -eq 0 ] && return 0
        command -v apt-get >/dev/null || skip "missing tools and no apt-get: ${packages[*]}"
        mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
        log "installing ${packages[*]}"
        if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                "${packages[@]}"; } >"$work/apt-install.log" 2>&1; then
                skip "apt-get install failed, see $work/apt-install.log"
        fi
}

build_shim() {
        if ! { CC=musl-gcc cmake -S "$src" -B "$work/shim" -DCGLIMITS_BUILD_TESTS=OFF \
                -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build "$work/shim" -j"$(nproc)"; } \
                >"$work/shim.log" 2>&1; then
                die "musl shim build failed, see $work/shim.log"
        fi
        shim=$work/shim/libcglimits.so
        [ -f "$shim" ] || die "no $shim after the build"
}

build_probe() {
        musl-gcc -O2 -Wall -Wextra -o "$work/probe" "$here/probe.c" >"$work/probe.log" 2>&1 ||
                die "probe build failed, see $work/probe.log"
}

# -z now: a first call's stack depth is the callee's, not that of a lazy binding resolver.
build_stackprobe() {
        musl-gcc -O2 -Wall -Wextra -pthread -Wl,-z,now -o "$work/stackprobe" \
                "$here/../hardening/stackprobe.c" >"$work/stackprobe.log" 2>&1 ||
                die "stackprobe build failed, see $work/stackprobe.log"
}

# Deb-src stanzas (deb822) for every enabled deb entry of the system's own apt configuration.
deb822_to_src() {
        awk 'BEGIN { RS = ""; FS = "\n" }
        {
                types = ""; body = ""; enabled = 1
                for (i = 1; i <= NF; i++) {
                        if ($i ~ /^#/) continue
                        if ($i ~ /^[Tt]ypes:/) { types = $i; continue }
                        if (tolower($i) ~ /^enabled:[ \t]*no/) enabled = 0
                        body = body $i "\n"
                }
                if (enabled && types ~ /[: \t]deb([ \t]|$)/) printf "Types: deb-src\n%s\n", body
        }' "$@"
}

oneline_to_src() {
        awk '$1 == "deb" {
                signed = ""; i = 2
                if ($2 ~ /^\[/) {
                        opts = ""
                        for (; i <= NF; i++) { opts = opts " " $i; if ($i ~ /\]$/) { i++; break } }
                        gsub(/[][]/, "", opts)
                        n = split(opts, kv, " ")
                        for (j = 1; j <= n; j++)
                                if (kv[j] ~ /^signed-by=/) { sub(/^signed-by=/, "", kv[j]); signed = kv[j] }
                }
                printf "Types: deb-src\nURIs: %s\nSuites: %s\n", $i, $(i + 1)
                comps = ""
                for (k = i + 2; k <= NF && $k !~ /^#/; k++) comps = comps " " $k
                if (comps != "") printf "Components:%s\n", comps
                if (signed != "") printf "Signed-By: %s\n", signed
                printf "\n"
        }' "$@"
}

fetch_busybox() {
        local apt=$work/apt dsc f
        [ -f "$work/busybox-src/.unpacked" ] && return 0
        rm -rf "$apt" "$work/busybox-src"
        mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache" "$apt/download"
        shopt -s nullglob
        local sources=(/etc/apt/sources.list.d/*.sources) lists=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list)
        shopt -u nullglob
        {
                [ ${#sources[@]} -eq 0 ] || deb822_to_src "${sources[@]}"
                for f in "${lists[@]}"; do [ -f "$f" ] && oneline_to_src "$f"; done
        } >"$apt/deb-src.sources"
        [ -s "$apt/deb-src.sources" ] || skip "no deb entries in the system's apt configuration"
        local opts=(-o "Dir::Etc::SourceList=$apt/deb-src.sources" -o "Dir::Etc::SourceParts=$apt/parts"
                -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache")
        # apt downloads as the _apt user when it can write the target directory.
        id _apt >/dev/null 2>&1 && chown _apt "$apt/download"
        if ! { apt-get "${opts[@]}" update &&
                (cd "$apt/download" && apt-get "${opts[@]}" source --download-only busybox); } \
                >"$apt/fetch.log" 2>&1; then
                skip "could not download the busybox source package, see $apt/fetch.log"
        fi
        dsc=$(echo "$apt/download"/busybox_*.dsc)
        [ -f "$dsc" ] || die "expected one busybox .dsc in $apt/download"
        dpkg-source -x "$dsc" "$work/busybox-src" >>"$apt/fetch.log" 2>&1 ||
                die "dpkg-source -x failed, see $apt/fetch.log"
        sed -n 's/^Version: //p' "$dsc" >"$work/busybox-src/.debian-version"
        touch "$work/busybox-src/.unpacked"
}

build_busybox() {
        local out=$work/busybox-build o
        mkdir -p "$out"
        echo "$busybox_options" >"$work/busybox.config"
        if ! cmp -s "$work/busybox.config" "$out/.wanted"; then
                # allnoconfig, switch the wanted options on, then let oldconfig take the defaults
                # of the options this makes visible (the top CPU/memory display features).
                make -C "$work/busybox-src" O="$out" allnoconfig >"$work/busybox-build.log" 2>&1 ||
                        die "busybox allnoconfig failed, see $work/busybox-build.log"
                for o in $busybox_options; do
                        sed -i "s/^# CONFIG_$o is not set\$/CONFIG_$o=y/" "$out/.config"
                done
                (yes "" || true) | make -C "$out" oldconfig >>"$work/busybox-build.log" 2>&1 ||
                        die "busybox oldconfig failed, see $work/busybox-build.log"
                for o in $busybox_options; do
                        grep -qx "CONFIG_$o=y" "$out/.config" || die "busybox .config lacks CONFIG_$o"
                done
                if grep -qx "CONFIG_STATIC=y" "$out/.config"; then
                        die "busybox .config has CONFIG_STATIC"
                fi
                cp "$work/busybox.config" "$out/.wanted"
        fi
        make -C "$out" -j"$(nproc)" CC=musl-gcc HOSTCC=gcc busybox >>"$work/busybox-build.log" 2>&1 ||
                die "busybox build failed, see $work/busybox-build.log"
        busybox=$out/busybox
}

check_symbols() {
        local got
        got=$(nm -D --defined-only "$shim" | awk '{ sub(/@.*/, "", $3); print $3 }' | sort -u | xargs)
        check "musl shim exported symbols" "$(xargs -n1 <<<"$want_symbols" | sort | xargs)" "$got"
}

check_dynamic_musl() {
        local name=$1 path=$2 desc interp
        desc=$(file -L "$path")
        interp=/lib/ld-musl-$(uname -m).so.1
        check "$name dynamically linked" yes \
                "$(case $desc in *"dynamically linked"*) echo yes ;; *) echo no ;; esac)"
        check "$name interpreter" "$interp" \
                "$(sed -n 's/.*interpreter \([^,]*\).*/\1/p' <<<"$desc")"
}

make_cgroup() {
        local name=cglimits-musl-$$
        if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
                grep -qw memory /sys/fs/cgroup/cgroup.subtree_control ||
                        echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
                cgroup=/sys/fs/cgroup/$name
                mkdir "$cgroup" || skip "cannot create $cgroup"
                [ -f "$cgroup/memory.max" ] || skip "memory controller not enabled for $cgroup"
                echo "$limit_bytes" >"$cgroup/memory.max"
                log "cgroup v2: $cgroup"
        elif [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
                cgroup=/sys/fs/cgroup/memory/$name
                mkdir "$cgroup" || skip "cannot create $cgroup"
                echo "$limit_bytes" >"$cgroup/memory.limit_in_bytes"
                log "cgroup v1: $cgroup"
        else
                skip "no memory cgroup controller found"
        fi
}

# Runs a command as a fresh process inside the test cgroup; LD_PRELOAD is set only for the
# command itself, the glibc shell cannot load the musl shim.
in_cgroup() {
        sh -c 'echo $$ >"$0/cgroup.procs" || exit
                [ -z "$1" ] || export LD_PRELOAD="$1"
                shift
                exec "$@"' "$cgroup" "${preload:-}" "$@"
}

free_total() { awk '$1 == "Mem:" { print $2 }'; }

# busybox top prints "Mem: <total-free>K used, <free>K free, ..."; used + free is MemTotal.
top_total() { awk '$1 == "Mem:" { used = $2; free = $4; sub(/K$/, "", used); sub(/K$/, "", free); print used + free; exit }'; }

check_view() {
        local label=$1 expected=$2 entry kb
        shift 2
        while read -r entry kb; do
                check "$label probe $entry" "$expected" "$kb"
        done < <("$@" "$work/probe")
        check "$label busybox free total" "$expected" "$("$@" "$busybox" free | free_total)"
        check "$label busybox top Mem: used+free" "$expected" "$("$@" "$busybox" top -b -n1 | top_total)"
}

with_shim() { preload=$shim in_cgroup "$@"; }

# read_kv NAME TEXT: the key=value lines of TEXT into the associative array NAME.
read_kv() {
        local -n into=$1
        local k v
        # shellcheck disable=SC2034 # into names the caller's array
        while IFS='=' read -r k v; do
                if [ -n "$k" ]; then into["$k"]=$v; fi
        done <<<"$2"
}

# stack_diff A B: A - B, or ? when a figure is missing (a crashed child prints nothing).
stack_diff() {
        if [[ ${1:-} =~ ^[0-9]+$ && ${2:-} =~ ^[0-9]+$ ]]; then echo $(($1 - $2)); else echo "?"; fi
}

# within_budget A B: "ok" when A - B is at most stack_budget, else the difference or ?.
within_budget() {
        local d
        d=$(stack_diff "${1:-}" "${2:-}")
        if [[ $d =~ ^-?[0-9]+$ ]] && ((d <= stack_budget)); then echo ok; else echo "$d"; fi
}

# Every entry point first called on a 16 KiB thread and in a SIGUSR1 handler on an 8 KiB
# sigaltstack (guard pages below both), each in a fresh process: the cgroup's figures and a
# normal exit; and the stack the library's frames add to each call (see
# ../hardening/stackprobe.c).
check_small_stacks() {
        local -A W=() R=()
        local e want mode got kb calls crashed=""
        # CGLIMITS_CPUS=1: the CPU count entries do the whole load and answer 1.
        read_kv W "$(CGLIMITS_CPUS=1 with_shim "$work/stackprobe" all)"
        read_kv R "$(in_cgroup "$work/stackprobe" all)"
        log "stack below the call in bytes, with the shim / without / the library's frames;" \
                "thread stack ${W[thread_stack]:-?}, sigaltstack ${W[altstack_size]:-?}"
        printf '%-16s | %-20s | %-20s | %s\n' entry "first call" "later calls" "headroom thread/alt"
        for e in $stack_entries; do
                printf '%-16s | %6s %6s %6s | %6s %6s %6s | %s/%s\n' "$e" \
                        "${W[stack_${e}_first]:-?}" "${R[stack_${e}_first]:-?}" \
                        "$(stack_diff "${W[stack_${e}_first]:-}" "${R[stack_${e}_first]:-}")" \
                        "${W[stack_${e}_warm]:-?}" "${R[stack_${e}_warm]:-?}" \
                        "$(stack_diff "${W[stack_${e}_warm]:-}" "${R[stack_${e}_warm]:-}")" \
                        "${W[thread_${e}_headroom]:-?}" "${W[altstack_${e}_headroom]:-?}"
        done
        check "stackprobe entry points" "$(xargs <<<"$stack_entries")" "${W[entries]:-}"
        for e in "${!R[@]}"; do
                if [[ $e == *_status && ${R[$e]} != exit_0 ]]; then crashed+="$e=${R[$e]} "; fi
        done
        check "stackprobe without shim: all exit 0" "" "$crashed"
        for e in $stack_entries; do
                case $e in
                *avphys*) want="1..$limit_kb" ;;
                *_other) want=0 ;;
                *nprocs*) want=1 ;;
                *) want=$limit_kb ;;
                esac
                for mode in thread altstack measure; do
                        got=${W[${mode}_${e}_status]:-none}
                        # shellcheck disable=SC2086 # one figure per call
                        for kb in ${W[${mode}_${e}_first_kb]:-none} ${W[${mode}_${e}_later_kb]:-none}; do
                                if [[ $e == *avphys* && $kb =~ ^[0-9]+$ ]] && ((kb > 0 && kb <= limit_kb)); then
                                        kb="1..$limit_kb"
                                fi
                                got+=" $kb"
                        done
                        calls=""
                        if [ "$mode" = altstack ]; then
                                calls=" calls=3"
                                got+=" calls=${W[altstack_${e}_calls]:-0}"
                        fi
                        check "stack $mode $e" "exit_0 $want $want $want$calls" "$got"
                done
                check "stack $e library <= $stack_budget B" "ok ok" \
                        "$(within_budget "${W[stack_${e}_first]:-}" "${R[stack_${e}_first]:-}") $(
                                within_budget "${W[stack_${e}_warm]:-}" "${R[stack_${e}_warm]:-}")"
        done
}

run_tests() {
        local host_kb
        host_kb=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
        check_symbols
        check_dynamic_musl probe "$work/probe"
        check_dynamic_musl busybox "$busybox"
        check "busybox cat sees shim meminfo" "MemTotal: $limit_kb kB" \
                "$(with_shim "$busybox" cat /proc/meminfo | awk '$1 == "MemTotal:" { print $1, $2, $3 }')"
        check_view "cgroup+shim" "$limit_kb" with_shim
        check_view "cgroup, no shim" "$host_kb" in_cgroup
        check_small_stacks
}

[ "$(id -u)" -eq 0 ] || skip "must run as root (creates a memory cgroup)"
mkdir -p "$work"
install_missing
timed "musl shim build" build_shim
build_probe
build_stackprobe
timed "busybox source fetch" fetch_busybox
log "busybox source package $(cat "$work/busybox-src/.debian-version")"
timed "busybox build" build_busybox
make_cgroup
timed "tests" run_tests
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
