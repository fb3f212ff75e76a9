# Cases of the public library (cglimits.h, `cglimits --json`, the Python binding), sourced
# by run_case.sh, whose helpers (run, check_live, kv, mi) they use. The library's call, its
# JSON, the Python binding and /proc/meminfo through the shim must agree with each other and
# with the kernel's files of a real memory cgroup: totals and limits exactly, live figures
# within the bounds check_live states (the kernel's usage before the run and its peak).
# shellcheck shell=bash

# shellcheck disable=SC2034 # listed by run_case.sh
QUERY_CASES=(query_api_json_python_and_shim_agree_with_the_kernel
  query_pid_of_a_process_in_a_limited_cgroup
  query_pid_of_a_process_in_its_own_cgroup_and_mount_namespace)

QUERY_LIB=$(dirname "${SHIM:-.}")/libcglimits-query.so.1
QUERY_SRC=$(cd "$HERE/../.." && pwd)

# jv KEY JSON: the value of KEY in the one-line JSON object (strings without their quotes)
jv() { printf '%s\n' "$2" | sed -n "s/.*\"$1\": \(\"[^\"]*\"\|[^,}]*\).*/\1/p" | tr -d '"'; }

# The library runs as a program and under python3 only in a plain build: an ASan build's
# library needs the runtime loaded first, which neither a direct run nor python does.
query_plain_build() { ((!SANITIZER_PRELOAD)); }

# check_query_limit WHAT TOTAL_BYTES LIMIT_BYTES DIR FILE [EXPECTED_DIR]: exact figures of
#   the 256 MiB cgroup $CG (seen at EXPECTED_DIR, by default its path here)
check_query_limit() {
  local what=$1 total=$2 limit=$3 dir=$4 file=$5 want_dir=${6:-$(cgroup_path "$CG")}
  expect_eq "$what: total = the kernel's $(_cg_limit_file)" "$LIMIT_BYTES" "$total"
  expect_eq "$what: limit = the kernel's $(_cg_limit_file)" "$(cat "$(cgroup_path "$CG")/$(_cg_limit_file)")" "$limit"
  expect_eq "$what: limit file" "$(_cg_limit_file)" "$file"
  expect_eq "$what: cgroup directory" "$want_dir" "$dir"
}

case_query_agree() {
  limited_cgroup
  local out json py
  # The call and /proc/meminfo through the shim, in one process.
  run out "$CG" shim "$PROBES/probe_query"
  check_query_limit "cglimits_memory" "$(kv api_total_bytes "$out")" "$(kv api_limit_bytes "$out")" \
    "$(kv api_cgroup_dir "$out")" "$(kv api_limit_file "$out")"
  expect_eq "cglimits_memory: not the host's figures" 0 "$(kv api_host "$out")"
  expect_eq "cglimits_memory: cgroup version" "$CG_VERSION" "$(kv api_cgroup_version "$out")"
  check_live "cglimits_memory" "$(kv api_MemTotal "$out")" "$(kv api_MemFree "$out")" \
    "$(kv api_MemAvailable "$out")" "$LIMIT_KB"
  check_live "/proc/meminfo through the shim" "$(kv meminfo_MemTotal "$out")" \
    "$(kv meminfo_MemFree "$out")" "$(kv meminfo_MemAvailable "$out")" "$LIMIT_KB"
  expect_eq "cglimits_memory used = total - free" \
    $(($(kv api_total_bytes "$out") - $(kv api_free_bytes "$out"))) "$(kv api_used_bytes "$out")"
  if _is_int "${PEAK_KB:-}"; then
    expect_le "cglimits_memory used <= the kernel's peak usage + slack" \
      $(($(kv api_used_bytes "$out") / 1024)) $((PEAK_KB + SLACK_KB))
  fi
  if ! query_plain_build; then
    printf '\n*** NOTE: sanitizer build: the JSON and Python checks need a plain build ***\n\n'
    return
  fi
  # The JSON, through the wrapper as scripts use it.
  run json "$CG" real env CGLIMITS_QUERY_LIBRARY="$QUERY_LIB" "$QUERY_SRC/scripts/cglimits" --json
  check_query_limit "cglimits --json" "$(jv total "$json")" "$(jv limit "$json")" \
    "$(jv cgroup_dir "$json")" "$(jv limit_file "$json")"
  check_live "cglimits --json" $(($(jv total "$json") / 1024)) $(($(jv free "$json") / 1024)) \
    $(($(jv available "$json") / 1024)) "$LIMIT_KB"
  # The Python binding.
  need_cmd /usr/bin/python3
  run py "$CG" real env PYTHONPATH="$QUERY_SRC/lib/python" CGLIMITS_QUERY_LIBRARY="$QUERY_LIB" \
    /usr/bin/python3 -c 'import cglimits
m = cglimits.memory()
for k, v in m.as_dict().items(): print("%s=%s" % (k, v))'
  check_query_limit "cglimits.memory()" "$(kv total "$py")" "$(kv limit "$py")" \
    "$(kv cgroup_dir "$py")" "$(kv limit_file "$py")"
  check_live "cglimits.memory()" $(($(kv total "$py") / 1024)) $(($(kv free "$py") / 1024)) \
    $(($(kv available "$py") / 1024)) "$LIMIT_KB"
}

# start_sleeper CMD...: runs CMD (which ends in exec sleep) in $CG in the background and
# waits until the sleep runs there; SLEEPER is its pid.
SLEEPER=""
start_sleeper() {
  # Started directly (not through a shell function, whose background subshell would be $!).
  # shellcheck disable=SC2016
  sh -c 'echo $$ > "$0" || exit 125; exec "$@"' "$(cgroup_path "$CG")/cgroup.procs" "$@" &
  SLEEPER=$!
  # Not a timing assumption: the sleep's exec comes after the cgroup was joined, and the
  # case's own timeout bounds the wait.
  until [ "$(cat "/proc/$SLEEPER/comm" 2>/dev/null)" = sleep ]; do
    kill -0 "$SLEEPER" 2>/dev/null || _itest_fail "the process to query exited early"
    sleep 0.05
  done
  echo "process to query: $SLEEPER ($(grep -E ':memory:|^0::' "/proc/$SLEEPER/cgroup" | head -n 1))"
}

stop_sleeper() { kill "$SLEEPER" 2>/dev/null; wait "$SLEEPER" 2>/dev/null; }

# check_pid_query WHAT EXPECTED_DIR: the call, the JSON and Python for $SLEEPER from this
# (unlimited) process agree with the kernel's files of $CG.
check_pid_query() {
  local what=$1 dir=$2 out
  echo "+ $PROBES/probe_query $SLEEPER"
  out=$("$PROBES/probe_query" "$SLEEPER") || _itest_fail "probe_query $SLEEPER failed"
  printf '%s\n' "$out" | sed 's/^/    | /'
  check_query_limit "cglimits_memory_pid ($what)" "$(kv api_total_bytes "$out")" \
    "$(kv api_limit_bytes "$out")" "$(kv api_cgroup_dir "$out")" "$(kv api_limit_file "$out")" \
    "$dir"
  expect_le "cglimits_memory_pid ($what): free <= total" "$(kv api_free_bytes "$out")" \
    "$(kv api_total_bytes "$out")"
  query_plain_build || return 0
  local json
  json=$(CGLIMITS_QUERY_LIBRARY="$QUERY_LIB" "$QUERY_SRC/scripts/cglimits" --json --pid "$SLEEPER")
  echo "    | $json"
  expect_eq "cglimits --json --pid ($what): pid" "$SLEEPER" "$(jv pid "$json")"
  expect_eq "cglimits --json --pid ($what): total" "$LIMIT_BYTES" "$(jv total "$json")"
  expect_eq "cglimits --json --pid ($what): directory" "$dir" "$(jv cgroup_dir "$json")"
  local py
  py=$(PYTHONPATH="$QUERY_SRC/lib/python" CGLIMITS_QUERY_LIBRARY="$QUERY_LIB" /usr/bin/python3 \
    -c 'import sys, cglimits; m = cglimits.memory(pid=int(sys.argv[1])); print(m.total, m.cgroup_dir)' \
    "$SLEEPER")
  expect_eq "cglimits.memory(pid) ($what)" "$LIMIT_BYTES $dir" "$py"
}

case_query_pid() {
  limited_cgroup
  start_sleeper sleep 300
  # The directory this process sees: the cgroup's, with the mount this namespace has.
  local dir
  dir=$(cgroup_path "$CG")
  check_pid_query "same namespaces" "$dir"
  stop_sleeper
}

case_query_pid_other_ns() {
  need_cmd unshare
  limited_cgroup
  start_sleeper unshare --cgroup --mount --propagation private \
    sh "$HERE/cgroupns_exec.sh" "$CG_VERSION" "$CG_ROOT" "" sleep 300
  # Its mount shows its cgroup namespace's root (the test cgroup) at $CG_ROOT of its own
  # mount namespace, which this process reaches through /proc/PID/root.
  check_pid_query "own cgroup and mount namespace" "/proc/$SLEEPER/root$CG_ROOT"
  stop_sleeper
}

query_case() {
  case "$1" in
  query_api_json_python_and_shim_agree_with_the_kernel) case_query_agree ;;
  query_pid_of_a_process_in_a_limited_cgroup) case_query_pid ;;
  query_pid_of_a_process_in_its_own_cgroup_and_mount_namespace) case_query_pid_other_ns ;;
  *) return 1 ;;
  esac
}
