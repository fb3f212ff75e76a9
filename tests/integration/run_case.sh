#!/usr/bin/env bash
# cglimits integration tests: one CASE per invocation, run inside real
# memory-limited cgroups (v1 or v2, detected at run time).
#
#   SHIM=/path/libcglimits.so PROBES=/path/to/probes run_case.sh CASE
#   run_case.sh --list          # all case names, one a line (the v2-only
#                               # ones when this host has v2, or when
#                               # CGLIMITS_ITEST_CGROUP=v2 says so)
#
# Environment:
#   SHIM     the LD_PRELOAD shim (required)
#   PROBES   directory holding the probe_* programs and libearly_open.so
#   CGLIMITS_ITEST_PRELOAD_PREFIX  objects to preload before the shim
#            (e.g. libasan.so for sanitizer builds)
#   CGLIMITS_ITEST_FDLEAK_CYCLES  open/close cycles of the fd-leak case (10000)
#   CGLIMITS_ITEST_CMD_TIMEOUT    seconds one command may take (120)
#   CI=true  environment problems (not root, no memory controller, ...) fail
#            instead of skipping (exit 77)
#
# Every case creates its own cgroup(s) named cglimits-test-CASE-PID, so cases
# can run in parallel; they are removed on exit.
# shellcheck disable=SC2016 # single-quoted programs for awk/sh/python on purpose
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
# shellcheck source=query_cases.sh
. "$HERE/query_cases.sh"

LIMIT_BYTES=268435456 # 256 MiB
LIMIT_KB=262144
SLACK_KB=8192      # per-cpu charge batching, reclaim between samples
ALLOWANCE_KB=65536 # lower bound for MemFree when the peak usage is unknown
DROP_MIN_KB=61440  # 60 MiB: what 64 MiB of touched memory must show at least

OPEN_VARIANTS=(open open64 openat openat64 openat_dirfd openat64_dirfd
  openat_abs_ignores_dirfd open_2 open64_2 openat_2 openat64_2 openat_2_dirfd
  relative_open relative_openat relative_dot_open double_slash dot_component
  self_dotdot fopen fopen64 fopen64_fileno_read relative_fopen freopen freopen64
  freopen_stdin)
FORTIFY_VARIANTS=(open open64 openat openat64 openat_dirfd)
KEEPFD_MODES=(lseek lseek64)
KEEPFILE_MODES=(rewind fseek fseeko fseeko64 fsetpos fsetpos64)

# Cases for one cgroup version only are listed only where that version is
# found (run_case.sh --list runs at configure time too).
V2_ONLY_CASES=(child_without_memory_controller_uses_parent_limit
  memory_high_below_max_is_the_limit)

list_cases() {
  local v
  cat <<'EOF'
busybox_free_reports_cgroup_total
busybox_top_batch_reports_cgroup_memory
procps_free_reports_cgroup_total
procps_top_batch_reports_cgroup_total
procps_vmstat_reports_cgroup_total
htop_meter_shows_cgroup_total
htoplike_fopen_loop_sees_fresh_values
python_sysconf_phys_pages_is_cgroup_limit
python_psutil_total_is_cgroup_limit
node_os_totalmem_is_cgroup_limit
cat_proc_meminfo_shows_cgroup_figures
EOF
  for v in "${OPEN_VARIANTS[@]}"; do echo "probe_open_${v}_sees_cgroup_meminfo"; done
  for v in "${FORTIFY_VARIANTS[@]}"; do echo "probe_fortified_${v}_sees_cgroup_meminfo"; done
  cat <<'EOF'
sysinfo_reports_cgroup_memory
sysconf_reports_cgroup_pages
EOF
  for v in "${KEEPFD_MODES[@]}"; do echo "keepfd_${v}_rereads_fresh_memfree"; done
  for v in "${KEEPFILE_MODES[@]}"; do echo "keepfile_${v}_rereads_fresh_memfree"; done
  cat <<'EOF'
ctor_early_open_sees_cgroup_total
fork_exec_inherited_fd_with_preload_has_cgroup_figures
fork_exec_inherited_fd_without_preload_has_cgroup_figures
cloexec_flags_honoured
fdleak_open_close_cycles_leave_no_fds
library_holds_no_descriptors_between_calls
errno_preserved_and_errors_match_real
open_flag_edge_cases_match_real
nested_child_without_limit_inherits_parent_limit
nested_grandchild_without_limit_inherits_ancestor_limit
nested_child_larger_limit_sees_parent_limit
nested_child_smaller_limit_sees_own_limit
unlimited_cgroup_passes_through_real_file
limit_above_host_passes_through_real_file
disable_env_passes_through_in_limited_cgroup
memory_env_128M_in_unlimited_cgroup
memory_env_1G_in_256M_cgroup_smallest_wins
memory_env_128M_in_256M_cgroup_smallest_wins
debug_env_prints_diagnostics_only_when_set
cgroup_namespace_with_own_cgroupfs_mount_sees_limit
cpus_auto_quota_half_cpu_is_1
cpus_auto_quota_1_5_cpus_is_2
cpus_auto_no_quota_affinity_1_cpu_is_1
cpus_auto_no_quota_cpuset_1_cpu_is_1
cpus_auto_no_quota_cpuset_2_cpus_is_2
cpus_auto_quota_4_cpus_affinity_2_cpus_is_2
cpus_auto_nested_parent_1_5_child_4_is_2
cpus_auto_nested_parent_4_child_half_is_1
cpus_unset_or_0_is_host_count_in_half_cpu_quota
cpus_env_1_without_quota_is_1
cpus_env_above_auto_figure_is_auto_figure
cpus_wrapper_cpus_auto_in_half_cpu_quota_is_1
cpus_python_os_cpu_count_in_half_cpu_quota_is_1
cpus_nginx_worker_processes_auto_in_half_cpu_quota_is_1
cpus_jvm_legacy_mode_available_processors_is_affinity_count
cpus_setuid_program_ignores_cglimits_cpus
EOF
  printf '%s\n' "${QUERY_CASES[@]}"
  local ver=${CGLIMITS_ITEST_CGROUP:-}
  [ -n "$ver" ] || ver=v$(cgroup_version 2>/dev/null)
  if [ "$ver" = v2 ]; then
    printf '%s\n' "${V2_ONLY_CASES[@]}"
  fi
}

if [ "${1:-}" = "--list" ]; then
  list_cases
  exit 0
fi
if [ $# -ne 1 ]; then
  echo "usage: $0 CASE | --list" >&2
  exit 2
fi
CASE=$1
if printf '%s\n' "${V2_ONLY_CASES[@]}" | grep -qx -- "$CASE"; then
  if [ "$(cgroup_version 2>/dev/null)" != 2 ]; then
    skip_or_fail "case $CASE needs cgroup v2"
  fi
elif ! list_cases | grep -qx -- "$CASE"; then
  echo "run_case.sh: unknown case '$CASE' (see --list)" >&2
  exit 2
fi

# ------------------------------------------------------------------ preflight

# nothing of the caller's may leak into the programs under test
unset LD_PRELOAD CGLIMITS_DISABLE CGLIMITS_DEBUG CGLIMITS_MEMORY CGLIMITS_CPUS

if [ -z "${SHIM:-}" ] || [ ! -f "$SHIM" ]; then
  echo "FAIL: SHIM='${SHIM:-}' is not a file: build the cglimits target first"
  exit 1
fi
if [ -z "${PROBES:-}" ] || [ ! -x "$PROBES/probe_open" ]; then
  echo "FAIL: PROBES='${PROBES:-}' does not hold the probe programs"
  exit 1
fi
SHIM=$(readlink -f "$SHIM")
PRELOAD="${CGLIMITS_ITEST_PRELOAD_PREFIX:+$CGLIMITS_ITEST_PRELOAD_PREFIX:}$SHIM"

[ "$(id -u)" = 0 ] || skip_or_fail "must run as root to create cgroups (uid $(id -u))"
_cg_detect || skip_or_fail "no cgroup memory controller (neither cgroup v1 'memory' nor cgroup2 with 'memory' in cgroup.controllers)"
if [ -n "${EXPECT_CGROUP_VERSION:-}" ] && [ "$EXPECT_CGROUP_VERSION" != "$CG_VERSION" ]; then
  echo "NOTE: test registered for cgroup v$EXPECT_CGROUP_VERSION, this host has v$CG_VERSION"
fi

HOST_MEMTOTAL_KB=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
HOST_KEYS=$(awk -F: '{ print $1 }' /proc/meminfo | paste -sd, -)
HOST_PAGESIZE=$(getconf PAGESIZE)
if ((HOST_MEMTOTAL_KB <= LIMIT_KB + 65536)); then
  skip_or_fail "host has only $HOST_MEMTOTAL_KB kB: too little to tell a 256 MiB limit from the host total"
fi

cleanup_stale_cgroups cglimits-test-
CG="cglimits-test-$CASE-$$"
echo "case $CASE: cgroup v$CG_VERSION at $CG_ROOT, host MemTotal $HOST_MEMTOTAL_KB kB, shim $SHIM"

# ------------------------------------------------------------------- running

USAGE_START_KB=0
PEAK_KB=""
LAST_STDERR=""
LAST_STATUS=0

# run OUTVAR CGROUP shim|real CMD...
#   Runs CMD inside CGROUP, with the shim preloaded or not.  Stores stdout in
#   OUTVAR, stderr in LAST_STDERR (a non-zero status is a failed check),
#   the cgroup's charge before the run in USAGE_START_KB and the peak charge
#   during the run (when the kernel tells) in PEAK_KB.
run() {
  local __var=$1 __cg=$2 __mode=$3
  shift 3
  local -a __pre=()
  [ "$__mode" = shim ] && __pre=(env "LD_PRELOAD=$PRELOAD")
  cgroup_reset_peak "$__cg"
  USAGE_START_KB=$(cgroup_usage_kb "$__cg")
  echo "+ [$__mode in $__cg] $*"
  local __out __rc=0
  __out=$(run_in_cgroup "$__cg" timeout -k 5 "${CGLIMITS_ITEST_CMD_TIMEOUT:-120}" \
    "${__pre[@]}" "$@" 2>"$ITEST_TMPDIR/stderr") || __rc=$?
  PEAK_KB=$(cgroup_peak_kb "$__cg")
  LAST_STDERR=$(cat "$ITEST_TMPDIR/stderr")
  LAST_STATUS=$__rc
  [ -n "$__out" ] && printf '%s\n' "$__out" | sed 's/^/    | /'
  [ -n "$LAST_STDERR" ] && printf '%s\n' "$LAST_STDERR" | sed 's/^/    ! /'
  echo "    (status $__rc, cgroup usage before ${USAGE_START_KB} kB, peak ${PEAK_KB:-?} kB)"
  if [ "$__rc" = 124 ]; then
    _itest_fail "command timed out after ${CGLIMITS_ITEST_CMD_TIMEOUT:-120} s: $*"
  elif [ "$__rc" != 0 ]; then
    _itest_fail "command exited with status $__rc: $*"
  fi
  if [[ "$LAST_STDERR" == *"cannot be preloaded"* ]]; then
    _itest_fail "the dynamic loader could not preload the shim ($SHIM)"
  fi
  printf -v "$__var" '%s' "$__out"
}

# kv KEY TEXT: value of the KEY=VALUE line
kv() { printf '%s\n' "$2" | sed -n "s/^$1=//p" | head -n 1; }

# mi FIELD TEXT: kB value of a /proc/meminfo style line
mi() { printf '%s\n' "$2" | awk -v k="$1:" '$1 == k { print $2; exit }'; }

# keys_of TEXT: comma-separated field names of meminfo text
keys_of() { printf '%s\n' "$1" | awk -F: 'NF > 1 { print $1 }' | paste -sd, -; }

# Sanitizer builds preload the ASan runtime in front of the shim; procps
# (libproc2) deadlocks in it (a futex wait at start-up, with or without the
# shim), so procps cannot be tested there.
SANITIZER_PRELOAD=0
[ -n "${CGLIMITS_ITEST_PRELOAD_PREFIX:-}" ] && SANITIZER_PRELOAD=1

need_procps() {
  need_cmd "$1"
  if ((SANITIZER_PRELOAD)); then
    printf '\n*** SKIP: procps deadlocks under a preloaded ASan runtime (sanitizer build) ***\n\n'
    exit 77
  fi
}

need_cmd() {
  command -v "$1" >/dev/null 2>&1 || skip_or_fail "$1 is not installed"
}

limited_cgroup() { make_cgroup "$CG" "$LIMIT_BYTES"; }

# check_live WHAT TOTAL FREE AVAIL EXPECTED_TOTAL_KB [nolower]
#   MemTotal exact; MemFree <= MemAvailable <= MemTotal; MemFree < MemTotal
#   (the process itself is charged); MemFree <= limit - usage at start + slack;
#   MemFree >= limit - peak usage - slack (or limit - 64 MiB).
check_live() {
  local what=$1 total=$2 free=$3 avail=$4 exp=$5 lower=${6:-}
  expect_eq "$what: MemTotal kB" "$exp" "$total"
  expect_le "$what: MemFree <= MemAvailable" "$free" "$avail"
  expect_le "$what: MemAvailable <= MemTotal" "$avail" "$total"
  [ "$lower" = nolower ] && return
  expect_lt "$what: MemFree < MemTotal (the process itself is charged)" "$free" "$total"
  expect_le "$what: MemFree <= limit - usage_at_start + slack" "$free" \
    $((exp - USAGE_START_KB + SLACK_KB))
  if _is_int "${PEAK_KB:-}"; then
    expect_ge "$what: MemFree >= limit - peak_usage - slack" "$free" $((exp - PEAK_KB - SLACK_KB))
  else
    expect_ge "$what: MemFree >= limit - 64 MiB" "$free" $((exp - ALLOWANCE_KB))
  fi
}

# check_used_sane WHAT TEXT: the parts of "used" memory that tools subtract
#   (Buffers, Cached, SReclaimable) fit into MemTotal - MemFree, so that
#   busybox/htop/old procps "used = total - free - buffers - cache" is >= 0.
check_used_sane() {
  local what=$1 text=$2
  local bc=$(($(mi Buffers "$text") + $(mi Cached "$text") + $(mi SReclaimable "$text" || true) + 0))
  expect_le "$what: Buffers + Cached + SReclaimable <= MemTotal - MemFree" "$bc" \
    $(($(mi MemTotal "$text") - $(mi MemFree "$text")))
}

# check_meminfo_text WHAT TEXT EXPECTED_TOTAL_KB [nolower]
check_meminfo_text() {
  local what=$1 text=$2 exp=$3
  check_live "$what" "$(mi MemTotal "$text")" "$(mi MemFree "$text")" \
    "$(mi MemAvailable "$text")" "$exp" "${4:-}"
  local bad
  bad=$(printf '%s\n' "$text" | grep -Ev '^[A-Za-z0-9_()]+: +[0-9]+( kB)?$' | head -n 3)
  expect_eq "$what: every line looks like the kernel's 'Name:   value kB'" "" "$bad"
  expect_same "$what: same field names, same order as the real file" "$HOST_KEYS" "$(keys_of "$text")"
  check_used_sane "$what" "$text"
}

# check_probe_meminfo WHAT OUT EXPECTED_TOTAL_KB [nolower]: probe_open style output
check_probe_meminfo() {
  local what=$1 out=$2 exp=$3
  check_live "$what" "$(kv MemTotal "$out")" "$(kv MemFree "$out")" \
    "$(kv MemAvailable "$out")" "$exp" "${4:-}"
  expect_eq "$what: wellformed" 1 "$(kv wellformed "$out")"
  expect_lt "$what: file size < 4096 bytes (one-shot 4095-byte readers)" "$(kv bytes "$out")" 4096
  expect_same "$what: same field names as the real file" "$HOST_KEYS" "$(kv keys "$out")"
}

# check_totals_via_all CGROUP EXPECTED_KB [env assignments...]
#   cat /proc/meminfo, busybox free, sysinfo, sysconf, get_phys_pages all
#   report EXPECTED_KB.
check_totals_via_all() {
  local cg=$1 exp=$2 out
  shift 2
  local -a envs=()
  (($# > 0)) && envs=(env "$@")
  run out "$cg" shim "${envs[@]}" cat /proc/meminfo
  expect_eq "cat /proc/meminfo MemTotal kB" "$exp" "$(mi MemTotal "$out")"
  expect_le "cat /proc/meminfo MemFree <= MemAvailable" "$(mi MemFree "$out")" "$(mi MemAvailable "$out")"
  expect_le "cat /proc/meminfo MemAvailable <= MemTotal" "$(mi MemAvailable "$out")" "$(mi MemTotal "$out")"
  if command -v busybox >/dev/null 2>&1; then
    run out "$cg" shim "${envs[@]}" busybox free
    expect_eq "busybox free total kB" "$exp" "$(printf '%s\n' "$out" | awk '$1 == "Mem:" { print $2 }')"
    expect_le "busybox free used <= total" "$(printf '%s\n' "$out" | awk '$1 == "Mem:" { print $3 }')" "$exp"
  fi
  run out "$cg" shim "${envs[@]}" "$PROBES/probe_sysinfo"
  expect_eq "sysinfo totalram*mem_unit" $((exp * 1024)) "$(kv totalram_bytes "$out")"
  expect_le "sysinfo freeram <= totalram" "$(kv freeram_bytes "$out")" "$(kv totalram_bytes "$out")"
  run out "$cg" shim "${envs[@]}" "$PROBES/probe_sysconf"
  expect_eq "sysconf(_SC_PHYS_PAGES)*pagesize" $((exp * 1024)) "$(kv phys_bytes "$out")"
  expect_eq "get_phys_pages()*pagesize" $((exp * 1024)) "$(kv get_phys_bytes "$out")"
  expect_le "sysconf(_SC_AVPHYS_PAGES) <= _SC_PHYS_PAGES" "$(kv avphys_pages "$out")" "$(kv phys_pages "$out")"
}

# check_passthrough CGROUP [env assignments...]: everything is the real thing
check_passthrough() {
  local cg=$1 out real
  shift
  local -a envs=()
  (($# > 0)) && envs=(env "$@")
  run out "$cg" shim "${envs[@]}" cat /proc/meminfo
  run real "$cg" real cat /proc/meminfo
  expect_eq "cat /proc/meminfo MemTotal = host" "$HOST_MEMTOTAL_KB" "$(mi MemTotal "$out")"
  expect_eq "cat /proc/meminfo MemTotal shim = real" "$(mi MemTotal "$real")" "$(mi MemTotal "$out")"
  expect_eq "cat /proc/meminfo SwapTotal shim = real" "$(mi SwapTotal "$real")" "$(mi SwapTotal "$out")"
  expect_same "cat /proc/meminfo field names shim = real" "$(keys_of "$real")" "$(keys_of "$out")"
  local v
  for v in open fopen openat_dirfd; do
    run out "$cg" shim "${envs[@]}" "$PROBES/probe_open" "$v"
    expect_eq "probe_open $v: descriptor is the real file" /proc/meminfo "$(kv fdlink "$out")"
    expect_eq "probe_open $v: MemTotal = host" "$HOST_MEMTOTAL_KB" "$(kv MemTotal "$out")"
  done
  if command -v busybox >/dev/null 2>&1; then
    run out "$cg" shim "${envs[@]}" busybox free
    run real "$cg" real busybox free
    expect_eq "busybox free total shim = real" \
      "$(printf '%s\n' "$real" | awk '$1 == "Mem:" { print $2 }')" \
      "$(printf '%s\n' "$out" | awk '$1 == "Mem:" { print $2 }')"
    expect_eq "busybox free swap total shim = real" \
      "$(printf '%s\n' "$real" | awk '$1 == "Swap:" { print $2 }')" \
      "$(printf '%s\n' "$out" | awk '$1 == "Swap:" { print $2 }')"
  fi
  run out "$cg" shim "${envs[@]}" "$PROBES/probe_sysinfo"
  run real "$cg" real "$PROBES/probe_sysinfo"
  for v in mem_unit totalram_bytes totalswap_bytes totalhigh_bytes; do
    expect_eq "sysinfo $v shim = real" "$(kv $v "$real")" "$(kv $v "$out")"
  done
  run out "$cg" shim "${envs[@]}" "$PROBES/probe_sysconf"
  run real "$cg" real "$PROBES/probe_sysconf"
  for v in pagesize phys_pages get_phys_pages nprocessors_onln nprocessors_conf; do
    expect_eq "sysconf $v shim = real" "$(kv $v "$real")" "$(kv $v "$out")"
  done
  expect_eq "sysconf phys bytes = host MemTotal" $((HOST_MEMTOTAL_KB * 1024)) "$(kv phys_bytes "$out")"
}

# ---------------------------------------------------------------------- cases

case_busybox_free() {
  need_cmd busybox
  limited_cgroup
  local out real row total used free
  run out "$CG" shim busybox free
  row=$(printf '%s\n' "$out" | awk '$1 == "Mem:"')
  expect_eq "busybox free: Mem line has one column per heading (no over-wide, wrapped-around value)" \
    $(($(printf '%s\n' "$out" | awk 'NR == 1 { print NF }') + 1)) "$(awk '{ print NF }' <<<"$row")"
  read -r _ total used free _ <<<"$row"
  expect_eq "busybox free: Mem total kB" "$LIMIT_KB" "$total"
  expect_le "busybox free: free <= total" "$free" "$total"
  expect_le "busybox free: used <= total" "$used" "$total"
  if [ "$(printf '%s\n' "$out" | awk 'NR == 1 { print $NF }')" = available ]; then
    expect_le "busybox free: available <= total" \
      "$(printf '%s\n' "$row" | awk '{ print $NF }')" "$total"
  fi
  run out "$CG" shim busybox free -b
  expect_eq "busybox free -b: Mem total bytes" "$LIMIT_BYTES" \
    "$(printf '%s\n' "$out" | awk '$1 == "Mem:" { print $2 }')"
  run real "$CG" real busybox free
  expect_eq "busybox free without the shim: host total" "$HOST_MEMTOTAL_KB" \
    "$(printf '%s\n' "$real" | awk '$1 == "Mem:" { print $2 }')"
}

# busybox top -b: "Mem: 18508K used, 243636K free, 0K shrd, 0K buff, 13940K cached"
# (busybox top chdirs to /proc and fopen64s the relative "meminfo")
_bbtop_mem() {
  printf '%s\n' "$1" | grep -m1 '^Mem: ' |
    sed -n 's/^Mem: *\([0-9]*\)K used, *\([0-9]*\)K free, *[0-9]*K shrd, *\([0-9]*\)K buff, *\([0-9]*\)K cached.*/\1 \2 \3 \4/p'
}

case_busybox_top() {
  need_cmd busybox
  limited_cgroup
  local out real used free buff cached
  run out "$CG" shim busybox top -b -n 1
  read -r used free buff cached <<<"$(_bbtop_mem "$out")"
  expect_eq "busybox top: used + free (kB)" "$LIMIT_KB" $((${used:-0} + ${free:-0}))
  expect_ge "busybox top: free >= limit - 64 MiB" "${free:-}" $((LIMIT_KB - ALLOWANCE_KB))
  expect_le "busybox top: buff + cached <= used" $((${buff:-0} + ${cached:-0})) "${used:-}"
  run real "$CG" real busybox top -b -n 1
  read -r used free buff cached <<<"$(_bbtop_mem "$real")"
  expect_eq "busybox top without the shim: used + free = host total" "$HOST_MEMTOTAL_KB" \
    $((${used:-0} + ${free:-0}))
}

case_procps_free() {
  need_procps free
  limited_cgroup
  local out real total used free avail
  run out "$CG" shim free -k
  read -r _ total used free _ _ avail <<<"$(printf '%s\n' "$out" | awk '$1 == "Mem:"')"
  expect_eq "free -k: Mem total kB" "$LIMIT_KB" "$total"
  expect_le "free -k: free <= available" "$free" "$avail"
  expect_le "free -k: available <= total" "$avail" "$total"
  expect_le "free -k: used <= total" "$used" "$total"
  expect_ge "free -k: free >= limit - 64 MiB" "$free" $((LIMIT_KB - ALLOWANCE_KB))
  run out "$CG" shim free -b
  expect_eq "free -b: Mem total bytes" "$LIMIT_BYTES" \
    "$(printf '%s\n' "$out" | awk '$1 == "Mem:" { print $2 }')"
  run real "$CG" real free -k
  expect_eq "free -k without the shim: host total" "$HOST_MEMTOTAL_KB" \
    "$(printf '%s\n' "$real" | awk '$1 == "Mem:" { print $2 }')"
}

# top -b -n 1 -E k: "KiB Mem :   262144 total,   250000 free, ..."
_top_mem() {
  printf '%s\n' "$1" | sed -n 's/^KiB Mem *: *\([0-9][0-9]*\) total, *\([0-9][0-9]*\) free.*/\1 \2/p' | head -n 1
}

case_procps_top() {
  need_procps top
  limited_cgroup
  local out real total free
  run out "$CG" shim top -b -n 1 -E k
  read -r total free <<<"$(_top_mem "$out")"
  if [ -z "${total:-}" ]; then
    # top without -E: "MiB Mem :    256.0 total"
    run out "$CG" shim top -b -n 1
    expect_match "top: MiB Mem line" '(^|[[:space:]])MiB Mem *: *256\.0 total' "$out"
  else
    expect_eq "top -E k: KiB Mem total" "$LIMIT_KB" "$total"
    expect_le "top -E k: free <= total" "$free" "$total"
    expect_le "top -E k: used <= total" "$(printf '%s\n' "$out" |
      sed -n 's/^KiB Mem *:.* \([0-9][0-9]*\) used.*/\1/p' | head -n 1)" "$total"
    expect_ge "top -E k: free >= limit - 64 MiB" "$free" $((LIMIT_KB - ALLOWANCE_KB))
  fi
  run real "$CG" real top -b -n 1 -E k
  read -r total free <<<"$(_top_mem "$real")"
  expect_eq "top without the shim: host total" "$HOST_MEMTOTAL_KB" "${total:-}"
}

case_procps_vmstat() {
  need_procps vmstat
  limited_cgroup
  local out real
  run out "$CG" shim vmstat -s
  local total free
  total=$(printf '%s\n' "$out" | awk '/K total memory/ { print $1; exit }')
  free=$(printf '%s\n' "$out" | awk '/K free memory/ { print $1; exit }')
  expect_eq "vmstat -s: K total memory" "$LIMIT_KB" "$total"
  expect_le "vmstat -s: free <= total" "$free" "$total"
  expect_le "vmstat -s: used <= total" "$(printf '%s\n' "$out" | awk '/K used memory/ { print $1; exit }')" "$total"
  expect_ge "vmstat -s: free >= limit - 64 MiB" "$free" $((LIMIT_KB - ALLOWANCE_KB))
  run real "$CG" real vmstat -s
  expect_eq "vmstat -s without the shim: host total" "$HOST_MEMTOTAL_KB" \
    "$(printf '%s\n' "$real" | awk '/K total memory/ { print $1; exit }')"
}

# htop's Mem meter in text form: "Mem[|||||   45.2M/256M]"
_htop_used_kb() {
  printf '%s\n' "$1" | grep -o 'Mem\[[^]]*/[0-9.]*[KMGTP]\?\]' | head -n 1 |
    sed 's#^Mem\[[| ]*\([0-9.]*[KMGTP]\?\)/.*#\1#' |
    awk '{ v = $0 + 0; u = substr($0, length($0)); m = 1
           if (u == "M") m = 1024; else if (u == "G") m = 1048576; else if (u == "T") m = 1073741824
           printf "%d\n", v * m }'
}

_htop_total() {
  printf '%s\n' "$1" | grep -o 'Mem\[[^]]*/[0-9.]*[KMGTP]\?\]' | head -n 1 |
    sed 's#.*/\([0-9.]*[KMGTP]\?\)\]$#\1#'
}

case_htop_meter() {
  need_cmd htop
  [ -x /usr/bin/python3 ] || skip_or_fail "/usr/bin/python3 is needed to drive htop on a pty"
  limited_cgroup
  local home=$ITEST_TMPDIR/home out real
  mkdir -p "$home"
  local -a cmd=(env "HOME=$home" /usr/bin/python3 "$HERE/pty_capture.py" --seconds 10
    --until 'Mem\[[^]]*/[0-9.]+[KMGTP]?\]' -- htop -d 10)
  run out "$CG" shim "${cmd[@]}"
  expect_eq "htop Mem meter total" 256M "$(_htop_total "$out")"
  expect_le "htop Mem meter used <= total (kB)" "$(_htop_used_kb "$out")" "$LIMIT_KB"
  run real "$CG" real "${cmd[@]}"
  local t
  t=$(_htop_total "$real")
  expect_match "htop without the shim: Mem meter shows a total" '^[0-9.]+[KMGTP]$' "$t"
  expect_ne "htop without the shim: Mem meter total is the host's" 256M "$t"
}

case_htoplike() {
  limited_cgroup
  local out
  run out "$CG" shim "$PROBES/probe_htoplike"
  check_live "first fopen pass" "$(kv MemTotal_1 "$out")" "$(kv MemFree_1 "$out")" \
    "$(kv MemAvailable_1 "$out")" "$LIMIT_KB"
  expect_eq "second fopen pass: MemTotal" "$LIMIT_KB" "$(kv MemTotal_2 "$out")"
  expect_le "second fopen pass: MemFree <= MemAvailable" "$(kv MemFree_2 "$out")" "$(kv MemAvailable_2 "$out")"
  expect_ge "MemFree dropped by >= 60 MiB after touching 64 MiB" "$(kv drop_kB "$out")" "$DROP_MIN_KB"
}

case_python_sysconf() {
  [ -x /usr/bin/python3 ] || skip_or_fail "/usr/bin/python3 is not installed"
  limited_cgroup
  local out real
  local prog='import os
print(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
print(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))'
  run out "$CG" shim /usr/bin/python3 -c "$prog"
  expect_eq "python os.sysconf SC_PHYS_PAGES*SC_PAGE_SIZE" "$LIMIT_BYTES" "$(sed -n 1p <<<"$out")"
  expect_le "python SC_AVPHYS_PAGES*SC_PAGE_SIZE <= limit" "$(sed -n 2p <<<"$out")" "$LIMIT_BYTES"
  expect_ge "python SC_AVPHYS_PAGES*SC_PAGE_SIZE >= limit - 64 MiB" "$(sed -n 2p <<<"$out")" \
    $((LIMIT_BYTES - ALLOWANCE_KB * 1024))
  run real "$CG" real /usr/bin/python3 -c "$prog"
  expect_eq "python without the shim: host total" $((HOST_MEMTOTAL_KB * 1024)) "$(sed -n 1p <<<"$real")"
}

case_python_psutil() {
  [ -x /usr/bin/python3 ] || skip_or_fail "/usr/bin/python3 is not installed"
  /usr/bin/python3 -c 'import psutil' 2>/dev/null || skip_or_fail "python3-psutil is not installed"
  limited_cgroup
  local out real total avail free
  local prog='import psutil
vm = psutil.virtual_memory()
print(vm.total, vm.available, vm.free)'
  run out "$CG" shim /usr/bin/python3 -c "$prog"
  read -r total avail free <<<"$out"
  expect_eq "psutil.virtual_memory().total" "$LIMIT_BYTES" "$total"
  expect_le "psutil available <= total" "$avail" "$total"
  expect_le "psutil free <= available" "$free" "$avail"
  expect_ge "psutil free >= limit - 64 MiB" "$free" $((LIMIT_BYTES - ALLOWANCE_KB * 1024))
  run real "$CG" real /usr/bin/python3 -c "$prog"
  read -r total avail free <<<"$real"
  expect_eq "psutil without the shim: host total" $((HOST_MEMTOTAL_KB * 1024)) "$total"
}

case_node_totalmem() {
  need_cmd node
  limited_cgroup
  local out real
  local prog='const os = require("os"); console.log(os.totalmem()); console.log(os.freemem());'
  run out "$CG" shim node -e "$prog"
  expect_eq "node os.totalmem()" "$LIMIT_BYTES" "$(sed -n 1p <<<"$out")"
  expect_le "node os.freemem() <= totalmem" "$(sed -n 2p <<<"$out")" "$LIMIT_BYTES"
  run real "$CG" real node -e "$prog"
  expect_eq "node without the shim: host total" $((HOST_MEMTOTAL_KB * 1024)) "$(sed -n 1p <<<"$real")"
}

case_cat_proc_meminfo() {
  limited_cgroup
  local out real
  run out "$CG" shim cat /proc/meminfo
  check_meminfo_text "cat /proc/meminfo" "$out" "$LIMIT_KB"
  expect_lt "cat /proc/meminfo: size < 4096 bytes" "$(printf '%s\n' "$out" | wc -c)" 4096
  run out "$CG" shim head -n 1 /proc/meminfo
  expect_match "head -n 1 /proc/meminfo" "^MemTotal: +$LIMIT_KB kB$" "$out"
  run out "$CG" shim grep -E '^(MemTotal|MemFree):' /proc/meminfo
  expect_eq "grep MemTotal /proc/meminfo" "$LIMIT_KB" "$(mi MemTotal "$out")"
  if command -v awk >/dev/null 2>&1; then
    run out "$CG" shim awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo
    expect_eq "awk on /proc/meminfo" "$LIMIT_KB" "$out"
  fi
  if command -v busybox >/dev/null 2>&1; then
    run out "$CG" shim busybox cat /proc/meminfo
    expect_eq "busybox cat /proc/meminfo MemTotal" "$LIMIT_KB" "$(mi MemTotal "$out")"
  fi
  run out "$CG" shim sh -c 'read -r line < /proc/meminfo; echo "$line"'
  expect_match "shell redirection < /proc/meminfo" "^MemTotal: +$LIMIT_KB kB$" "$out"
  run real "$CG" real cat /proc/meminfo
  expect_eq "cat /proc/meminfo without the shim: host MemTotal" "$HOST_MEMTOTAL_KB" "$(mi MemTotal "$real")"
}

case_probe_open() {
  local variant=$1 bin=$2 out real
  limited_cgroup
  run out "$CG" shim "$PROBES/$bin" "$variant"
  check_probe_meminfo "$bin $variant" "$out" "$LIMIT_KB"
  expect_ne "$bin $variant: served from a synthesized file, not the real one" /proc/meminfo \
    "$(kv fdlink "$out")"
  run real "$CG" real "$PROBES/$bin" "$variant"
  expect_eq "$bin $variant without the shim: host MemTotal" "$HOST_MEMTOTAL_KB" "$(kv MemTotal "$real")"
  expect_eq "$bin $variant without the shim: real file" /proc/meminfo "$(kv fdlink "$real")"
  if [ -n "$(kv fileno_kept "$real")" ]; then
    expect_eq "$bin $variant: freopen keeps the stream's descriptor number (as glibc)" \
      "$(kv fileno_kept "$real")" "$(kv fileno_kept "$out")"
  fi
  if [ "$bin" = probe_open_fortify ]; then
    local sym
    case $variant in
      open) sym=__open_2 ;; open64) sym=__open64_2 ;;
      openat | openat_dirfd) sym=__openat_2 ;; openat64) sym=__openat64_2 ;;
    esac
    if command -v nm >/dev/null 2>&1; then
      expect_match "probe_open_fortify imports $sym (the fortified path is exercised)" \
        "(^|[[:space:]])$sym(@|$)" "$(nm -D "$PROBES/probe_open_fortify" | awk '$1 == "U" { print $2 }' | tr '\n' ' ')"
    else
      echo "NOTE: nm not installed, cannot confirm that $sym is imported"
    fi
  fi
}

case_sysinfo() {
  limited_cgroup
  local out real
  run out "$CG" shim "$PROBES/probe_sysinfo"
  expect_eq "sysinfo totalram*mem_unit" "$LIMIT_BYTES" "$(kv totalram_bytes "$out")"
  local free_kb=$(($(kv freeram_bytes "$out") / 1024))
  check_live "sysinfo" $(($(kv totalram_bytes "$out") / 1024)) "$free_kb" "$free_kb" "$LIMIT_KB"
  expect_le "sysinfo sharedram <= totalram" "$(kv sharedram_bytes "$out")" "$LIMIT_BYTES"
  expect_le "sysinfo bufferram <= totalram" "$(kv bufferram_bytes "$out")" "$LIMIT_BYTES"
  run real "$CG" real "$PROBES/probe_sysinfo"
  expect_eq "sysinfo without the shim: host total" $((HOST_MEMTOTAL_KB * 1024)) "$(kv totalram_bytes "$real")"
  expect_eq "sysinfo procs is forwarded (within 50 of real)" 1 \
    $(($(kv procs "$out") - $(kv procs "$real") < 50 && $(kv procs "$real") - $(kv procs "$out") < 50))
}

case_sysconf() {
  limited_cgroup
  local out real k
  run out "$CG" shim "$PROBES/probe_sysconf"
  expect_eq "sysconf(_SC_PHYS_PAGES)*pagesize" "$LIMIT_BYTES" "$(kv phys_bytes "$out")"
  expect_eq "sysconf(_SC_PHYS_PAGES)" $((LIMIT_BYTES / HOST_PAGESIZE)) "$(kv phys_pages "$out")"
  expect_eq "get_phys_pages()*pagesize" "$LIMIT_BYTES" "$(kv get_phys_bytes "$out")"
  local av=$(($(kv avphys_bytes "$out") / 1024))
  check_live "sysconf(_SC_AVPHYS_PAGES)" $(($(kv phys_bytes "$out") / 1024)) "$av" "$av" "$LIMIT_KB"
  local gav=$(($(kv get_avphys_bytes "$out") / 1024))
  check_live "get_avphys_pages()" $(($(kv get_phys_bytes "$out") / 1024)) "$gav" "$gav" "$LIMIT_KB"
  run real "$CG" real "$PROBES/probe_sysconf"
  expect_eq "sysconf without the shim: host total" $((HOST_MEMTOTAL_KB * 1024)) "$(kv phys_bytes "$real")"
  for k in pagesize nprocessors_onln nprocessors_conf open_max; do
    expect_eq "sysconf $k is forwarded (shim = real)" "$(kv $k "$real")" "$(kv $k "$out")"
  done
  expect_eq "sysconf _SC_NPROCESSORS_ONLN = getconf" "$(getconf _NPROCESSORS_ONLN)" "$(kv nprocessors_onln "$out")"
}

_check_two_reads() {
  local what=$1 out=$2
  check_live "$what first read" "$(kv MemTotal_1 "$out")" "$(kv MemFree_1 "$out")" \
    "$(kv MemAvailable_1 "$out")" "$LIMIT_KB"
  expect_eq "$what second read: MemTotal" "$LIMIT_KB" "$(kv MemTotal_2 "$out")"
  expect_le "$what second read: MemFree <= MemAvailable" "$(kv MemFree_2 "$out")" "$(kv MemAvailable_2 "$out")"
  expect_le "$what second read: MemAvailable <= MemTotal" "$(kv MemAvailable_2 "$out")" "$LIMIT_KB"
  expect_ge "$what second read: MemFree >= 0" "$(kv MemFree_2 "$out")" 0
  expect_ge "$what: MemFree dropped by >= 60 MiB after touching 64 MiB" "$(kv drop_kB "$out")" "$DROP_MIN_KB"
  expect_eq "$what third read: MemTotal" "$LIMIT_KB" "$(kv MemTotal_3 "$out")"
  expect_le "$what third read: MemFree <= MemAvailable" "$(kv MemFree_3 "$out")" "$(kv MemAvailable_3 "$out")"
  expect_ge "$what: MemFree dropped again by >= 60 MiB after touching 64 MiB more" \
    "$(kv drop2_kB "$out")" "$DROP_MIN_KB"
  expect_ne "$what: served from a synthesized file" /proc/meminfo "$(kv fdlink "$out")"
}

case_keepfd() {
  local mode=$1 out
  limited_cgroup
  run out "$CG" shim "$PROBES/probe_keepfd" "$mode"
  expect_eq "keepfd $mode: read after the first one hits EOF" 0 "$(kv eof_read "$out")"
  expect_eq "keepfd $mode: $mode(fd, 0, SEEK_SET) returns 0" 0 "$(kv seek_result_2 "$out")"
  expect_eq "keepfd $mode: second $mode(fd, 0, SEEK_SET) returns 0" 0 "$(kv seek_result_3 "$out")"
  _check_two_reads "keepfd $mode" "$out"
}

case_keepfile() {
  local mode=$1 out
  limited_cgroup
  run out "$CG" shim "$PROBES/probe_keepfile" "$mode"
  expect_eq "keepfile $mode: first pass reached EOF" 1 "$(kv eof_after_first "$out")"
  local i
  for i in 2 3; do
    expect_eq "keepfile $mode: reposition #$((i - 1)) returns 0" 0 "$(kv reposition_result_$i "$out")"
    expect_eq "keepfile $mode: ftell after reposition #$((i - 1))" 0 "$(kv position_after_$i "$out")"
  done
  _check_two_reads "keepfile $mode" "$out"
}

case_ctor() {
  limited_cgroup
  local out real
  run out "$CG" shim "$PROBES/probe_ctor"
  expect_eq "constructor ran" 1 "$(kv ctor_ran "$out")"
  expect_eq "constructor: open()+read MemTotal" "$LIMIT_KB" "$(kv ctor_open_MemTotal "$out")"
  expect_eq "constructor: fopen()+fgets MemTotal" "$LIMIT_KB" "$(kv ctor_fopen_MemTotal "$out")"
  expect_eq "constructor: sysinfo totalram bytes" "$LIMIT_BYTES" "$(kv ctor_sysinfo_totalram_bytes "$out")"
  expect_eq "constructor: sysconf phys bytes" "$LIMIT_BYTES" "$(kv ctor_sysconf_phys_bytes "$out")"
  expect_eq "main: MemTotal" "$LIMIT_KB" "$(kv main_MemTotal "$out")"
  run real "$CG" real "$PROBES/probe_ctor"
  expect_eq "constructor without the shim: host MemTotal" "$HOST_MEMTOTAL_KB" "$(kv ctor_open_MemTotal "$real")"
}

case_fork_exec() {
  local mode=$1 out
  limited_cgroup
  run out "$CG" shim "$PROBES/probe_fork_exec" "$mode"
  expect_eq "fork_exec $mode: child exit status" 0 "$(kv child_status "$out")"
  expect_eq "fork_exec $mode: inherited fd has no FD_CLOEXEC" 0 "$(kv child_fd_cloexec "$out")"
  expect_eq "fork_exec $mode: child has LD_PRELOAD" "$([ "$mode" = keep ] && echo 1 || echo 0)" \
    "$(kv child_preload "$out")"
  expect_ne "fork_exec $mode: inherited fd is the synthesized file" /proc/meminfo "$(kv child_fdlink "$out")"
  check_live "fork_exec $mode: child reading the inherited fd" "$(kv child_MemTotal "$out")" \
    "$(kv child_MemFree "$out")" "$(kv child_MemAvailable "$out")" "$LIMIT_KB" nolower
  expect_eq "fork_exec $mode: child's text well-formed" 1 "$(kv child_wellformed "$out")"
  expect_eq "fork_exec $mode: parent MemTotal" "$LIMIT_KB" "$(kv parent_MemTotal "$out")"
}

case_cloexec() {
  limited_cgroup
  local out real w
  run out "$CG" shim "$PROBES/probe_cloexec"
  run real "$CG" real "$PROBES/probe_cloexec"
  for w in open_cloexec:1 open_plain:0 openat_cloexec:1 openat_plain:0 open64_cloexec:1 \
    fopen_re:1 fopen_r:0 fopen64_re:1 freopen_re:1 freopen_r:0; do
    local way=${w%%:*} want=${w#*:}
    expect_eq "$way: FD_CLOEXEC" "$want" "$(kv "$way" "$out")"
    expect_eq "$way: FD_CLOEXEC as without the shim" "$(kv "$way" "$real")" "$(kv "$way" "$out")"
    expect_eq "$way: MemTotal through that descriptor" "$LIMIT_KB" "$(kv "${way}_MemTotal" "$out")"
  done
}

case_fdleak() {
  limited_cgroup
  local out
  run out "$CG" shim "$PROBES/probe_fdleak" "${CGLIMITS_ITEST_FDLEAK_CYCLES:-10000}"
  expect_eq "fdleak: cycles failed" 0 "$(kv failures "$out")"
  expect_eq "fdleak: /proc/self/fd entries after = before" "$(kv fds_before "$out")" "$(kv fds_after "$out")"
  expect_eq "fdleak: last open got the same fd number as the first" "$(kv first_fd "$out")" "$(kv last_fd "$out")"
  expect_eq "fdleak: open loop MemTotal" "$LIMIT_KB" "$(kv open_MemTotal "$out")"
  expect_eq "fdleak: fopen loop MemTotal" "$LIMIT_KB" "$(kv fopen_MemTotal "$out")"
  if ((SANITIZER_PRELOAD)); then
    echo "NOTE: sanitizer build: ASan's quarantine keeps freed memory, resident set growth not checked"
  else
    expect_le "fdleak: resident set grew by <= 8 MiB over all cycles" "$(kv rss_growth_kB "$out")" 8192
  fi
}

# The library holds no descriptor between calls: a program that reads again and again still
# gets as many descriptors before EMFILE as without it, a full table makes the open fail as
# it would without the library (never the host's figures), and nothing crosses exec.
case_no_descriptors_held() {
  limited_cgroup
  local out real moved other=$CG-other
  make_cgroup "$other" $((LIMIT_BYTES / 2))
  run out "$CG" shim "$PROBES/probe_fdlimit"
  run real "$CG" real "$PROBES/probe_fdlimit"
  run moved "$CG" shim env PROBE_MOVE_PROCS="$(cgroup_path "$other")/cgroup.procs" \
    "$PROBES/probe_fdlimit"
  expect_eq "no fds held: MemTotal on the third read" "$LIMIT_KB" "$(kv kept_MemTotal "$out")"
  expect_eq "no fds held: the open loop ends with EMFILE" EMFILE "$(kv emfile_errno "$out")"
  expect_eq "no fds held: descriptors obtained before EMFILE, as without the shim" \
    "$(kv opened "$real")" "$(kv opened "$out")"
  expect_eq "no fds held: MemTotal after running out of descriptors" "$LIMIT_KB" \
    "$(kv after_MemTotal "$out")"
  expect_eq "no fds held: table filled with dup(2), then open fails as without the shim" \
    "$(kv full_open "$real")" "$(kv full_open "$out")"
  expect_eq "no fds held: without the shim that open fails with EMFILE" EMFILE \
    "$(kv full_open "$real")"
  expect_eq "no fds held: moved, table filled, then open fails as without the shim" \
    "$(kv full_open "$real")" "$(kv full_open "$moved")"
  expect_eq "no fds held: descriptors inherited across exec, as without the shim" \
    "$(kv inherited "$real")" "$(kv inherited "$out")"
}

# _errno_compare WHAT SHIM_OUT REAL_OUT KEY...
_errno_compare() {
  local what=$1 out=$2 real=$3 k
  shift 3
  for k in "$@"; do
    expect_eq "$what $k: as without the shim" "$(kv "$k" "$real")" "$(kv "$k" "$out")"
  done
}

# _as_nobody_possible: can uid 65534 run the probes and load the shim?
_as_nobody_possible() {
  command -v setpriv >/dev/null 2>&1 || return 1
  setpriv --reuid=65534 --regid=65534 --clear-groups \
    sh -c 'test -r "$1" && test -x "$2"' sh "$SHIM" "$PROBES/probe_errno" 2>/dev/null
}

case_errno() {
  limited_cgroup
  local out real k
  run out "$CG" shim "$PROBES/probe_errno"
  run real "$CG" real "$PROBES/probe_errno"
  for k in errno_after_unrelated_open errno_after_unrelated_fopen errno_after_meminfo_open \
    errno_after_meminfo_lseek errno_after_meminfo_fopen errno_after_meminfo_rewind \
    errno_after_sysinfo errno_after_sysconf_phys_pages errno_after_sysconf_avphys_pages; do
    expect_eq "$k (errno set to 1234 before a successful call)" 1234 "$(kv "$k" "$out")"
  done
  for k in missing_open missing_openat missing_fopen missing_proc_neighbour; do
    expect_eq "$k" ENOENT "$(kv "$k" "$out")"
  done
  expect_eq "meminfo_directory (O_DIRECTORY)" ENOTDIR "$(kv meminfo_directory "$out")"
  local core=(missing_open missing_openat missing_fopen missing_proc_neighbour meminfo_wronly
    meminfo_directory meminfo_fopen_w)
  _errno_compare "root:" "$out" "$real" "${core[@]}"
  if _as_nobody_possible; then
    local -a nob=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    run out "$CG" shim "${nob[@]}" "$PROBES/probe_errno"
    run real "$CG" real "${nob[@]}" "$PROBES/probe_errno"
    expect_eq "uid 65534: meminfo_wronly (O_WRONLY)" EACCES "$(kv meminfo_wronly "$out")"
    expect_eq "uid 65534: meminfo_fopen_w" EACCES "$(kv meminfo_fopen_w "$out")"
    expect_eq "uid 65534: meminfo_directory" ENOTDIR "$(kv meminfo_directory "$out")"
    expect_eq "uid 65534: errno_after_meminfo_open" 1234 "$(kv errno_after_meminfo_open "$out")"
    _errno_compare "uid 65534:" "$out" "$real" "${core[@]}"
  else
    echo "NOTE: cannot run the probe as uid 65534 (no setpriv, or $SHIM / $PROBES not accessible): EACCES part not checked"
  fi
}

case_edge_flags() {
  limited_cgroup
  local out real
  local edge=(edge_rdwr edge_creat_excl edge_wronly_trunc edge_path edge_nofollow
    edge_trailing_slash edge_openat_closed_dirfd edge_openat_file_dirfd edge_fopen_a
    edge_fopen_rplus edge_fopen_bad_mode)
  run out "$CG" shim "$PROBES/probe_errno"
  run real "$CG" real "$PROBES/probe_errno"
  _errno_compare "root:" "$out" "$real" "${edge[@]}"
  if _as_nobody_possible; then
    local -a nob=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    run out "$CG" shim "${nob[@]}" "$PROBES/probe_errno"
    run real "$CG" real "${nob[@]}" "$PROBES/probe_errno"
    _errno_compare "uid 65534:" "$out" "$real" "${edge[@]}"
  fi
}

# _nested_checks CGROUP EXPECTED_KB
_nested_checks() {
  local cg=$1 exp=$2 out
  run out "$cg" shim cat /proc/meminfo
  check_meminfo_text "cat /proc/meminfo in $cg" "$out" "$exp"
  check_totals_via_all "$cg" "$exp"
  run out "$cg" shim "$PROBES/probe_open" open
  check_probe_meminfo "probe_open open in $cg" "$out" "$exp"
}

case_nested_child_without_limit() {
  make_cgroup "$CG" "$LIMIT_BYTES"
  make_cgroup child "" "$CG"
  _nested_checks "$CG/child" "$LIMIT_KB"
}

case_nested_grandchild_without_limit() {
  make_cgroup "$CG" "$LIMIT_BYTES"
  make_cgroup mid/leaf "" "$CG"
  _nested_checks "$CG/mid/leaf" "$LIMIT_KB"
}

case_nested_child_larger_limit() {
  make_cgroup "$CG" "$LIMIT_BYTES"
  make_cgroup child $((2 * LIMIT_BYTES)) "$CG"
  _nested_checks "$CG/child" "$LIMIT_KB"
}

case_nested_child_smaller_limit() {
  make_cgroup "$CG" "$LIMIT_BYTES"
  make_cgroup child $((LIMIT_BYTES / 2)) "$CG"
  _nested_checks "$CG/child" $((LIMIT_KB / 2))
}

case_unlimited() {
  make_cgroup "$CG" ""
  check_passthrough "$CG"
}

case_limit_above_host() {
  make_cgroup "$CG" $((HOST_MEMTOTAL_KB * 1024 * 2))
  check_passthrough "$CG"
}

case_disable_env() {
  limited_cgroup
  check_passthrough "$CG" CGLIMITS_DISABLE=1
  local out
  if [ -x /usr/bin/python3 ]; then
    run out "$CG" shim env CGLIMITS_DISABLE=1 /usr/bin/python3 -c \
      'import os; print(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))'
    expect_eq "python sysconf with CGLIMITS_DISABLE=1: host total" $((HOST_MEMTOTAL_KB * 1024)) "$out"
  fi
}

case_memory_env_128M_unlimited() {
  make_cgroup "$CG" ""
  check_totals_via_all "$CG" 131072 CGLIMITS_MEMORY=128M
  local out
  run out "$CG" shim env CGLIMITS_MEMORY=128M "$PROBES/probe_open" fopen
  check_probe_meminfo "probe_open fopen with CGLIMITS_MEMORY=128M" "$out" 131072 nolower
}

case_memory_env_1G_in_256M() {
  limited_cgroup
  check_totals_via_all "$CG" "$LIMIT_KB" CGLIMITS_MEMORY=1G
  local out
  run out "$CG" shim env CGLIMITS_MEMORY=1G "$PROBES/probe_open" open
  check_probe_meminfo "probe_open open with CGLIMITS_MEMORY=1G" "$out" "$LIMIT_KB"
}

case_memory_env_128M_in_256M() {
  limited_cgroup
  check_totals_via_all "$CG" 131072 CGLIMITS_MEMORY=128M
  local out
  run out "$CG" shim env CGLIMITS_MEMORY=128M "$PROBES/probe_open" open
  check_probe_meminfo "probe_open open with CGLIMITS_MEMORY=128M" "$out" 131072 nolower
}

case_debug_env() {
  limited_cgroup
  local out
  run out "$CG" shim env CGLIMITS_DEBUG=1 cat /proc/meminfo
  expect_eq "with CGLIMITS_DEBUG=1: MemTotal unchanged" "$LIMIT_KB" "$(mi MemTotal "$out")"
  expect_match "with CGLIMITS_DEBUG=1: 'cglimits: ' lines on stderr" '(^|'$'\n'')cglimits: ' "$LAST_STDERR"
  expect_nomatch "with CGLIMITS_DEBUG=1: nothing of it on stdout" 'cglimits:' "$out"
  local -a quiet=("cat /proc/meminfo" "$PROBES/probe_open open" "$PROBES/probe_open fopen"
    "$PROBES/probe_sysinfo" "$PROBES/probe_sysconf")
  command -v busybox >/dev/null 2>&1 && quiet+=("busybox free")
  command -v free >/dev/null 2>&1 && ((!SANITIZER_PRELOAD)) && quiet+=("free -k")
  local c
  for c in "${quiet[@]}"; do
    # shellcheck disable=SC2086
    run out "$CG" shim $c
    expect_eq "without CGLIMITS_DEBUG: '$c' writes nothing on stderr" "" "$LAST_STDERR"
  done
}

# v2: a child of a limited parent that does not delegate the memory
# controller (no +memory in the parent's cgroup.subtree_control) has no
# memory.* files; the parent's limit still applies.
case_child_without_memory_controller() {
  make_cgroup "$CG" "$LIMIT_BYTES"
  CG_DELEGATE_MEMORY=0 make_cgroup child "" "$CG"
  if [ -e "$(cgroup_path "$CG/child")/memory.max" ]; then
    _itest_fail "setup: $CG/child unexpectedly has memory.max"
  fi
  _nested_checks "$CG/child" "$LIMIT_KB"
}

# v2: memory.high below memory.max is where the kernel starts throttling and
# reclaiming: it is the effective limit.
case_memory_high_below_max() {
  limited_cgroup
  echo $((LIMIT_BYTES / 2)) >"$(cgroup_path "$CG")/memory.high" ||
    skip_or_fail "cannot write memory.high"
  check_totals_via_all "$CG" $((LIMIT_KB / 2))
}

# What a container sees: its own cgroup namespace, with the cgroup filesystem
# mounted inside it, so /proc/self/cgroup says "/" and the mount's root is the
# container's cgroup.
case_cgroup_namespace() {
  need_cmd unshare
  limited_cgroup
  local out c
  local -a ns=(unshare --cgroup --mount --propagation private
    sh "$HERE/cgroupns_exec.sh" "$CG_VERSION" "$CG_ROOT" "$PRELOAD")
  for c in "cat /proc/meminfo" "$PROBES/probe_sysinfo" "$PROBES/probe_sysconf"     "$PROBES/probe_open fopen"; do
    # shellcheck disable=SC2086
    run out "$CG" real "${ns[@]}" $c
    if [ "$LAST_STATUS" = 126 ]; then
      skip_or_fail "cannot mount the cgroup filesystem inside a new cgroup+mount namespace"
    fi
    case $c in
      cat*) check_meminfo_text "cat /proc/meminfo in a cgroup namespace" "$out" "$LIMIT_KB" ;;
      *probe_sysinfo)
        expect_eq "sysinfo in a cgroup namespace: totalram bytes" "$LIMIT_BYTES" "$(kv totalram_bytes "$out")"
        ;;
      *probe_sysconf)
        expect_eq "sysconf in a cgroup namespace: phys bytes" "$LIMIT_BYTES" "$(kv phys_bytes "$out")"
        ;;
      *probe_open*) check_probe_meminfo "probe_open fopen in a cgroup namespace" "$out" "$LIMIT_KB" ;;
    esac
  done
}

# ------------------------------------------------------------ the CPU count
#
# CGLIMITS_CPUS=auto: sysconf(_SC_NPROCESSORS_ONLN), __sysconf and get_nprocs() answer the
# CPUs of the affinity mask, lowered to the smallest CPU quota (rounded up) of the levels of
# the process's cpu cgroup, never below 1; CGLIMITS_CPUS=N caps that at N; unset or 0: the
# machine's figure.  _SC_NPROCESSORS_CONF, get_nprocs_conf() and sched_getaffinity never
# change.  Quotas are per 100000 us (CG_CPU_PERIOD_US): 50000 is half a CPU.  The expected
# figures follow from the affinity mask a process really has in the case's cgroup (read
# without the library): on a 2-CPU machine 0.5 CPU gives 1, 1.5 CPUs 2.

HOST_NPROC_ONLN=""
HOST_NPROC_CONF=""

# cpu_preflight: the machine's figures, as getconf sees them without the library
cpu_preflight() {
  need_cmd getconf
  need_cmd taskset
  HOST_NPROC_ONLN=$(getconf _NPROCESSORS_ONLN)
  HOST_NPROC_CONF=$(getconf _NPROCESSORS_CONF)
  echo "host: getconf _NPROCESSORS_ONLN $HOST_NPROC_ONLN, _NPROCESSORS_CONF $HOST_NPROC_CONF," \
    "affinity $(awk '$1 == "Cpus_allowed_list:" { print $2 }' /proc/self/status)"
}

# allowed_cpus N: the first N CPUs of this script's affinity mask, comma-separated (fewer
# when the mask has fewer)
allowed_cpus() {
  local n=$1 list part a b c
  local -a out=() parts=()
  list=$(awk '$1 == "Cpus_allowed_list:" { print $2 }' /proc/self/status)
  IFS=, read -r -a parts <<<"$list"
  for part in "${parts[@]}"; do
    a=${part%-*} b=${part#*-}
    for ((c = a; c <= b && ${#out[@]} < n; c++)); do out+=("$c"); done
  done
  local IFS=,
  printf '%s\n' "${out[*]}"
}

# cpu_want AFFINITY QUOTA_US [N]: what the library is to answer: the affinity count,
# lowered to the quota in CPUs rounded up ("" or max: none) and to N (0 or "": none),
# at least 1
cpu_want() {
  local want=$1 q=${2:-} n=${3:-0}
  if [ -n "$q" ] && [ "$q" != max ]; then
    q=$(((q + CG_CPU_PERIOD_US - 1) / CG_CPU_PERIOD_US))
    ((q < want)) && want=$q
  fi
  ((n > 0 && n < want)) && want=$n
  ((want < 1)) && want=1
  echo "$want"
}

# cpu_affinity CGROUP [PREFIX...]: the affinity count of a process in CGROUP started
# through PREFIX (e.g. taskset -c 0), read by probe_sysconf without the library
cpu_affinity() {
  local cg=$1 out
  shift
  run out "$cg" real "$@" "$PROBES/probe_sysconf" >&2
  kv affinity_cpus "$out"
}

# check_cpus WHAT CGROUP WANT [PREFIX...]: with the library and PREFIX (env assignments,
# taskset...) getconf _NPROCESSORS_ONLN, sysconf(_SC_NPROCESSORS_ONLN), __sysconf and
# get_nprocs() are WANT; _NPROCESSORS_CONF, get_nprocs_conf() and the affinity mask are
# what they are without it; without it the online count is the machine's.
check_cpus() {
  local what=$1 cg=$2 want=$3 out real
  shift 3
  run out "$cg" shim "$@" getconf _NPROCESSORS_ONLN
  expect_eq "$what: getconf _NPROCESSORS_ONLN" "$want" "$out"
  run out "$cg" shim "$@" getconf _NPROCESSORS_CONF
  expect_eq "$what: getconf _NPROCESSORS_CONF as without the library" "$HOST_NPROC_CONF" "$out"
  run out "$cg" shim "$@" "$PROBES/probe_sysconf"
  run real "$cg" real "$@" "$PROBES/probe_sysconf"
  expect_eq "$what: sysconf(_SC_NPROCESSORS_ONLN)" "$want" "$(kv nprocessors_onln "$out")"
  if [ -n "$(kv dunder_sysconf_nprocessors_onln "$real")" ]; then
    expect_eq "$what: __sysconf(_SC_NPROCESSORS_ONLN)" "$want" \
      "$(kv dunder_sysconf_nprocessors_onln "$out")"
  fi
  expect_eq "$what: get_nprocs()" "$want" "$(kv get_nprocs "$out")"
  expect_eq "$what: sysconf(_SC_NPROCESSORS_CONF) as without the library" \
    "$(kv nprocessors_conf "$real")" "$(kv nprocessors_conf "$out")"
  expect_eq "$what: get_nprocs_conf() as without the library" \
    "$(kv get_nprocs_conf "$real")" "$(kv get_nprocs_conf "$out")"
  expect_eq "$what: sched_getaffinity count as without the library" \
    "$(kv affinity_cpus "$real")" "$(kv affinity_cpus "$out")"
  expect_eq "$what: without the library sysconf(_SC_NPROCESSORS_ONLN) is the machine's" \
    "$HOST_NPROC_ONLN" "$(kv nprocessors_onln "$real")"
  expect_eq "$what: without the library get_nprocs() is the machine's" \
    "$HOST_NPROC_ONLN" "$(kv get_nprocs "$real")"
}

# case_cpus_quota QUOTA_US: one cgroup with that quota, CGLIMITS_CPUS=auto
case_cpus_quota() {
  local q=$1 aff want out
  cpu_preflight
  make_cpu_cgroup "$CG" "$q"
  aff=$(cpu_affinity "$CG")
  want=$(cpu_want "$aff" "$q")
  echo "expected: affinity $aff, quota $q/$CG_CPU_PERIOD_US us -> $want"
  check_cpus "quota $q/$CG_CPU_PERIOD_US, CGLIMITS_CPUS=auto" "$CG" "$want" env CGLIMITS_CPUS=auto
  run out "$CG" shim env CGLIMITS_CPUS=auto CGLIMITS_DEBUG=1 getconf _NPROCESSORS_ONLN
  expect_eq "with CGLIMITS_DEBUG=1: getconf _NPROCESSORS_ONLN" "$want" "$out"
  expect_match "with CGLIMITS_DEBUG=1: the CPU count line on stderr" \
    "(^|"$'\n'")cglimits: CPU count $want: affinity mask $aff, quota $(cpu_want 1000000 "$q") " \
    "$LAST_STDERR"
}

case_cpus_affinity_one() {
  local cpu
  cpu_preflight
  make_cpu_cgroup "$CG" ""
  cpu=$(allowed_cpus 1)
  expect_eq "setup: affinity count under taskset -c $cpu" 1 "$(cpu_affinity "$CG" taskset -c "$cpu")"
  check_cpus "no quota, taskset -c $cpu, CGLIMITS_CPUS=auto" "$CG" 1 \
    env CGLIMITS_CPUS=auto taskset -c "$cpu"
}

# case_cpus_cpuset N: no quota, the cgroup's cpuset holds N CPUs (the cpuset controller
# where it can be used, else an affinity mask of those CPUs); fewer when there are fewer
case_cpus_cpuset() {
  local n=$1 cpus aff
  local -a prefix=()
  cpu_preflight
  make_cpu_cgroup "$CG" ""
  cpus=$(allowed_cpus "$n")
  local have=$(($(tr -cd , <<<"$cpus" | wc -c) + 1))
  if ((have < n)); then
    echo "NOTE: only $have CPU(s) here ($cpus): a cpuset of $have"
  fi
  if make_cpuset_cgroup "$CG" "$cpus"; then
    echo "cpuset controller: cpus $cpus"
  else
    echo "NOTE: no cpuset controller to use: an affinity mask of $cpus (taskset) instead"
    prefix=(taskset -c "$cpus")
  fi
  aff=$(cpu_affinity "$CG" "${prefix[@]}")
  expect_eq "setup: affinity count in the cpuset of $cpus" "$have" "$aff"
  check_cpus "no quota, cpuset $cpus, CGLIMITS_CPUS=auto" "$CG" "$have" \
    env CGLIMITS_CPUS=auto "${prefix[@]}"
}

case_cpus_quota4_affinity2() {
  local cpus aff want
  cpu_preflight
  make_cpu_cgroup "$CG" 400000
  cpus=$(allowed_cpus 2)
  aff=$(cpu_affinity "$CG" taskset -c "$cpus")
  want=$(cpu_want "$aff" 400000)
  echo "expected: affinity $aff ($cpus), quota 4 CPUs -> $want"
  check_cpus "quota 4 CPUs, taskset -c $cpus, CGLIMITS_CPUS=auto" "$CG" "$want" \
    env CGLIMITS_CPUS=auto taskset -c "$cpus"
}

# case_cpus_nested PARENT_QUOTA_US CHILD_QUOTA_US: the smaller quota wins, whichever level
# has it.  cgroup v1 refuses a child quota above its parent's (EINVAL); the child then has
# none of its own, and the parent's still limits it.
case_cpus_nested() {
  local pq=$1 cq=$2 aff want
  cpu_preflight
  make_cpu_cgroup "$CG" "$pq"
  make_cpu_cgroup child "" "$CG"
  if set_cpu_quota "$CG/child" "$cq"; then
    echo "child: cpu quota=$cq/$CG_CPU_PERIOD_US us"
  elif [ "$CG_VERSION" = 1 ]; then
    echo "NOTE: cgroup v1 refuses a child quota ($cq) above its parent's ($pq): the child has no quota of its own"
    cq=""
  else
    skip_or_fail "cannot set a CPU quota of $cq us on $(cpu_cgroup_dir "$CG/child")"
  fi
  aff=$(cpu_affinity "$CG/child")
  local smaller=$pq
  [ -n "$cq" ] && ((cq < pq)) && smaller=$cq
  want=$(cpu_want "$aff" "$smaller")
  echo "expected: affinity $aff, parent quota $pq, child quota ${cq:-none} -> $want"
  check_cpus "parent quota $pq, child quota ${cq:-none}, CGLIMITS_CPUS=auto" "$CG/child" "$want" \
    env CGLIMITS_CPUS=auto
}

# opt-in: without CGLIMITS_CPUS, or with 0 (or empty), the count is the machine's
case_cpus_optin_off() {
  cpu_preflight
  make_cpu_cgroup "$CG" 50000
  check_cpus "quota 0.5 CPU, CGLIMITS_CPUS unset" "$CG" "$HOST_NPROC_ONLN"
  check_cpus "quota 0.5 CPU, CGLIMITS_CPUS=0" "$CG" "$HOST_NPROC_ONLN" env CGLIMITS_CPUS=0
  check_cpus "quota 0.5 CPU, CGLIMITS_CPUS empty" "$CG" "$HOST_NPROC_ONLN" env CGLIMITS_CPUS=
}

case_cpus_env_1_no_quota() {
  cpu_preflight
  make_cpu_cgroup "$CG" ""
  check_cpus "no quota, CGLIMITS_CPUS=1" "$CG" 1 env CGLIMITS_CPUS=1
}

# CGLIMITS_CPUS=N is a cap on the automatic figure, never a raise
case_cpus_env_above_auto() {
  local aff want free=cglimits-test-$CASE-free-$$
  cpu_preflight
  make_cpu_cgroup "$CG" 50000
  aff=$(cpu_affinity "$CG")
  want=$(cpu_want "$aff" 50000)
  check_cpus "quota 0.5 CPU, CGLIMITS_CPUS=64" "$CG" "$want" env CGLIMITS_CPUS=64
  check_cpus "quota 0.5 CPU, CGLIMITS_CPUS=$HOST_NPROC_ONLN (the machine's count)" "$CG" "$want" \
    env CGLIMITS_CPUS="$HOST_NPROC_ONLN"
  make_cpu_cgroup "$free" ""
  aff=$(cpu_affinity "$free")
  check_cpus "no quota, CGLIMITS_CPUS=64" "$free" "$aff" env CGLIMITS_CPUS=64
  # and below the automatic figure, N wins
  make_cpu_cgroup child 150000 "$free"
  check_cpus "quota 1.5 CPUs, CGLIMITS_CPUS=1" "$free/child" 1 env CGLIMITS_CPUS=1
}

# the cglimits wrapper: --cpus auto, --cpus=auto, --cpus 1; without --cpus: unchanged
case_cpus_wrapper() {
  local out aff want wrapper
  cpu_preflight
  if ((SANITIZER_PRELOAD)); then
    # the wrapper puts the library in front of an existing LD_PRELOAD; the ASan runtime
    # has to come first
    printf '\n*** SKIP: the wrapper cannot put the ASan runtime first (sanitizer build) ***\n\n'
    exit 77
  fi
  local -a w
  wrapper=$(dirname "$SHIM")/cglimits
  if [ -f "$wrapper" ]; then
    w=(sh "$wrapper") # the one the build configured, next to the library
  else
    w=(env "CGLIMITS_LIBRARY=$SHIM" sh "$HERE/../../scripts/cglimits")
  fi
  make_cpu_cgroup "$CG" 50000
  aff=$(cpu_affinity "$CG")
  want=$(cpu_want "$aff" 50000)
  run out "$CG" real "${w[@]}" --cpus auto getconf _NPROCESSORS_ONLN
  expect_eq "cglimits --cpus auto getconf _NPROCESSORS_ONLN" "$want" "$out"
  run out "$CG" real "${w[@]}" --cpus=auto getconf _NPROCESSORS_ONLN
  expect_eq "cglimits --cpus=auto getconf _NPROCESSORS_ONLN" "$want" "$out"
  run out "$CG" real "${w[@]}" --cpus auto getconf _NPROCESSORS_CONF
  expect_eq "cglimits --cpus auto getconf _NPROCESSORS_CONF: unchanged" "$HOST_NPROC_CONF" "$out"
  run out "$CG" real "${w[@]}" --cpus auto "$PROBES/probe_sysconf"
  expect_eq "cglimits --cpus auto probe_sysconf: get_nprocs()" "$want" "$(kv get_nprocs "$out")"
  run out "$CG" real "${w[@]}" getconf _NPROCESSORS_ONLN
  expect_eq "cglimits without --cpus: getconf _NPROCESSORS_ONLN is the machine's" "$HOST_NPROC_ONLN" "$out"
  run out "$CG" real "${w[@]}" --memory 128M "$PROBES/probe_sysconf"
  expect_eq "cglimits --memory 128M without --cpus: the library is loaded (128 MiB)" 134217728 \
    "$(kv phys_bytes "$out")"
  expect_eq "cglimits --memory 128M without --cpus: online count is the machine's" \
    "$HOST_NPROC_ONLN" "$(kv nprocessors_onln "$out")"
  local free=cglimits-test-$CASE-free-$$
  make_cpu_cgroup "$free" ""
  run out "$free" real "${w[@]}" --cpus 1 getconf _NPROCESSORS_ONLN
  expect_eq "cglimits --cpus 1 getconf _NPROCESSORS_ONLN (no quota)" 1 "$out"
}

case_cpus_python() {
  [ -x /usr/bin/python3 ] || skip_or_fail "/usr/bin/python3 is not installed"
  cpu_preflight
  make_cpu_cgroup "$CG" 50000
  local out real aff want
  aff=$(cpu_affinity "$CG")
  want=$(cpu_want "$aff" 50000)
  local prog='import os, multiprocessing
print(os.cpu_count())
print(multiprocessing.cpu_count())
print(len(os.sched_getaffinity(0)))
print(os.sysconf("SC_NPROCESSORS_CONF"))'
  run out "$CG" shim env CGLIMITS_CPUS=auto /usr/bin/python3 -c "$prog"
  expect_eq "python os.cpu_count() in a 0.5 CPU quota" "$want" "$(sed -n 1p <<<"$out")"
  expect_eq "python multiprocessing.cpu_count()" "$want" "$(sed -n 2p <<<"$out")"
  expect_eq "python len(os.sched_getaffinity(0)): unchanged" "$aff" "$(sed -n 3p <<<"$out")"
  expect_eq "python os.sysconf('SC_NPROCESSORS_CONF'): unchanged" "$HOST_NPROC_CONF" "$(sed -n 4p <<<"$out")"
  run real "$CG" real /usr/bin/python3 -c "$prog"
  expect_eq "python os.cpu_count() without the library: the machine's" "$HOST_NPROC_ONLN" "$(sed -n 1p <<<"$real")"
  run out "$CG" shim /usr/bin/python3 -c "$prog"
  expect_eq "python os.cpu_count() with the library, CGLIMITS_CPUS unset: the machine's" \
    "$HOST_NPROC_ONLN" "$(sed -n 1p <<<"$out")"
}

NGINX=""
NGINX_STARTED="" NGINX_EXITED="" NGINX_SEEN=""

# _nginx_workers LABEL shim|real [PREFIX...]: runs nginx (a master and "worker_processes
# auto", no http block) in $CG until its first worker exists, then stops it with SIGQUIT.
# The master blocks SIGQUIT from before it forks its first worker until it waits in
# sigsuspend with all of them forked, so its error log then holds one "start worker
# process PID" line per worker it started: NGINX_STARTED; NGINX_EXITED of them exited with
# code 0; NGINX_SEEN: its children when the first worker was seen.
_nginx_workers() {
  local label=$1 mode=$2 dir=$ITEST_TMPDIR/nginx-$1
  shift 2
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log notice;
events { worker_connections 16; }
EOF
  local -a pre=()
  [ "$mode" = shim ] && pre=(env "LD_PRELOAD=$PRELOAD")
  local -a cmd=("$NGINX" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log")
  echo "+ [$mode in $CG] $* ${cmd[*]}"
  cgroup_join_argv "$CG"
  "${CG_JOIN_ARGV[@]}" "${pre[@]}" "$@" "${cmd[@]}" >"$dir/stdout" 2>"$dir/stderr" &
  local master=$! deadline=$((SECONDS + 120)) up=0
  while ((SECONDS < deadline)); do
    if grep -q 'start worker process [0-9]' "$dir/error.log" 2>/dev/null; then
      up=1
      break
    fi
    kill -0 "$master" 2>/dev/null || break
    sleep 0.1
  done
  NGINX_SEEN=$(cat /proc/"$master"/task/*/children 2>/dev/null | wc -w)
  local rc=0
  if ((up)); then
    expect_eq "nginx ($label): its pid file names the process started" "$master" \
      "$(cat "$dir/nginx.pid" 2>/dev/null)"
    kill -QUIT "$master"
    deadline=$((SECONDS + 120))
    while kill -0 "$master" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  fi
  if kill -0 "$master" 2>/dev/null; then
    _itest_fail "nginx ($label): $([ "$up" = 1 ] && echo "did not stop after SIGQUIT" || echo "started no worker") within 120 s"
    kill -KILL "$master" 2>/dev/null
  fi
  wait "$master" || rc=$?
  [ -f "$dir/error.log" ] && sed 's/^/    log | /' "$dir/error.log"
  [ -s "$dir/stderr" ] && sed 's/^/    ! /' "$dir/stderr"
  echo "    (status $rc, children of the master when its first worker was seen: $NGINX_SEEN)"
  expect_eq "nginx ($label): master exit status" 0 "$rc"
  NGINX_STARTED=$(grep -c 'start worker process [0-9]' "$dir/error.log" 2>/dev/null)
  NGINX_EXITED=$(grep -c 'worker process [0-9]* exited with code 0' "$dir/error.log" 2>/dev/null)
}

case_cpus_nginx() {
  NGINX=$(command -v nginx || true)
  [ -n "$NGINX" ] || NGINX=/usr/sbin/nginx
  [ -x "$NGINX" ] || skip_or_fail "nginx is not installed (Debian package nginx-light)"
  cpu_preflight
  make_cpu_cgroup "$CG" 50000
  local aff want
  aff=$(cpu_affinity "$CG")
  want=$(cpu_want "$aff" 50000)
  _nginx_workers auto shim env CGLIMITS_CPUS=auto
  expect_eq "nginx worker_processes auto, CGLIMITS_CPUS=auto, 0.5 CPU quota: workers started" \
    "$want" "$NGINX_STARTED"
  expect_eq "nginx (CGLIMITS_CPUS=auto): workers that exited with code 0" "$want" "$NGINX_EXITED"
  expect_le "nginx (CGLIMITS_CPUS=auto): children seen <= workers started" "$NGINX_SEEN" "$NGINX_STARTED"
  # nginx 1.22 sizes "auto" by sysconf(_SC_NPROCESSORS_ONLN) alone; later versions also by
  # the affinity mask, which is the machine's here unless the caller restricted it
  local off=$HOST_NPROC_ONLN
  ((aff < off)) && echo "NOTE: affinity $aff < $off CPUs: newer nginx versions start $aff workers"
  _nginx_workers plain shim
  if ((aff < HOST_NPROC_ONLN)) && [ "$NGINX_STARTED" = "$aff" ]; then off=$aff; fi
  expect_eq "nginx worker_processes auto with the library, CGLIMITS_CPUS unset: workers started" \
    "$off" "$NGINX_STARTED"
  expect_eq "nginx (CGLIMITS_CPUS unset): workers that exited with code 0" "$off" "$NGINX_EXITED"
  expect_le "nginx (CGLIMITS_CPUS unset): children seen <= workers started" "$NGINX_SEEN" "$NGINX_STARTED"
}

# HotSpot's legacy mode (-XX:-UseContainerSupport) counts the CPUs of its affinity mask:
# os::Linux::active_processor_count() calls sched_getaffinity and falls back to
# sysconf(_SC_NPROCESSORS_ONLN) only when that fails.  So availableProcessors() is the
# affinity count with or without the library and CGLIMITS_CPUS (the library never changes
# sched_getaffinity).  With container support (the default) HotSpot reads the cgroup's
# quota itself; that figure is printed, not checked.
case_cpus_jvm() {
  need_cmd java
  need_cmd javac
  cpu_preflight
  unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS
  local src=$ITEST_TMPDIR/jvm out aff want cpu
  mkdir -p "$src"
  cat >"$src/AvailableProcessors.java" <<'EOF'
public class AvailableProcessors {
    public static void main(String[] args) {
        System.out.println(Runtime.getRuntime().availableProcessors());
    }
}
EOF
  timeout -k 5 "${CGLIMITS_ITEST_CMD_TIMEOUT:-120}" javac -d "$src" "$src/AvailableProcessors.java" ||
    skip_or_fail "javac cannot compile a class"
  make_cpu_cgroup "$CG" 50000
  aff=$(cpu_affinity "$CG")
  want=$(cpu_want "$aff" 50000)
  local -a jvm=(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx64m -cp "$src")
  run out "$CG" shim env CGLIMITS_CPUS=auto "$PROBES/probe_sysconf"
  expect_eq "the library answers sysconf(_SC_NPROCESSORS_ONLN) in this cgroup" "$want" \
    "$(kv nprocessors_onln "$out")"
  run out "$CG" shim env CGLIMITS_CPUS=auto "${jvm[@]}" -XX:-UseContainerSupport AvailableProcessors
  expect_eq "JVM -XX:-UseContainerSupport, CGLIMITS_CPUS=auto, 0.5 CPU quota: availableProcessors() is the affinity count" \
    "$aff" "$out"
  run out "$CG" real "${jvm[@]}" -XX:-UseContainerSupport AvailableProcessors
  expect_eq "JVM -XX:-UseContainerSupport without the library: the affinity count" "$aff" "$out"
  cpu=$(allowed_cpus 1)
  run out "$CG" shim env CGLIMITS_CPUS=auto taskset -c "$cpu" "${jvm[@]}" -XX:-UseContainerSupport \
    AvailableProcessors
  expect_eq "JVM -XX:-UseContainerSupport under taskset -c $cpu: follows the affinity mask" 1 "$out"
  run out "$CG" shim env CGLIMITS_CPUS=auto "${jvm[@]}" -XX:+UseContainerSupport AvailableProcessors
  echo "NOTE: JVM -XX:+UseContainerSupport (HotSpot's own cgroup reading), with the library: availableProcessors() = $out"
}

# A setuid-root program ignores every CGLIMITS_* variable: with CGLIMITS_CPUS=1 in a 0.5
# CPU quota it sees the machine's count, and CGLIMITS_DEBUG prints nothing.  The dynamic
# loader ignores LD_PRELOAD paths for setuid programs, so the library comes from
# /etc/ld.so.preload in a private mount namespace (overlay on /etc, else a bind-mounted
# copy); its 256 MiB memory figure shows that it is loaded.  Control: the same program
# without the setuid bit follows CGLIMITS_CPUS.
case_cpus_setuid() {
  need_cmd unshare
  need_cmd setpriv
  need_cmd findmnt
  if ((SANITIZER_PRELOAD)); then
    printf '\n*** SKIP: the ASan runtime cannot be preloaded into a setuid program (sanitizer build) ***\n\n'
    exit 77
  fi
  cpu_preflight
  limited_cgroup
  make_cpu_cgroup "$CG" 50000
  local had_preload=no base dir=""
  [ -e /etc/ld.so.preload ] && had_preload=yes
  for base in "${TMPDIR:-/tmp}" /var/tmp "$PROBES"; do
    case ",$(findmnt -no OPTIONS -T "$base")," in *,nosuid,*) continue ;; esac
    dir=$(mktemp -d "$base/cglimits-test-suid.XXXXXX") && break
  done
  [ -n "$dir" ] || skip_or_fail "no filesystem without nosuid for the setuid probe"
  SUID_DIR=$dir
  trap '_cg_cleanup; rm -rf "$ITEST_TMPDIR" "$SUID_DIR"' EXIT
  chmod 755 "$dir"
  cp "$SHIM" "$dir/libcglimits.so"
  cp "$PROBES/probe_sysconf" "$dir/probe_suid"
  cp "$PROBES/probe_sysconf" "$dir/probe_plain"
  chown root:root "$dir/probe_suid"
  chmod 755 "$dir/libcglimits.so" "$dir/probe_plain"
  chmod 4755 "$dir/probe_suid"
  setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$dir/probe_plain" 2>/dev/null ||
    skip_or_fail "uid 65534 cannot run programs from $dir (a parent directory not searchable?)"
  # Where /etc cannot be the lower layer of an overlay (9p), /etc becomes a directory of
  # symbolic links to the entries of the real one, bound at $dir/orig (no copying).
  # Each namespace gets fresh directories under $dir.
  local setup='
    dir=$1; shift
    ns=$(mktemp -d "$dir/ns.XXXXXX") && mkdir "$ns/upper" "$ns/work" "$ns/etc" "$ns/orig" || exit 126
    if mount -t overlay overlay -o "lowerdir=/etc,upperdir=$ns/upper,workdir=$ns/work" /etc 2>/dev/null; then :
    else
      mount --bind /etc "$ns/orig" || exit 126
      for f in "$ns"/orig/* "$ns"/orig/.[!.]*; do
        [ -e "$f" ] || [ -L "$f" ] || continue
        ln -s "$f" "$ns/etc/${f##*/}" || exit 126
      done
      rm -f "$ns/etc/ld.so.preload" && mount --bind "$ns/etc" /etc || exit 126
    fi
    echo "$dir/libcglimits.so" > /etc/ld.so.preload || exit 126
    exec "$@"'
  local -a nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  local -a envs=(env CGLIMITS_CPUS=1 CGLIMITS_DEBUG=1)
  local out ctl rc=0 crc=0 want
  want=$(cpu_want "$(cpu_affinity "$CG")" 50000 1)
  echo "+ [setuid in $CG] ${nobody[*]} ${envs[*]} $dir/probe_suid"
  out=$(run_in_cgroup "$CG" unshare -m --propagation private sh -c "$setup" sh "$dir" \
    "${nobody[@]}" timeout 60 "${envs[@]}" "$dir/probe_suid" 2>"$ITEST_TMPDIR/err_suid") || rc=$?
  [ "$rc" = 126 ] && skip_or_fail "cannot set up /etc/ld.so.preload in a private mount namespace"
  printf '%s\n' "$out" | sed 's/^/    | /'
  sed 's/^/    ! /' "$ITEST_TMPDIR/err_suid"
  echo "+ [plain in $CG] ${nobody[*]} ${envs[*]} $dir/probe_plain"
  ctl=$(run_in_cgroup "$CG" unshare -m --propagation private sh -c "$setup" sh "$dir" \
    "${nobody[@]}" timeout 60 "${envs[@]}" "$dir/probe_plain" 2>"$ITEST_TMPDIR/err_plain") || crc=$?
  printf '%s\n' "$ctl" | sed 's/^/    | /'
  sed 's/^/    ! /' "$ITEST_TMPDIR/err_plain"
  expect_eq "setuid probe ran" 0 "$rc"
  expect_eq "setuid probe: uid/euid" "65534/0" "$(kv uid "$out")/$(kv euid "$out")"
  expect_eq "setuid probe: the library is loaded (sysconf phys bytes = the 256 MiB limit)" \
    "$LIMIT_BYTES" "$(kv phys_bytes "$out")"
  expect_eq "setuid probe, CGLIMITS_CPUS=1 ignored: sysconf(_SC_NPROCESSORS_ONLN) is the machine's" \
    "$HOST_NPROC_ONLN" "$(kv nprocessors_onln "$out")"
  expect_eq "setuid probe: get_nprocs() is the machine's" "$HOST_NPROC_ONLN" "$(kv get_nprocs "$out")"
  expect_eq "setuid probe: __sysconf(_SC_NPROCESSORS_ONLN) is the machine's" "$HOST_NPROC_ONLN" \
    "$(kv dunder_sysconf_nprocessors_onln "$out")"
  expect_nomatch "setuid probe: no cglimits: line on stderr (CGLIMITS_DEBUG ignored)" 'cglimits:' \
    "$(cat "$ITEST_TMPDIR/err_suid")"
  expect_eq "control (no setuid bit) ran" 0 "$crc"
  expect_eq "control (no setuid bit): uid/euid" "65534/65534" "$(kv uid "$ctl")/$(kv euid "$ctl")"
  expect_eq "control (no setuid bit): CGLIMITS_CPUS=1 honoured" "$want" "$(kv nprocessors_onln "$ctl")"
  expect_eq "control (no setuid bit): get_nprocs()" "$want" "$(kv get_nprocs "$ctl")"
  expect_match "control (no setuid bit): CPU count line printed" \
    "(^|"$'\n'")cglimits: CPU count $want: " "$(cat "$ITEST_TMPDIR/err_plain")"
  if [ "$want" = "$HOST_NPROC_ONLN" ]; then
    echo "NOTE: one CPU only: the setuid and the plain probe cannot differ here"
  fi
  expect_eq "host /etc/ld.so.preload untouched (existed before: $had_preload)" "$had_preload" \
    "$([ -e /etc/ld.so.preload ] && echo yes || echo no)"
}

# ------------------------------------------------------------------ dispatch

case $CASE in
  busybox_free_reports_cgroup_total) case_busybox_free ;;
  busybox_top_batch_reports_cgroup_memory) case_busybox_top ;;
  procps_free_reports_cgroup_total) case_procps_free ;;
  procps_top_batch_reports_cgroup_total) case_procps_top ;;
  procps_vmstat_reports_cgroup_total) case_procps_vmstat ;;
  htop_meter_shows_cgroup_total) case_htop_meter ;;
  htoplike_fopen_loop_sees_fresh_values) case_htoplike ;;
  python_sysconf_phys_pages_is_cgroup_limit) case_python_sysconf ;;
  python_psutil_total_is_cgroup_limit) case_python_psutil ;;
  node_os_totalmem_is_cgroup_limit) case_node_totalmem ;;
  cat_proc_meminfo_shows_cgroup_figures) case_cat_proc_meminfo ;;
  probe_open_*_sees_cgroup_meminfo)
    v=${CASE#probe_open_}
    case_probe_open "${v%_sees_cgroup_meminfo}" probe_open
    ;;
  probe_fortified_*_sees_cgroup_meminfo)
    v=${CASE#probe_fortified_}
    case_probe_open "${v%_sees_cgroup_meminfo}" probe_open_fortify
    ;;
  sysinfo_reports_cgroup_memory) case_sysinfo ;;
  sysconf_reports_cgroup_pages) case_sysconf ;;
  keepfd_*_rereads_fresh_memfree)
    v=${CASE#keepfd_}
    case_keepfd "${v%_rereads_fresh_memfree}"
    ;;
  keepfile_*_rereads_fresh_memfree)
    v=${CASE#keepfile_}
    case_keepfile "${v%_rereads_fresh_memfree}"
    ;;
  ctor_early_open_sees_cgroup_total) case_ctor ;;
  fork_exec_inherited_fd_with_preload_has_cgroup_figures) case_fork_exec keep ;;
  fork_exec_inherited_fd_without_preload_has_cgroup_figures) case_fork_exec strip ;;
  cloexec_flags_honoured) case_cloexec ;;
  fdleak_open_close_cycles_leave_no_fds) case_fdleak ;;
  library_holds_no_descriptors_between_calls) case_no_descriptors_held ;;
  errno_preserved_and_errors_match_real) case_errno ;;
  open_flag_edge_cases_match_real) case_edge_flags ;;
  nested_child_without_limit_inherits_parent_limit) case_nested_child_without_limit ;;
  nested_grandchild_without_limit_inherits_ancestor_limit) case_nested_grandchild_without_limit ;;
  nested_child_larger_limit_sees_parent_limit) case_nested_child_larger_limit ;;
  nested_child_smaller_limit_sees_own_limit) case_nested_child_smaller_limit ;;
  unlimited_cgroup_passes_through_real_file) case_unlimited ;;
  limit_above_host_passes_through_real_file) case_limit_above_host ;;
  disable_env_passes_through_in_limited_cgroup) case_disable_env ;;
  memory_env_128M_in_unlimited_cgroup) case_memory_env_128M_unlimited ;;
  memory_env_1G_in_256M_cgroup_smallest_wins) case_memory_env_1G_in_256M ;;
  memory_env_128M_in_256M_cgroup_smallest_wins) case_memory_env_128M_in_256M ;;
  debug_env_prints_diagnostics_only_when_set) case_debug_env ;;
  cgroup_namespace_with_own_cgroupfs_mount_sees_limit) case_cgroup_namespace ;;
  child_without_memory_controller_uses_parent_limit) case_child_without_memory_controller ;;
  memory_high_below_max_is_the_limit) case_memory_high_below_max ;;
  query_*) query_case "$CASE" ;;
  cpus_auto_quota_half_cpu_is_1) case_cpus_quota 50000 ;;
  cpus_auto_quota_1_5_cpus_is_2) case_cpus_quota 150000 ;;
  cpus_auto_no_quota_affinity_1_cpu_is_1) case_cpus_affinity_one ;;
  cpus_auto_no_quota_cpuset_1_cpu_is_1) case_cpus_cpuset 1 ;;
  cpus_auto_no_quota_cpuset_2_cpus_is_2) case_cpus_cpuset 2 ;;
  cpus_auto_quota_4_cpus_affinity_2_cpus_is_2) case_cpus_quota4_affinity2 ;;
  cpus_auto_nested_parent_1_5_child_4_is_2) case_cpus_nested 150000 400000 ;;
  cpus_auto_nested_parent_4_child_half_is_1) case_cpus_nested 400000 50000 ;;
  cpus_unset_or_0_is_host_count_in_half_cpu_quota) case_cpus_optin_off ;;
  cpus_env_1_without_quota_is_1) case_cpus_env_1_no_quota ;;
  cpus_env_above_auto_figure_is_auto_figure) case_cpus_env_above_auto ;;
  cpus_wrapper_cpus_auto_in_half_cpu_quota_is_1) case_cpus_wrapper ;;
  cpus_python_os_cpu_count_in_half_cpu_quota_is_1) case_cpus_python ;;
  cpus_nginx_worker_processes_auto_in_half_cpu_quota_is_1) case_cpus_nginx ;;
  cpus_jvm_legacy_mode_available_processors_is_affinity_count) case_cpus_jvm ;;
  cpus_setuid_program_ignores_cglimits_cpus) case_cpus_setuid ;;
  *)
    echo "run_case.sh: case '$CASE' is listed but has no implementation" >&2
    exit 2
    ;;
esac

finish
