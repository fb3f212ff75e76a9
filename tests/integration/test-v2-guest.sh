#!/usr/bin/env bash
# scripts/v2-guest's choice of accelerator and its failures, with real TCG boots and broken
# KVMs simulated by a qemu-system-x86_64 wrapper first on PATH: given -accel kvm it aborts
# as QEMU does where /dev/kvm exists but cannot run the guest (nested virtualization: "failed
# to set MSR 0x10a", exit 134), or hangs ignoring SIGTERM; otherwise it runs the real qemu.
#   a) --accel tcg (as CGLIMITS_GUEST_ACCEL=tcg) boots and runs a command, status kept
#   b) auto falls back to TCG after a KVM that aborts, and after one that hangs, the probe
#      giving up within CGLIMITS_GUEST_PROBE_TIMEOUT
#      and keeps KVM when it works (TCG standing in for it)
#   c) a forced KVM that aborts fails clearly (125), without falling back
#   d) a guest that does not finish within --timeout fails clearly (124)
#   e) a command that writes nothing for --stall seconds fails clearly (124), the guest's
#      heartbeat reported alive
#   f) a guest that stops running (qemu -S: vCPUs never start; or its heartbeat stopped
#      while the command runs) is killed after CGLIMITS_GUEST_FROZEN_AFTER and fails
#      clearly (123), told apart from a stalled command
# Needs root (v2-guest installs qemu and fetches Debian's kernel with apt on first use).
# Exit status: 0 passed, 1 failed, 77 skipped.
set -uo pipefail
GUEST=$(cd "$(dirname "$0")/../../scripts" && pwd)/v2-guest
FAILURES=0
pass() { printf 'ok   %s\n' "$*"; }
fail() {
        printf 'FAIL %s\n' "$*"
        FAILURES=$((FAILURES + 1))
}
check() {
        local what=$1
        shift
        if "$@"; then pass "$what"; else fail "$what"; fi
}
has() { grep -qF -- "$2" "$WORK/$1.err"; }

[ "$(id -u)" = 0 ] || { echo "SKIP: v2-guest needs root here (apt, its cache)"; exit 77; }
WORK=$(mktemp -d /tmp/cglimits-test-v2-guest.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# guest NAME [VAR=VALUE...] V2_GUEST_ARGS...: runs v2-guest from / (the guest hides /tmp)
# with the variables set; $WORK/NAME.out, .err, RC and SECS (elapsed, whole seconds).
guest() {
        local name=$1 t0 envs=()
        shift
        while [[ $1 =~ ^[A-Z_]+= ]]; do envs+=("$1") && shift; done
        echo "== $name: ${envs[*]/#PATH=*/PATH=(wrapper first)} v2-guest $*"
        t0=$(date +%s%N)
        (cd / && env "${envs[@]}" "$GUEST" "$@") >"$WORK/$name.out" 2>"$WORK/$name.err"
        RC=$?
        SECS=$((($(date +%s%N) - t0 + 500000000) / 1000000000))
        grep '^v2-guest:' "$WORK/$name.err" | sed 's/^/   /'
        echo "   exit $RC after $SECS s"
}

# (a) also installs qemu and fetches the kernel when needed, so it runs first, without the
# wrapper.
guest tcg CGLIMITS_GUEST_ACCEL=tcg -- sh -c 'echo out-line; echo err-line >&2; exit 3'
check "tcg: the command's status (3)" test "$RC" = 3
check "tcg: the command's stdout" test "$(cat "$WORK/tcg.out")" = out-line
check "tcg: the command's stderr" has tcg err-line
check "tcg: 'v2-guest: accelerator tcg (forced)'" has tcg "v2-guest: accelerator tcg (forced)"

real=$(command -v qemu-system-x86_64) || { fail "qemu-system-x86_64 is installed"; exit 1; }
mkdir "$WORK/bin"
cat >"$WORK/bin/qemu-system-x86_64" <<EOF
#!/bin/sh
# qemu on a host whose KVM (FAKE_KVM=abort, hang) cannot run the guest, or (works) can;
# FAKE_FREEZE=1: a TCG guest whose vCPUs never run; every call logged as
# "kvm|tcg PID START_NS".
prev= kvm=
for a; do
	[ "\$prev" = -accel ] && case \$a in kvm*) kvm=kvm ;; esac
	prev=\$a
done
echo "\${kvm:-tcg} \$\$ \$(date +%s%N)" >>"$WORK/qemu-calls"
[ -n "\$kvm" ] || exec "$real" \${FAKE_FREEZE:+-S} "\$@"
case \$FAKE_KVM in
abort)
	echo 'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69' >&2
	echo "qemu-system-x86_64: ../target/i386/kvm/kvm.c:3103: kvm_buf_set_msrs: Assertion" \\
		"\\\`ret == cpu->kvm_msr_buf->nmsrs' failed." >&2
	ulimit -c 0
	kill -ABRT \$\$ ;;
hang)
	trap '' TERM
	exec sleep 600 ;;
works) # TCG standing in for a KVM that works
	for a; do
		shift
		[ "\$a" = kvm ] && a=tcg
		set -- "\$@" "\$a"
	done
	exec "$real" "\$@" ;;
esac
exit 1
EOF
chmod +x "$WORK/bin/qemu-system-x86_64"
FAKE=("PATH=$WORK/bin:$PATH")
calls() { awk '{ printf "%s%s", sep, $1; sep = " " }' "$WORK/qemu-calls"; }

: >"$WORK/qemu-calls"
guest abort "${FAKE[@]}" FAKE_KVM=abort -- sh -c 'echo ran'
check "KVM aborts, auto: the command runs (status 0, its output)" \
        test "$RC:$(cat "$WORK/abort.out")" = 0:ran
check "KVM aborts, auto: one KVM probe, then TCG" test "$(calls)" = "kvm tcg"
check "KVM aborts, auto: 'accelerator tcg (kvm probe failed: qemu exit 134 ...MSR...)'" \
        grep -q '^v2-guest: accelerator tcg (kvm probe failed: qemu exit 134 .*failed to set MSR' \
        "$WORK/abort.err"

: >"$WORK/qemu-calls"
guest hang "${FAKE[@]}" FAKE_KVM=hang CGLIMITS_GUEST_PROBE_TIMEOUT=3 -- sh -c 'echo ran'
check "KVM hangs, auto: the command runs (status 0, its output)" \
        test "$RC:$(cat "$WORK/hang.out")" = 0:ran
check "KVM hangs, auto: one KVM probe, then TCG" test "$(calls)" = "kvm tcg"
check "KVM hangs, auto: 'accelerator tcg (kvm probe failed: guest did not finish within 3 s...)'" \
        has hang "v2-guest: accelerator tcg (kvm probe failed: guest did not finish within 3 s"
# from the probe's start to the TCG run's
probe_ms=$(awk '{ t[$1] = $3 } END { print int((t["tcg"] - t["kvm"]) / 1000000) }' \
        "$WORK/qemu-calls")
check "KVM hangs, auto: the probe gave up after 3 s (${probe_ms} ms until TCG started)" \
        test "$probe_ms" -ge 3000 -a "$probe_ms" -lt 5000
probe_pid=$(awk '$1 == "kvm" { print $2 }' "$WORK/qemu-calls")
check "KVM hangs, auto: the probe's qemu (ignoring SIGTERM) is gone" \
        bash -c '! kill -0 "$1" 2>/dev/null' _ "$probe_pid"

: >"$WORK/qemu-calls"
: >"$WORK/qemu-calls"
# (TCG boots slower than KVM: a longer probe bound)
guest works "${FAKE[@]}" FAKE_KVM=works CGLIMITS_GUEST_PROBE_TIMEOUT=60 -- sh -c 'echo ran'
check "KVM works, auto: the command runs (status 0, its output)" \
        test "$RC:$(cat "$WORK/works.out")" = 0:ran
check "KVM works, auto: a KVM probe, then KVM" test "$(calls)" = "kvm kvm"
check "KVM works, auto: 'accelerator kvm (probe ran its command in ... s)'" \
        grep -q '^v2-guest: accelerator kvm (probe ran its command in [0-9.]* s)$' \
        "$WORK/works.err"

: >"$WORK/qemu-calls"
guest kvm "${FAKE[@]}" FAKE_KVM=abort --accel kvm -- sh -c 'echo ran'
check "KVM aborts, --accel kvm: exit 125" test "$RC" = 125
check "KVM aborts, --accel kvm: no fallback, the command did not run" \
        test "$(calls):$(cat "$WORK/kvm.out")" = kvm:
check "KVM aborts, --accel kvm: 'accelerator kvm (forced)'" has kvm "accelerator kvm (forced)"
check "KVM aborts, --accel kvm: qemu's message is shown" has kvm "failed to set MSR 0x10a"
check "KVM aborts, --accel kvm: 'no exit status from the guest: qemu exit 134 ...'" \
        has kvm "v2-guest: no exit status from the guest: qemu exit 134 (accelerator kvm, forced)"

# (15 s: a TCG boot takes 4-6 s, twice that on a loaded host, and the command must have
# started for its output to be shown)
guest stuck --accel tcg --timeout 15 -- sh -c 'echo started; sleep 300'
check "guest does not finish: exit 124" test "$RC" = 124
check "guest does not finish: 'guest did not finish within 15 s (accelerator tcg)'" \
        has stuck "v2-guest: guest did not finish within 15 s (accelerator tcg); killed; last"
check "guest does not finish: the command's last output line is repeated" \
        has stuck "stdout:  started"
# (v2-guest gives qemu 10 s from SIGTERM to SIGKILL)
check "guest does not finish: killed after $SECS s <= 15 s + 10 s" test "$SECS" -le 25

guest stall --accel tcg --timeout 300 --stall 10 -- sh -c 'echo started; sleep 300'
check "command stalls: exit 124" test "$RC" = 124
check "command stalls: 'the command wrote nothing for 10 s (guest alive: last heartbeat ...'" \
        grep -q '^v2-guest: the command wrote nothing for 10 s (guest alive: last heartbeat [0-9]* s before) (accelerator tcg); killed' \
        "$WORK/stall.err"
check "command stalls: the command's last output line is repeated" has stall "stdout:  started"
check "command stalls: the guest's heartbeat is shown" has stall "status:  cglimits-guest: alive"

: >"$WORK/qemu-calls"
guest frozen "${FAKE[@]}" FAKE_FREEZE=1 CGLIMITS_GUEST_FROZEN_AFTER=10 --accel tcg --timeout 300 \
        -- sh -c 'echo ran'
check "guest never runs: exit 123" test "$RC" = 123
check "guest never runs: 'the guest stopped running: no sign of life from its init in ... s'" \
        grep -q '^v2-guest: the guest stopped running: no sign of life from its init in [0-9]* s (accelerator tcg); killed' \
        "$WORK/frozen.err"
frozen_pid=$(awk '{ print $2 }' "$WORK/qemu-calls")
check "guest never runs: its qemu is gone" bash -c '! kill -0 "$1" 2>/dev/null' _ "$frozen_pid"

# The heartbeat is init's only other child running sh (same command line as PID 1).
# shellcheck disable=SC2016
stop_heartbeat='echo started
init=$(tr "\0" " " </proc/1/cmdline)
for p in /proc/[0-9]*; do
        [ "${p#/proc/}" != 1 ] && [ "$(tr "\0" " " <"$p/cmdline")" = "$init" ] && kill -STOP "${p#/proc/}"
done
sleep 300'
guest beatless CGLIMITS_GUEST_FROZEN_AFTER=25 --accel tcg --timeout 300 -- sh -c "$stop_heartbeat"
check "heartbeat stops mid-run: exit 123" test "$RC" = 123
check "heartbeat stops mid-run: 'the guest stopped running: no heartbeat for 25 s, ...'" \
        grep -q '^v2-guest: the guest stopped running: no heartbeat for 25 s, [0-9]* s after the start (accelerator tcg); killed' \
        "$WORK/beatless.err"
check "heartbeat stops mid-run: the command's output is shown" has beatless "stdout:  started"

if [ "$FAILURES" -eq 0 ]; then
        echo "PASS: $(basename "$0")"
        exit 0
fi
echo "FAILED: $(basename "$0"): $FAILURES check(s)"
exit 1
