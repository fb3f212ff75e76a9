/* Executed directly (./libcglimits.so), as glibc's libc.so.6 can be, the library prints
 * its version and what it sees for the calling process: the same diagnosis as
 * `cglimits --show`. The dynamic linker maps the object and its dependencies and jumps to
 * cglimits_main; there is no main() and no return address. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cpu_count.h"
#include "fd_write.h"
#include "shim_state.h"
#include "shim_view.h"

/* PT_INTERP: the dynamic linker of the C library the object was built against. */
const char cgl_interp[] __attribute__((section(".interp"), used)) = CGLIMITS_INTERP;

static void out(const char *s, size_t n)
{
        cgl_write_all(1, s, n);
}

static void out_str(const char *s)
{
        cgl_write_str(1, s);
}

static const char *lookup(const char *name)
{
        return secure_getenv(name);
}

/* The CPU count line: what sysconf(_SC_NPROCESSORS_ONLN) and get_nprocs() answer. */
static void describe_cpus(struct shim_work *w)
{
        const struct cgl_config *cfg = w->cfg;
        if (cfg->cpus_invalid) {
                out_str("\nCPU count: unchanged (CGLIMITS_CPUS is neither auto nor a count)\n");
                return;
        }
        if (cfg->cpus == 0) {
                out_str("\nCPU count: unchanged (CGLIMITS_CPUS is not set)\n");
                return;
        }
        struct cpu_figures f;
        int r = shim_cpus_compute(w, true, &f);
        if (r < 0) {
                shim_msg_cannot_read(&w->msg, "CPU count", -r, "programs see the host's\n");
                out_str("\n");
                out(w->msg.text, w->msg.len);
                return;
        }
        shim_cpus_describe(w, &f, &w->msg);
        out_str("\n");
        out(w->msg.text, w->msg.len);
        out_str("\n");
}

/* The kernel enters with the stack 16-byte aligned and no return address pushed. */
__attribute__((noreturn, force_align_arg_pointer)) void cglimits_main(void);

void cglimits_main(void)
{
        struct cgl_config cfg;
        cgl_config_load(&cfg, lookup);
        out_str("cglimits " CGLIMITS_VERSION
                ": cgroup-aware /proc/meminfo, sysinfo and sysconf for preloading\n");
        if (cfg.disabled)
                out_str("CGLIMITS_DISABLE=1: the library would pass everything through\n");

        struct shim_work *w = work_take();
        if (!w) {
                out_str("cannot map memory for the load\n");
                syscall(SYS_exit_group, 1);
        }
        w->cfg = &cfg;
        int r = shim_view_load(w);
        if (r < 0) {
                shim_msg_cannot_read(&w->msg, "memory cgroup", -r,
                                     "programs see the host's figures\n");
                out(w->msg.text, w->msg.len);
                syscall(SYS_exit_group, 1);
        }
        shim_view_describe(&w->vl, &cfg, &w->msg);
        out(w->msg.text, w->msg.len);
        out_str("\n/proc/meminfo as programs see it:\n");
        /* A pass-through view renders as -EAGAIN: programs get the host's own file. */
        int len = shim_view_render(w, sizeof(w->text) - 1);
        if (len >= 0)
                out(w->text, (size_t)len);
        else
                out(w->vl.host_text, w->vl.host_len);
        describe_cpus(w);
        syscall(SYS_exit_group, 0);
        __builtin_unreachable();
}
