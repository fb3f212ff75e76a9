#!/usr/bin/env bash
# Tests what can be tested of scripts/containers/ without a container engine:
#  * scripts/containers/entrypoint.sh with a freshly built library, in a real 256 MiB memory cgroup
#    (free -k shows 262144), its LD_PRELOAD handling, and with a missing library (a warning,
#    the command still runs and sees the host's figures);
#  * the Dockerfiles: every COPY source exists, every COPY --from names a stage, and their
#    build stage (COPY + RUN cmake ...) replayed outside Docker on exactly the copied files
#    produces the library where the final stage expects it;
#  * scripts/containers/kubernetes/pod.yaml parses and is consistent (with /usr/bin/python3 + yaml).
# Exit status: 0 passed, 1 failed, 77 skipped (not root: no memory cgroup can be made).
set -uo pipefail
. "$(dirname "$0")/common.sh"

EX=$PKG_SRC/scripts/containers
ENTRY=$EX/entrypoint.sh
for tool in cmake gcc free; do
        command -v "$tool" >/dev/null || skip "$tool is not installed"
done
WORK=$(mktemp -d /tmp/cglimits-test-examples.XXXXXX)
cleanup() {
        remove_cgroup
        rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
CGROUP_SKIPPED=0

say "== scripts/containers/entrypoint.sh: syntax"
check "entrypoint.sh is executable" test -x "$ENTRY"
check "sh -n entrypoint.sh" sh -n "$ENTRY"
command -v dash >/dev/null && check "dash -n entrypoint.sh" dash -n "$ENTRY"
command -v busybox >/dev/null && check "busybox sh -n entrypoint.sh" busybox sh -n "$ENTRY"
command -v shellcheck >/dev/null && check "shellcheck entrypoint.sh" shellcheck -s sh "$ENTRY"
check "#!/bin/sh" test "$(head -n1 "$ENTRY")" = "#!/bin/sh"

say "== building the library"
configure_and_build "$WORK/build" || { fail "configure and build"; finish; }
LIB=$WORK/build/libcglimits.so
LIBC=$(gcc -print-file-name=libc.so.6)

# run_entry VAR=VALUE... -- COMMAND...: the entrypoint under /bin/sh with a clean LD_PRELOAD.
run_entry() {
        local envs=()
        while [ "$1" != -- ]; do envs+=("$1"); shift; done
        shift
        env -u LD_PRELOAD -u CGLIMITS_LIBRARY "${envs[@]}" /bin/sh "$ENTRY" "$@"
}

say "== entrypoint.sh: LD_PRELOAD handling"
out=$(run_entry CGLIMITS_LIBRARY="$LIB" -- sh -c 'printf %s "$LD_PRELOAD"')
check "LD_PRELOAD unset -> '$LIB'" test "$out" = "$LIB"
out=$(run_entry CGLIMITS_LIBRARY="$LIB" LD_PRELOAD="$LIBC" -- sh -c 'printf %s "$LD_PRELOAD"')
check "existing LD_PRELOAD kept after the library" test "$out" = "$LIB $LIBC"
out=$(run_entry CGLIMITS_LIBRARY="$LIB" LD_PRELOAD="$LIB" -- sh -c 'printf %s "$LD_PRELOAD"')
check "library not added twice" test "$out" = "$LIB"
out=$(run_entry CGLIMITS_LIBRARY="$LIB" -- /bin/sh "$ENTRY" sh -c 'printf %s "$LD_PRELOAD"')
check "entrypoint run twice: library once" test "$out" = "$LIB"
run_entry CGLIMITS_LIBRARY="$LIB" -- sh -c 'exit 7'
check "the command's exit status (7) is the entrypoint's" test $? = 7
run_entry -- 2>/dev/null
check "no command: exit 2" test $? = 2
out=$(run_entry CGLIMITS_LIBRARY="$LIB" CGLIMITS_MEMORY=256M -- free -k)
check "CGLIMITS_MEMORY=256M through the entrypoint: free -k total 262144" \
        test "$(free_total_kb <<<"$out")" = 262144

say "== entrypoint.sh: missing library"
missing=$WORK/nowhere/libcglimits.so
out=$(run_entry CGLIMITS_LIBRARY="$missing" -- sh -c 'printf "ran:%s" "${LD_PRELOAD:-}"' 2>"$WORK/err")
rc=$?
sed 's/^/   stderr: /' "$WORK/err"
check "command still runs (exit 0)" test "$rc:$out" = "0:ran:"
check "warning on stderr names the missing path" grep -q "warning: $missing not found" "$WORK/err"
run_entry CGLIMITS_LIBRARY="$missing" -- sh -c 'exit 5' 2>/dev/null
check "missing library: the command's exit status (5) is kept" test $? = 5

say "== entrypoint.sh in a 256 MiB memory cgroup"
if [ "$(id -u)" != 0 ]; then
        say "SKIP: not root, no memory cgroup can be made"
        CGROUP_SKIPPED=1
elif make_memory_cgroup $((256 * 1024 * 1024)); then
        say "cgroup $CGROUP_VERSION: $CGROUP_DIR"
        host=$(free -k | free_total_kb)
        out=$(in_cgroup env -u LD_PRELOAD -u CGLIMITS_MEMORY CGLIMITS_LIBRARY="$LIB" \
                /bin/sh "$ENTRY" free -k)
        sed 's/^/   /' <<<"$out"
        check "entrypoint.sh free -k: total 262144" test "$(free_total_kb <<<"$out")" = 262144
        out=$(in_cgroup env -u LD_PRELOAD -u CGLIMITS_MEMORY CGLIMITS_LIBRARY="$missing" \
                /bin/sh "$ENTRY" free -k 2>"$WORK/err")
        sed 's/^/   /' <<<"$out"
        check "missing library: warning, and free -k shows the host's total ($host)" \
                test "$(free_total_kb <<<"$out"):$(grep -c warning "$WORK/err")" = "$host:1"
        remove_cgroup
else
        fail "could not create a memory cgroup (v1 or v2) under /sys/fs/cgroup"
fi

# joined_dockerfile FILE: instructions one per line (continuations joined, comments dropped).
joined_dockerfile() {
        awk '/^[[:space:]]*#/ { next }
             { line = line $0 }
             /\\$/ { sub(/\\$/, "", line); next }
             { if (line ~ /[^[:space:]]/) print line; line = "" }' "$1"
}

# check_dockerfile NAME LIBRARY_GLOB: COPY sources, stages, and a replay of the build stage.
check_dockerfile() {
        local name=$1 lib_glob=$2 df=$EX/$1/Dockerfile ctx stage=0 workdir="" args src dest n
        say "== scripts/containers/$name/Dockerfile"
        check "$name/Dockerfile exists" test -f "$df" || return
        joined_dockerfile "$df" >"$WORK/$name.df"
        ctx=$WORK/ctx-$name
        mkdir -p "$ctx/root"
        local stages=" " run_script=$WORK/$name.run.sh
        : >"$run_script"
        while read -r instr rest; do
                case "${instr^^}" in
                FROM)
                        stage=$((stage + 1))
                        if [[ "$rest" =~ [[:space:]][Aa][Ss][[:space:]]+([A-Za-z0-9_.-]+) ]]; then
                                stages+="${BASH_REMATCH[1]} "
                        fi
                        ;;
                WORKDIR) [ "$stage" = 1 ] && workdir=$rest ;;
                COPY)
                        if [[ "$rest" == --from=* ]]; then
                                src=${rest#--from=}
                                src=${src%% *}
                                check "COPY --from=$src names an earlier stage" \
                                        grep -q " $src " <<<"$stages"
                                continue
                        fi
                        read -ra args <<<"$rest"
                        n=${#args[@]}
                        dest=${args[n - 1]}
                        for src in "${args[@]:0:n-1}"; do
                                check "COPY source $src exists in the repository" \
                                        test -e "$PKG_SRC/$src"
                                # Replay into the build stage's WORKDIR.
                                if [ "$stage" = 1 ] && [ -e "$PKG_SRC/$src" ]; then
                                        local to=$ctx/root$workdir/$dest
                                        case "$dest" in /*) to=$ctx/root$dest ;; esac
                                        case "$dest" in */) mkdir -p "$to" ;; esac
                                        if [ -d "$PKG_SRC/$src" ]; then
                                                mkdir -p "$to" && cp -a "$PKG_SRC/$src/." "$to/"
                                        else
                                                cp -a "$PKG_SRC/$src" "$to"
                                        fi
                                fi
                        done
                        ;;
                RUN)
                        # The build stage's cmake steps (not the package installation), with
                        # the absolute paths moved into ctx.
                        if [ "$stage" = 1 ] && [[ "$rest" == "cmake "* ]]; then
                                printf '%s\n' "$rest" >>"$run_script"
                        fi
                        ;;
                esac
        done <"$WORK/$name.df"
        check "build stage has WORKDIR /src" test "$workdir" = /src
        check "build stage runs cmake" test -s "$run_script"
        check "build stage disables the tests (tests/ is not copied)" grep -q -- '-DCGLIMITS_BUILD_TESTS=OFF' "$run_script"
        sed -i "s|DESTDIR=/out|DESTDIR=$ctx/out|" "$run_script"
        say "   replaying in $ctx/root/src:"
        sed 's/^/   $ /' "$run_script"
        local cc=""
        if [ "$name" = alpine ] && command -v musl-gcc >/dev/null; then
                cc=musl-gcc # the closest thing to Alpine's gcc here
                say "   (with CC=musl-gcc)"
        fi
        if (cd "$ctx/root/src" && ${cc:+env CC=$cc} sh -e "$run_script") >"$WORK/$name.replay.log" 2>&1; then
                pass "build stage replayed on exactly the COPYed files"
        else
                tail -n 30 "$WORK/$name.replay.log"
                fail "build stage replayed on exactly the COPYed files"
                return
        fi
        (cd "$ctx/out" && find . ! -type d | sort) | sed 's/^/   out: /'
        # shellcheck disable=SC2086
        set -- $ctx/out$lib_glob
        check "the final stage finds the library at $lib_glob" test -f "$1"
        check "/out holds the wrapper usr/bin/cglimits" test -x "$ctx/out/usr/bin/cglimits"
        check "the wrapper names ${1#"$ctx/out"}" grep -q "\"${1#"$ctx/out"}\"" "$ctx/out/usr/bin/cglimits"
}

check_dockerfile debian '/usr/lib/*-linux-*/libcglimits.so'
check "debian: final stage enables the library in /etc/ld.so.preload" \
        grep -q 'echo "$lib" >> /etc/ld.so.preload' "$EX/debian/Dockerfile"
check_dockerfile alpine /usr/lib/libcglimits.so
if command -v musl-gcc >/dev/null && [ -f "$WORK/ctx-alpine/out/usr/lib/libcglimits.so" ]; then
        mlib=$WORK/ctx-alpine/out/usr/lib/libcglimits.so
        check "alpine replay (musl-gcc): the library's interpreter is musl's" \
                bash -c 'readelf -l "$1" | grep -q "interpreter: /lib/ld-musl-"' _ "$mlib"
        printf '%s\n' '#include <stdio.h>' '#include <unistd.h>' \
                'int main(void) { printf("%lld\n", (long long)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE)); return 0; }' \
                >"$WORK/phys.c"
        if musl-gcc -o "$WORK/phys-musl" "$WORK/phys.c" 2>/dev/null; then
                out=$(env CGLIMITS_MEMORY=256M LD_PRELOAD="$mlib" "$WORK/phys-musl")
                check "musl program with LD_PRELOAD=<musl build> CGLIMITS_MEMORY=256M: 268435456 bytes" \
                        test "$out" = 268435456
        fi
else
        say "SKIP: musl-gcc not installed (apt-get install musl-tools): alpine replay used gcc"
fi
check "alpine: LD_PRELOAD names /usr/lib/libcglimits.so" \
        grep -qx 'ENV LD_PRELOAD=/usr/lib/libcglimits.so' "$EX/alpine/Dockerfile"
check "alpine: build stage installs cmake gcc musl-dev" \
        grep -Eq '^RUN apk add --no-cache .*cmake.*gcc.*musl-dev' "$EX/alpine/Dockerfile"

say "== scripts/containers/kubernetes/pod.yaml"
if /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
        if /usr/bin/python3 - "$EX/kubernetes/pod.yaml" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
ok = True
def check(what, cond):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and bool(cond)
check("one document, kind Pod, apiVersion v1", len(docs) == 1 and docs[0].get("kind") == "Pod"
      and docs[0].get("apiVersion") == "v1")
spec = docs[0]["spec"]
vols = {v["name"]: v for v in spec.get("volumes", [])}
check("an emptyDir volume", any("emptyDir" in v for v in vols.values()))
inits, apps = spec.get("initContainers", []), spec.get("containers", [])
check("one init container and one app container", len(inits) == 1 and len(apps) == 1)
init, app = inits[0], apps[0]
for c in (init, app):
    for m in c.get("volumeMounts", []):
        check(f"{c['name']}: mount {m['name']} names a volume", m["name"] in vols)
init_dirs = {m["mountPath"] for m in init.get("volumeMounts", [])}
check("init container copies libcglimits.so into its mount",
      any(d + "/libcglimits.so" in " ".join(init["command"]) for d in init_dirs))
env = {e["name"]: e.get("value") for e in app.get("env", [])}
pre = env.get("LD_PRELOAD", "")
mounts = {m["mountPath"]: m for m in app.get("volumeMounts", [])}
check(f"app LD_PRELOAD={pre} lies in a mounted volume",
      any(pre == p + "/libcglimits.so" for p in mounts))
check("app mounts the library read-only", all(m.get("readOnly") for m in mounts.values()))
check("app resources.limits.memory is set",
      app.get("resources", {}).get("limits", {}).get("memory"))
check("images are marked as placeholders (registry.example.com)",
      all(c["image"].startswith("registry.example.com/") for c in (init, app)))
sys.exit(0 if ok else 1)
PY
        then pass "pod.yaml checks"; else fail "pod.yaml checks"; fi
else
        say "SKIP: /usr/bin/python3 has no yaml module (apt-get install python3-yaml)"
fi
if command -v yamllint >/dev/null; then
        check "yamllint pod.yaml" yamllint -d relaxed "$EX/kubernetes/pod.yaml"
fi

if [ "$PKG_FAILURES" = 0 ] && [ "$CGROUP_SKIPPED" = 1 ]; then
        skip "everything else passed, but the cgroup checks need root"
fi
finish
