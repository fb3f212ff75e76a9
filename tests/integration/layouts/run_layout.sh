#!/usr/bin/env bash
# Cgroup layouts a real host produces, and an honest check against the kernel's own
# enforcement, with the shim preloaded into programs in real cgroups.
#
#   SHIM=build/libcglimits.so PROBES=build/tests/integration/layouts \
#     tests/integration/layouts/run_layout.sh CASE
#   run_layout.sh --list [v1|v2]     the cases for that cgroup version (default: this host's)
#
# Figures are exact where the kernel makes them so (limits); live ones are bounded.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"

common_cases=(
  oom_truth_available_minus_8m_survives
  oom_truth_total_plus_32m_is_oom_killed
  moved_process_sees_new_cgroup_on_refresh
  cgroup_namespace_without_remount_finds_own_cgroup
)
v2_cases=(
  v2_nested_parent_limit_below_child_wins
  v2_swap_max_zero_hides_swap
  v2_swap_max_finite_limits_swap
  v2_swap_max_unlimited_shows_host_swap
)

if [ "${1:-}" = --list ]; then
  version=${2:-}
  [ -n "$version" ] || version=v$(cgroup_version 2>/dev/null || echo 1)
  printf '%s\n' "${common_cases[@]}"
  [ "$version" = v2 ] && printf '%s\n' "${v2_cases[@]}"
  exit 0
fi

CASE=${1:?usage: run_layout.sh CASE | --list}
unset LD_PRELOAD CGLIMITS_DISABLE CGLIMITS_DEBUG CGLIMITS_MEMORY CGLIMITS_SYSROOT
[ -f "${SHIM:-}" ] || { echo "FAIL: SHIM='${SHIM:-}' is not a file"; exit 1; }
[ -d "${PROBES:-}" ] || { echo "FAIL: PROBES='${PROBES:-}' is not a directory"; exit 1; }
SHIM=$(readlink -f "$SHIM")
# With sanitizers the ASan runtime has to come first; PRELOAD is what every case preloads.
PRELOAD="${CGLIMITS_ITEST_PRELOAD_PREFIX:+$CGLIMITS_ITEST_PRELOAD_PREFIX:}$SHIM"
cleanup_stale_cgroups cglimits-layout-
cg_base=cglimits-layout-$CASE-$$
MIB=$((1024 * 1024))

# field NAME < meminfo text: the value in kB
field() { awk -v k="$1:" '$1 == k { print $2; exit }'; }

# shim_meminfo CGROUP: /proc/meminfo as a program in CGROUP sees it through the shim
shim_meminfo() { run_in_cgroup "$1" env LD_PRELOAD="$PRELOAD" cat /proc/meminfo; }

# The honest comparison: what the shim says is available can really be used; the total
# cannot be exceeded. Swap would let the kernel push pages out instead of killing.
# Under sanitizers the preloaded ASan runtime is itself a tenant of the cgroup (shadow
# memory, quarantine), so what the probe may allocate is no longer the shim's to predict.
skip_under_sanitizers() {
  if [ -n "${CGLIMITS_ITEST_PRELOAD_PREFIX:-}" ]; then
    echo "SKIP: the sanitizer runtime's own memory use makes the OOM comparison meaningless"
    exit 77
  fi
}

case_oom_truth_available_minus_8m_survives() {
  skip_under_sanitizers
  make_cgroup "$cg_base" $((200 * MIB))
  no_swap_for "$cg_base"
  local out rc=0
  out=$(run_in_cgroup "$cg_base" env LD_PRELOAD="$PRELOAD" "$PROBES/probe_alloc" \
    available-minus 8) || rc=$?
  itest_log "$out"
  expect_eq "probe exit status" 0 "$rc"
  expect_match "probe output" 'MemTotal=204800 ' "$out"
  expect_match "allocation of MemAvailable - 8 MiB" 'survived' "$out"
}

case_oom_truth_total_plus_32m_is_oom_killed() {
  skip_under_sanitizers
  make_cgroup "$cg_base" $((200 * MIB))
  no_swap_for "$cg_base"
  local out rc=0
  out=$(run_in_cgroup "$cg_base" env LD_PRELOAD="$PRELOAD" "$PROBES/probe_alloc" total-plus 32) ||
    rc=$?
  itest_log "$out (exit status $rc)"
  expect_match "probe output" 'MemTotal=204800 ' "$out"
  expect_nomatch "allocation of MemTotal + 32 MiB" 'survived' "$out"
  expect_eq "killed by SIGKILL (the OOM killer)" 137 "$rc"
}

# no_swap_for CGROUP: take swap out of the picture (v2 swap.max 0; v1 memsw = limit).
no_swap_for() {
  local dir
  dir=$(cgroup_path "$1")
  if [ "$CG_VERSION" = 2 ]; then
    [ -e "$dir/memory.swap.max" ] && echo 0 >"$dir/memory.swap.max"
  elif [ -e "$dir/memory.memsw.limit_in_bytes" ]; then
    cat "$dir/memory.limit_in_bytes" >"$dir/memory.memsw.limit_in_bytes"
  fi
  return 0
}

case_moved_process_sees_new_cgroup_on_refresh() {
  local cg_a=cglimits-layout-moved-a-$$ cg_b=cglimits-layout-moved-b-$$
  make_cgroup "$cg_a" $((256 * MIB))
  make_cgroup "$cg_b" $((128 * MIB))
  local flag=$ITEST_TMPDIR/moved out=$ITEST_TMPDIR/out
  run_in_cgroup "$cg_a" env LD_PRELOAD="$PRELOAD" "$PROBES/probe_move" "$flag" >"$out" &
  local pid=$! i
  for ((i = 0; i < 500; i++)); do
    grep -q '^first=' "$out" 2>/dev/null && break
    sleep 0.02
  done
  # $! is the subshell running the function; the probe is its child: move whatever is in a.
  local task
  while read -r task; do
    echo "$task" >"$(cgroup_path "$cg_b")/cgroup.procs"
  done <"$(cgroup_path "$cg_a")/cgroup.procs"
  touch "$flag"
  local rc=0
  wait "$pid" || rc=$?
  itest_log "$(cat "$out")"
  expect_eq "probe exit status" 0 "$rc"
  expect_eq "MemTotal before the move (256 MiB cgroup)" 262144 "$(sed -n 's/^first=//p' "$out")"
  expect_eq "MemTotal on the kept fd after the move (128 MiB cgroup)" 131072 \
    "$(sed -n 's/^second=//p' "$out")"
}

# unshare --cgroup without mounting cgroupfs again: the mount's root now lies above the
# namespace root ("/.." in mountinfo), so the mount point is not the process's cgroup.
case_cgroup_namespace_without_remount_finds_own_cgroup() {
  command -v unshare >/dev/null || skip_or_fail "unshare(1) is missing"
  make_cgroup "$cg_base" $((256 * MIB))
  local text
  text=$(run_in_cgroup "$cg_base" unshare --cgroup sh -c \
    'grep -E " - cgroup2? " /proc/self/mountinfo | head -n 3 >&2; cat /proc/self/cgroup >&2;
     LD_PRELOAD="$0" cat /proc/meminfo' "$PRELOAD")
  expect_eq "MemTotal in the namespace (not the host's)" 262144 "$(field MemTotal <<<"$text")"
}

case_v2_nested_parent_limit_below_child_wins() {
  make_cgroup "$cg_base" $((200 * MIB))
  make_cgroup child max "$cg_base"
  local text
  text=$(shim_meminfo "$cg_base/child")
  expect_eq "MemTotal under a 200 MiB parent" 204800 "$(field MemTotal <<<"$text")"
  expect_le "MemFree <= MemTotal" "$(field MemFree <<<"$text")" 204800
}

need_swap() {
  local host_swap
  host_swap=$(field SwapTotal </proc/meminfo)
  [ "${host_swap:-0}" -gt 0 ] || skip_or_fail "no swap on this machine"
  [ -e "$(cgroup_path "$cg_base")/memory.swap.max" ] || skip_or_fail "no swap accounting"
}

swap_case() { # swap_case SWAP_MAX EXPECTED_TOTAL_KB
  make_cgroup "$cg_base" $((256 * MIB))
  need_swap
  echo "$1" >"$(cgroup_path "$cg_base")/memory.swap.max"
  local text
  text=$(shim_meminfo "$cg_base")
  expect_eq "MemTotal" 262144 "$(field MemTotal <<<"$text")"
  expect_eq "SwapTotal with memory.swap.max=$1" "$2" "$(field SwapTotal <<<"$text")"
  expect_le "SwapFree <= SwapTotal" "$(field SwapFree <<<"$text")" "$2"
}

case_v2_swap_max_zero_hides_swap() { swap_case 0 0; }
case_v2_swap_max_finite_limits_swap() { swap_case $((32 * MIB)) 32768; }
case_v2_swap_max_unlimited_shows_host_swap() {
  swap_case max "$(field SwapTotal </proc/meminfo)"
}

fn=case_$CASE
declare -F "$fn" >/dev/null || { echo "FAIL: unknown case $CASE"; exit 1; }
echo "case $CASE: cgroup v$(cgroup_version 2>/dev/null || echo '?'), shim $SHIM"
"$fn"
finish
