/* Executed directly (./libcglimits.so), as glibc's libc.so.6 can be, the library prints
 * its version and what it sees for the calling process: the same diagnosis as
 * `cglimits --show`. The dynamic linker maps the object and its dependencies and jumps to
 * cglimits_main; there is no main() and no return address. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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
                struct shim_msg m = {.len = 0};
                shim_msg_str(&m, "cannot read the memory cgroup (errno ");
                shim_msg_u64(&m, (unsigned long long)-r);
                shim_msg_str(&m, "): programs see the host's figures\n");
                out(m.text, m.len);
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
        syscall(SYS_exit_group, 0);
        __builtin_unreachable();
}
