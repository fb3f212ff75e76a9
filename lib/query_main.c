/* Executed directly (./libcglimits-query.so [--pid N]), as glibc's libc.so.6 can be, the
 * library prints its figures as JSON (json_render.h): `cglimits --json` runs it. The dynamic
 * linker jumps to cglimits_query_main with no main() and no argument vector in reach, so the
 * arguments come from /proc/self/cmdline. */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cglimits.h"
#include "fd_write.h"
#include "file_read.h"
#include "json_render.h"
#include "value_parse.h"

const char cgl_query_interp[] __attribute__((section(".interp"), used)) = CGLIMITS_INTERP;

__attribute__((noreturn)) static void fail(const char *msg, int status)
{
        cgl_write_str(2, msg);
        syscall(SYS_exit_group, status);
        __builtin_unreachable();
}

static const char usage[] = "usage: libcglimits-query.so [--pid PID]\n"
                            "prints the memory figures of this process (or of PID) as JSON\n";

static struct cgl_io io;
static char args[4096];
static char text[8192];
static struct cglimits_memory m;

/* The kernel enters with the stack 16-byte aligned and no return address pushed. */
__attribute__((noreturn, force_align_arg_pointer)) void cglimits_query_main(void);

void cglimits_query_main(void)
{
        cgl_io_init(&io, NULL);
        int len = cgl_read_file(&io, "/proc/self/cmdline", args, sizeof(args));
        if (len < 0)
                fail("libcglimits-query.so: cannot read /proc/self/cmdline\n", 2);
        pid_t pid = 0;
        /* argv[0] first; under "ld.so lib.so ..." the loader's name comes before it. */
        for (int i = 0; i < len; i += (int)strlen(args + i) + 1) {
                const char *a = args + i;
                if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                        cgl_write_all(1, usage, sizeof(usage) - 1);
                        syscall(SYS_exit_group, 0);
                }
                if (strcmp(a, "--version") == 0) {
                        cgl_write_all(1, CGLIMITS_VERSION "\n", sizeof(CGLIMITS_VERSION));
                        syscall(SYS_exit_group, 0);
                }
                if (strcmp(a, "--pid") != 0)
                        continue;
                i += (int)strlen(a) + 1;
                uint64_t v;
                if (i >= len || cgl_parse_u64(args + i, strlen(args + i), &v) < 0 || v == 0 ||
                    v > 0x7fffffff)
                        fail(usage, 2);
                pid = (pid_t)v;
        }
        m.size = sizeof(m);
        int r =
            pid ? cglimits_memory_pid(pid, &m, 0) : cglimits_memory(&m, CGLIMITS_USE_ENV_MEMORY);
        if (r < 0) {
                char num[24];
                int n = cgl_format_u64(num, sizeof(num), (uint64_t)-r, 0);
                cgl_write_str(2, "libcglimits-query.so: cannot read the memory figures (errno ");
                cgl_write_all(2, num, (size_t)n);
                fail(")\n", 1);
        }
        int n = json_render(&m, pid, text, sizeof(text));
        if (n < 0)
                fail("libcglimits-query.so: output too long\n", 1);
        cgl_write_all(1, text, (size_t)n);
        syscall(SYS_exit_group, 0);
        __builtin_unreachable();
}
