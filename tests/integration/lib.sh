# shellcheck shell=bash
# Helpers for the cglimits integration tests: real programs in real
# memory-limited cgroups, cgroup v1 or v2.
#
# Source this file from bash.  It installs an EXIT trap that kills whatever is
# left in the cgroups it created and removes them (leaf first).
#
#   cgroup_version            prints 1 or 2 (exit 1 when no usable memory controller)
#   make_cgroup NAME LIMIT [PARENT]
#                             creates NAME (may be nested: a/b; under PARENT when
#                             given) with LIMIT bytes ("" or "max": no limit of its
#                             own); every directory it creates is removed on exit
#   cgroup_path NAME          absolute directory of NAME
#   cgroup_usage_kb NAME      current charge of NAME in kB
#   run_in_cgroup NAME CMD... runs CMD inside NAME (sh moves itself, then execs CMD);
#                             v1: also into the cpu/cpuset cgroups made for NAME
#   cgroup_join_argv NAME     CG_JOIN_ARGV=(that sh ...): "${CG_JOIN_ARGV[@]}" CMD &
#                             leaves CMD's pid in $!
#   remove_cgroup NAME        kills NAME's tasks and removes it and its children
#   make_cpu_cgroup NAME QUOTA_US [PARENT]
#                             NAME (as make_cgroup, no memory limit) with a CPU quota of
#                             QUOTA_US per 100000 us ("" or max: none of its own): v2
#                             cpu.max (+cpu enabled in every parent), v1 cpu.cfs_quota_us
#                             in the cpu hierarchy (a cgroup of the same name there)
#   set_cpu_quota NAME QUOTA_US  the quota of a cgroup made so; 1 when the kernel refuses
#   make_cpuset_cgroup NAME CPUS restricts NAME (made by make_cpu_cgroup) to the CPU list
#                             CPUS with the cpuset controller; 1 when there is none to use
#   skip_or_fail MSG          SKIP (exit 77), or FAIL (exit 1) when CI=true
#   expect_eq/expect_ne/expect_le/expect_lt/expect_ge/expect_match/expect_nomatch
#   finish                    prints the verdict, exits 0 or 1
#
# Exit status 77 means "skipped" (CTest SKIP_RETURN_CODE); when CI=true the
# environment is expected to be able to run everything, so a would-be skip
# fails instead.

set -u

ITEST_FAILS=0
ITEST_CHECKS=0
CG_VERSION=""
CG_ROOT=""
CG_CREATED=()
CG_CPU_ROOT=""
CG_CPUSET_ROOT=""
CG_MKDIRS_PATH=""
declare -gA CG_JOIN_ALSO=() # v1: NAME -> more cgroup.procs files run_in_cgroup NAME writes
ITEST_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/cglimits-itest.XXXXXX")

# ---------------------------------------------------------------- reporting

itest_log() { printf '%s\n' "$*"; }

skip_or_fail() {
  if [ "${CI:-}" = "true" ]; then
    printf 'FAIL: %s (CI=true: skipping is not allowed here)\n' "$*"
    exit 1
  fi
  printf '\n*** SKIP: %s ***\n\n' "$*"
  exit 77
}

_itest_pass() {
  ITEST_CHECKS=$((ITEST_CHECKS + 1))
  printf 'ok:   %s\n' "$1"
}

_itest_fail() {
  ITEST_CHECKS=$((ITEST_CHECKS + 1))
  ITEST_FAILS=$((ITEST_FAILS + 1))
  printf 'FAIL: %s\n' "$1"
}

_is_int() { [[ "${1-}" =~ ^-?[0-9]+$ ]]; }

# expect_eq DESC EXPECTED ACTUAL
expect_eq() {
  if [ "$2" = "$3" ]; then
    _itest_pass "$1 = $3"
  else
    _itest_fail "$1: expected '$2', got '$3'"
  fi
}

# expect_same DESC EXPECTED ACTUAL: like expect_eq, but a pass prints no values
# (for long ones such as field lists)
expect_same() {
  if [ "$2" = "$3" ]; then
    _itest_pass "$1 (${#3} characters)"
  else
    _itest_fail "$1: expected '$2', got '$3'"
  fi
}

# expect_ne DESC UNEXPECTED ACTUAL
expect_ne() {
  if [ "$2" != "$3" ]; then
    _itest_pass "$1 = '$3' (not '$2')"
  else
    _itest_fail "$1: must not be '$2'"
  fi
}

# _expect_cmp DESC A OP B   (integers)
_expect_cmp() {
  local desc=$1 a=$2 op=$3 b=$4
  if ! _is_int "$a" || ! _is_int "$b"; then
    _itest_fail "$desc: not integers: '$a' $op '$b'"
    return
  fi
  local ok=1
  case $op in
    -le) ((a <= b)) || ok=0 ;;
    -lt) ((a < b)) || ok=0 ;;
    -ge) ((a >= b)) || ok=0 ;;
    -gt) ((a > b)) || ok=0 ;;
  esac
  local sym
  case $op in -le) sym='<=' ;; -lt) sym='<' ;; -ge) sym='>=' ;; -gt) sym='>' ;; esac
  if ((ok)); then
    _itest_pass "$desc: $a $sym $b"
  else
    _itest_fail "$desc: expected $a $sym $b"
  fi
}

# expect_le DESC A B  (A <= B); likewise expect_lt, expect_ge, expect_gt
expect_le() { _expect_cmp "$1" "$2" -le "$3"; }
expect_lt() { _expect_cmp "$1" "$2" -lt "$3"; }
expect_ge() { _expect_cmp "$1" "$2" -ge "$3"; }
expect_gt() { _expect_cmp "$1" "$2" -gt "$3"; }

# expect_match DESC ERE TEXT
expect_match() {
  if [[ "$3" =~ $2 ]]; then
    _itest_pass "$1 matches /$2/"
  else
    _itest_fail "$1: '$3' does not match /$2/"
  fi
}

# expect_nomatch DESC ERE TEXT
expect_nomatch() {
  if [[ "$3" =~ $2 ]]; then
    _itest_fail "$1: must not match /$2/ but is '$3'"
  else
    _itest_pass "$1 does not match /$2/"
  fi
}

finish() {
  if ((ITEST_FAILS > 0)); then
    printf '\nRESULT: %d of %d checks FAILED\n' "$ITEST_FAILS" "$ITEST_CHECKS"
    exit 1
  fi
  if ((ITEST_CHECKS == 0)); then
    printf '\nRESULT: no checks were made\n'
    exit 1
  fi
  printf '\nRESULT: all %d checks passed\n' "$ITEST_CHECKS"
  exit 0
}

# ------------------------------------------------------------ cgroup helpers

# Finds the memory controller.  Sets CG_VERSION (1|2) and CG_ROOT (mount
# point of the hierarchy that carries the memory controller).  Pure v2 (or a
# v2 mount that has "memory" in cgroup.controllers) wins over v1; on a hybrid
# host the memory controller is bound to the v1 hierarchy, so v1 is used.
_cg_detect() {
  [ -n "$CG_VERSION" ] && return 0
  local fstype mnt opts v2root="" v1root=""
  # mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS
  while read -r fstype mnt opts; do
    mnt=$(printf '%b' "${mnt//\\/\\0}") # undo the octal escapes (\040)
    case $fstype in
      cgroup2)
        if [ -z "$v2root" ] && [ -r "$mnt/cgroup.controllers" ] &&
          grep -qw memory "$mnt/cgroup.controllers"; then
          v2root=$mnt
        fi
        ;;
      cgroup)
        case ",$opts," in *,memory,*) [ -z "$v1root" ] && v1root=$mnt ;; esac
        ;;
    esac
  done <<<"$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break;
                   print $(i + 1), $5, $(i + 3) }' /proc/self/mountinfo)"
  if [ -z "$v2root" ] && [ -z "$v1root" ]; then
    # statfs fallback: /sys/fs/cgroup itself being cgroup2 means pure v2
    if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = "cgroup2fs" ] &&
      grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
      v2root=/sys/fs/cgroup
    fi
  fi
  if [ -n "$v2root" ]; then
    CG_VERSION=2 CG_ROOT=$v2root
  elif [ -n "$v1root" ]; then
    CG_VERSION=1 CG_ROOT=$v1root
  else
    return 1
  fi
}

cgroup_version() {
  _cg_detect || return 1
  printf '%s\n' "$CG_VERSION"
}

cgroup_path() {
  _cg_detect || return 1
  printf '%s/%s\n' "$CG_ROOT" "$1"
}

_cg_limit_file() { if [ "$CG_VERSION" = 2 ]; then echo memory.max; else echo memory.limit_in_bytes; fi; }
_cg_usage_file() { if [ "$CG_VERSION" = 2 ]; then echo memory.current; else echo memory.usage_in_bytes; fi; }

# _cg_accounting_dir NAME FILE: NAME's directory, or that of its nearest
# ancestor that has FILE (a v2 child whose parent does not delegate the
# memory controller has no memory.* files; its usage is charged above).
_cg_accounting_dir() {
  local d
  d=$(cgroup_path "$1")
  while [ ! -e "$d/$2" ] && [ "${#d}" -gt "${#CG_ROOT}" ]; do d=${d%/*}; done
  printf '%s\n' "$d"
}

cgroup_usage_kb() {
  local f v
  f=$(_cg_usage_file)
  v=$(cat "$(_cg_accounting_dir "$1" "$f")/$f" 2>/dev/null) || v=0
  _is_int "$v" || v=0
  echo $((v / 1024))
}

# cgroup_peak_kb NAME: highest charge seen (v1 max_usage_in_bytes, reset by
# cgroup_reset_peak; v2 memory.peak where the kernel has it).  Empty if unknown.
cgroup_peak_kb() {
  local f v
  if [ "$CG_VERSION" = 1 ]; then f=memory.max_usage_in_bytes; else f=memory.peak; fi
  v=$(cat "$(_cg_accounting_dir "$1" "$f")/$f" 2>/dev/null) || v=""
  if _is_int "$v"; then echo $((v / 1024)); fi
}

cgroup_reset_peak() {
  local d
  d=$(_cg_accounting_dir "$1" memory.max_usage_in_bytes)
  if [ "$CG_VERSION" = 1 ]; then
    echo 0 >"$d/memory.max_usage_in_bytes" 2>/dev/null || true
  else
    # writable (resets the peak for this file descriptor's reader) only on
    # newer kernels; the lifetime peak is still a valid bound
    true
  fi
}

# make_cgroup NAME LIMIT_BYTES [PARENT]
#   v2: the memory controller is enabled in every parent's subtree_control on
#   the way, unless CG_DELEGATE_MEMORY=0 (then a new child of PARENT gets no
#   memory.* files at all; LIMIT must be empty).
make_cgroup() {
  local name=$1 limit=${2:-} parent=${3:-}
  [ "$(id -u)" = 0 ] || skip_or_fail "not root: cannot create cgroups (uid $(id -u))"
  _cg_detect || skip_or_fail "no cgroup memory controller found (neither a v1 'memory' mount nor a cgroup2 mount listing 'memory' in cgroup.controllers)"
  local rel=$name
  [ -n "$parent" ] && rel=$parent/$name
  local path=$CG_ROOT comp
  local -a comps
  IFS=/ read -r -a comps <<<"$rel"
  for comp in "${comps[@]}"; do
    [ -z "$comp" ] && continue
    if [ "$CG_VERSION" = 2 ] && { [ "${CG_DELEGATE_MEMORY:-1}" != 0 ] || [ "$path" = "$CG_ROOT" ]; }; then
      # children of $path need the memory controller delegated to them
      if ! grep -qw memory "$path/cgroup.subtree_control" 2>/dev/null; then
        echo +memory >"$path/cgroup.subtree_control" 2>/dev/null ||
          skip_or_fail "cannot enable +memory in $path/cgroup.subtree_control"
      fi
    fi
    path=$path/$comp
    if [ ! -d "$path" ]; then
      mkdir "$path" 2>/dev/null || skip_or_fail "cannot create cgroup $path (read-only cgroupfs? no permission?)"
      CG_CREATED+=("$path")
      if [ "$CG_VERSION" = 1 ]; then
        # old kernels: the parent's limit only covers children with hierarchy on
        echo 1 >"$path/memory.use_hierarchy" 2>/dev/null || true
      fi
    fi
  done
  local lf
  lf=$(_cg_limit_file)
  if [ "$CG_VERSION" = 2 ] && [ "${CG_DELEGATE_MEMORY:-1}" = 0 ] && [ -z "$limit" ]; then
    itest_log "cgroup v2: $path without the memory controller (not delegated)"
    return 0
  fi
  [ -e "$path/$lf" ] || skip_or_fail "cgroup $path has no $lf: memory controller not enabled there"
  if [ -n "$limit" ] && [ "$limit" != max ]; then
    echo "$limit" >"$path/$lf" 2>/dev/null || skip_or_fail "cannot write $limit to $path/$lf"
    local got
    got=$(cat "$path/$lf")
    if [ "$got" != "$limit" ]; then
      skip_or_fail "cgroup limit did not stick: wrote $limit to $path/$lf, reads back $got"
    fi
  fi
  itest_log "cgroup v$CG_VERSION: $path limit=${limit:-none}"
}

# cgroup_join_argv NAME: sets CG_JOIN_ARGV to a command prefix that moves itself into NAME
# (v1: and into the cpu/cpuset cgroups made for NAME), then execs the rest of its arguments;
# "${CG_JOIN_ARGV[@]}" CMD... & makes $! the pid of CMD.
CG_JOIN_ARGV=()
cgroup_join_argv() {
  local procs
  procs=$(cgroup_path "$1")/cgroup.procs
  local -a also=()
  [ -n "${CG_JOIN_ALSO[$1]:-}" ] && read -r -a also <<<"${CG_JOIN_ALSO[$1]}"
  # shellcheck disable=SC2016
  CG_JOIN_ARGV=(sh -c 'n=$1; shift
    while [ "$n" -gt 0 ]; do
      echo $$ > "$1" || { echo "run_in_cgroup: cannot join $1" >&2; exit 125; }
      shift; n=$((n - 1))
    done
    exec "$@"' sh $((${#also[@]} + 1)) "$procs" "${also[@]}")
}

# run_in_cgroup NAME CMD...
run_in_cgroup() {
  local procs
  if [ -z "${CG_JOIN_ALSO[$1]:-}" ]; then
    procs=$(cgroup_path "$1")/cgroup.procs
    shift
    # shellcheck disable=SC2016
    sh -c 'echo $$ > "$0" || { echo "run_in_cgroup: cannot join $0" >&2; exit 125; }; exec "$@"' \
      "$procs" "$@"
    return
  fi
  cgroup_join_argv "$1"
  shift
  "${CG_JOIN_ARGV[@]}" "$@"
}

_cg_kill_tasks() {
  local dir=$1 pid
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    local any=0
    while read -r pid; do
      [ -n "$pid" ] || continue
      any=1
      kill -KILL "$pid" 2>/dev/null || true
    done <"$dir/cgroup.procs"
    ((any)) || return 0
    sleep 0.1
  done
}

# remove_cgroup NAME
remove_cgroup() {
  local top d
  top=$(cgroup_path "$1")
  [ -d "$top" ] || return 0
  # kill everything in the subtree first, then rmdir the deepest first
  _cg_remove_tree "$top"
}

# _cg_remove_tree DIR: kill every task below DIR, then rmdir deepest first.
# (No process substitution: minimal guests may lack /dev/fd.)
_cg_remove_tree() {
  local d
  while read -r d; do
    [ -n "$d" ] && _cg_kill_tasks "$d"
  done <<<"$(find "$1" -type d 2>/dev/null)"
  while read -r d; do
    [ -n "$d" ] && _cg_rmdir "$d"
  done <<<"$(find "$1" -depth -type d 2>/dev/null)"
}

_cg_rmdir() {
  local d=$1 i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    rmdir "$d" 2>/dev/null && return 0
    [ -d "$d" ] || return 0
    _cg_kill_tasks "$d"
    sleep 0.2
  done
  echo "WARNING: could not remove cgroup $d" >&2
}

# cleanup_stale_cgroups PREFIX: removes top-level cgroups PREFIX*-PID left
# behind by runs that were killed (e.g. by a CTest timeout) before their EXIT
# trap could run.  Cgroups whose PID is still alive are left alone.
cleanup_stale_cgroups() {
  local prefix=$1 d pid root
  _cg_detect || return 0
  local -a roots=("$CG_ROOT")
  if [ "$CG_VERSION" = 1 ]; then
    # the v1 cpu and cpuset hierarchies of the CPU cases
    for root in "$(_cg_v1_mount cpu)" "$(_cg_v1_mount cpuset)"; do
      [ -n "$root" ] && [ "$root" != "$CG_ROOT" ] && roots+=("$root")
    done
  fi
  for root in "${roots[@]}"; do
    for d in "$root/$prefix"*; do
      [ -d "$d" ] || continue
      pid=${d##*-}
      _is_int "$pid" || continue
      kill -0 "$pid" 2>/dev/null && continue
      echo "removing stale cgroup $d (its test run $pid is gone)"
      _cg_remove_tree "$d"
    done
  done
}

# ------------------------------------------------------- cpu and cpuset cgroups

CG_CPU_PERIOD_US=100000

# _cg_v1_mount CONTROLLER: the mount point of the v1 hierarchy carrying CONTROLLER, or nothing
_cg_v1_mount() {
  awk -v c="$1" '{ for (i = 7; i <= NF; i++) if ($i == "-") break
                   if ($(i + 1) != "cgroup") next
                   n = split($(i + 3), o, ",")
                   for (j = 1; j <= n; j++) if (o[j] == c) { print $5; exit } }' /proc/self/mountinfo
}

# _cg_v2_enable CONTROLLER REL: +CONTROLLER in the subtree_control of the root and of every
# directory of REL (a/b/c) above its last component; 1 when one refuses
_cg_v2_enable() {
  local ctl=$1 path=$CG_ROOT comp
  local -a comps
  IFS=/ read -r -a comps <<<"$2"
  local n=${#comps[@]} i
  for ((i = 0; i < n; i++)); do
    comp=${comps[i]}
    [ -z "$comp" ] && continue
    if ! grep -qw "$ctl" "$path/cgroup.subtree_control" 2>/dev/null; then
      echo "+$ctl" >"$path/cgroup.subtree_control" 2>/dev/null || return 1
    fi
    path=$path/$comp
  done
}

# _cg_v1_mkdirs ROOT REL: creates ROOT/REL level by level (each removed on exit); sets
# CG_MKDIRS_PATH to it
_cg_v1_mkdirs() {
  local path=$1 comp
  local -a comps
  IFS=/ read -r -a comps <<<"$2"
  for comp in "${comps[@]}"; do
    [ -z "$comp" ] && continue
    path=$path/$comp
    if [ ! -d "$path" ]; then
      mkdir "$path" 2>/dev/null || return 1
      CG_CREATED+=("$path")
    fi
  done
  CG_MKDIRS_PATH=$path
}

# _cg_join_also REL PROCS_FILE: run_in_cgroup REL also writes to PROCS_FILE
_cg_join_also() {
  case " ${CG_JOIN_ALSO[$1]:-} " in *" $2 "*) return 0 ;; esac
  CG_JOIN_ALSO[$1]="${CG_JOIN_ALSO[$1]:+${CG_JOIN_ALSO[$1]} }$2"
}

# cpu_cgroup_dir NAME: the directory whose CPU quota files belong to NAME
cpu_cgroup_dir() {
  if [ "$CG_VERSION" = 2 ]; then cgroup_path "$1"; else printf '%s/%s\n' "$CG_CPU_ROOT" "$1"; fi
}

# set_cpu_quota NAME QUOTA_US ("" or max: none)
set_cpu_quota() {
  local dir q=${2:-max}
  dir=$(cpu_cgroup_dir "$1")
  if [ "$CG_VERSION" = 2 ]; then
    echo "$q $CG_CPU_PERIOD_US" >"$dir/cpu.max" 2>/dev/null || return 1
  else
    [ "$q" = max ] && q=-1
    echo "$CG_CPU_PERIOD_US" >"$dir/cpu.cfs_period_us" 2>/dev/null &&
      echo "$q" >"$dir/cpu.cfs_quota_us" 2>/dev/null || return 1
  fi
}

make_cpu_cgroup() {
  local name=$1 quota=${2:-} parent=${3:-}
  local rel=$name
  [ -n "$parent" ] && rel=$parent/$name
  make_cgroup "$name" "" "$parent"
  local dir
  if [ "$CG_VERSION" = 2 ]; then
    grep -qw cpu "$CG_ROOT/cgroup.controllers" 2>/dev/null ||
      skip_or_fail "the cgroup2 hierarchy at $CG_ROOT has no cpu controller"
    _cg_v2_enable cpu "$rel" || skip_or_fail "cannot enable +cpu in the cgroup.subtree_control above $rel"
    dir=$(cgroup_path "$rel")
    [ -e "$dir/cpu.max" ] || skip_or_fail "$dir has no cpu.max (kernel without CFS bandwidth control?)"
  else
    [ -n "$CG_CPU_ROOT" ] || CG_CPU_ROOT=$(_cg_v1_mount cpu)
    [ -n "$CG_CPU_ROOT" ] || skip_or_fail "no cgroup v1 hierarchy with the cpu controller"
    _cg_v1_mkdirs "$CG_CPU_ROOT" "$rel" || skip_or_fail "cannot create $CG_CPU_ROOT/$rel"
    dir=$CG_MKDIRS_PATH
    [ -e "$dir/cpu.cfs_quota_us" ] ||
      skip_or_fail "$dir has no cpu.cfs_quota_us (kernel without CFS bandwidth control?)"
    _cg_join_also "$rel" "$dir/cgroup.procs"
  fi
  if [ -n "$quota" ] && [ "$quota" != max ]; then
    set_cpu_quota "$rel" "$quota" || skip_or_fail "cannot set a CPU quota of $quota us per $CG_CPU_PERIOD_US us on $dir"
  fi
  itest_log "cgroup v$CG_VERSION: $dir cpu quota=${quota:-none}/$CG_CPU_PERIOD_US us"
}

make_cpuset_cgroup() {
  local rel=$1 cpus=$2 dir
  if [ "$CG_VERSION" = 2 ]; then
    grep -qw cpuset "$CG_ROOT/cgroup.controllers" 2>/dev/null || return 1
    _cg_v2_enable cpuset "$rel" || return 1
    dir=$(cgroup_path "$rel")
  else
    [ -n "$CG_CPUSET_ROOT" ] || CG_CPUSET_ROOT=$(_cg_v1_mount cpuset)
    [ -n "$CG_CPUSET_ROOT" ] || return 1
    _cg_v1_mkdirs "$CG_CPUSET_ROOT" "$rel" || return 1
    dir=$CG_MKDIRS_PATH
    # v1: every level needs its own mems and cpus before a task may join
    local d=$CG_CPUSET_ROOT comp
    local -a comps
    IFS=/ read -r -a comps <<<"$rel"
    for comp in "${comps[@]}"; do
      [ -z "$comp" ] && continue
      cat "$d/cpuset.mems" >"$d/$comp/cpuset.mems" 2>/dev/null || return 1
      [ -n "$(cat "$d/$comp/cpuset.cpus")" ] || cat "$d/cpuset.cpus" >"$d/$comp/cpuset.cpus" 2>/dev/null || return 1
      d=$d/$comp
    done
  fi
  echo "$cpus" >"$dir/cpuset.cpus" 2>/dev/null || return 1
  [ "$CG_VERSION" = 1 ] && _cg_join_also "$rel" "$dir/cgroup.procs"
  itest_log "cgroup v$CG_VERSION: $dir cpuset.cpus=$(cat "$dir/cpuset.cpus")"
}

_cg_cleanup() {
  local i d
  for ((i = ${#CG_CREATED[@]} - 1; i >= 0; i--)); do
    d=${CG_CREATED[i]}
    [ -d "$d" ] || continue
    _cg_remove_tree "$d"
  done
  CG_CREATED=()
}

trap '_cg_cleanup; rm -rf "$ITEST_TMPDIR"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
