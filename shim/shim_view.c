#include "shim_view.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "meminfo_render.h"
#include "shim_state.h"

static const char *source_name(enum limit_source s, int version)
{
        switch (s) {
        case LIMIT_V1_LIMIT:
                return "memory.limit_in_bytes";
        case LIMIT_V1_HIERARCHICAL:
                return "hierarchical_memory_limit in memory.stat";
        case LIMIT_V2_MAX:
                return "memory.max";
        case LIMIT_V2_HIGH:
                return "memory.high";
        case LIMIT_OVERRIDE:
                return "CGLIMITS_MEMORY";
        case LIMIT_NONE:
                break;
        }
        return version ? "none" : "no memory cgroup";
}

void shim_view_describe(const struct view_load *vl, const struct cgl_config *cfg,
                        struct shim_msg *out)
{
        struct shim_msg m = {.len = 0};
        const struct mem_view *v = &vl->view;
        if (vl->loc.version) {
                shim_msg_str(&m, "cgroup v");
                shim_msg_u64(&m, (unsigned long long)vl->loc.version);
                shim_msg_str(&m, " ");
                shim_msg_str(&m, vl->loc.dir);
        } else {
                shim_msg_str(&m, "no memory cgroup");
        }
        if (cfg->sysroot[0]) {
                shim_msg_str(&m, " under sysroot ");
                shim_msg_str(&m, cfg->sysroot);
        }
        if (v->passthrough) {
                shim_msg_str(&m, ": no limit below the host's memory, passing through");
                *out = m;
                return;
        }
        shim_msg_str(&m, ": limit ");
        shim_msg_u64(&m, (unsigned long long)v->limit);
        shim_msg_str(&m, " bytes from ");
        shim_msg_str(&m, source_name(v->source, vl->loc.version));
        if (v->source != LIMIT_OVERRIDE && vl->loc.version) {
                shim_msg_str(&m, " at level ");
                shim_msg_u64(&m, v->limit_level);
        }
        shim_msg_str(&m, "; MemTotal ");
        shim_msg_u64(&m, (unsigned long long)(v->field[VF_MEM_TOTAL] / 1024));
        shim_msg_str(&m, " kB, MemFree ");
        shim_msg_u64(&m, (unsigned long long)(v->field[VF_MEM_FREE] / 1024));
        shim_msg_str(&m, " kB, MemAvailable ");
        shim_msg_u64(&m, (unsigned long long)(v->field[VF_MEM_AVAILABLE] / 1024));
        shim_msg_str(&m, " kB, SwapTotal ");
        shim_msg_u64(&m, (unsigned long long)(v->field[VF_SWAP_TOTAL] / 1024));
        shim_msg_str(&m, " kB");
        *out = m;
}

/* One per process: where its cgroup is, and the descriptors kept for rereading. */
static struct view_cache cache;

int shim_view_give_back(void)
{
        if (!__atomic_load_n(&cache.files.held, __ATOMIC_RELAXED))
                return 0;
        int saved = errno;
        int n = cgl_kept_give_back(&cache.files, (int)syscall(SYS_getpid));
        errno = saved;
        return n;
}

bool shim_view_gave_back_after_emfile(void)
{
        return errno == EMFILE && shim_view_give_back() > 0;
}

int shim_view_load(struct view_load *vl)
{
        struct cgl_config scratch;
        const struct cgl_config *cfg = shim_config(&scratch);
        return shim_view_load_with(cfg, vl);
}

int shim_view_load_with(const struct cgl_config *cfg, struct view_load *vl)
{
        if (cfg->memory_invalid) {
                static const char msg[] = "CGLIMITS_MEMORY is not a size (like 512M or 2G); "
                                          "ignored";
                shim_debug_once(NOTE_MEMORY_INVALID, msg, sizeof(msg) - 1);
        }
        int r = cgl_view_load(cfg, (pid_t)syscall(SYS_getpid), &cache, vl);
        if (r < 0) {
                struct shim_msg m = {.len = 0};
                shim_msg_str(&m, "cannot read the memory cgroup (errno ");
                shim_msg_u64(&m, (unsigned long long)-r);
                shim_msg_str(&m, "): passing through");
                shim_debug_once(NOTE_ERROR, m.text, m.len);
                return r;
        }
        if (cfg->debug) {
                struct shim_msg m;
                shim_view_describe(vl, cfg, &m);
                shim_debug_once(vl->view.passthrough ? NOTE_PASSTHROUGH : NOTE_VIEW, m.text, m.len);
        }
        return 0;
}

int shim_view_render(const struct view_load *vl, char *out, size_t cap)
{
        if (vl->view.passthrough) {
                struct cgl_config scratch;
                if (!shim_config(&scratch)->sysroot[0])
                        return -EAGAIN;
                if (vl->host_len > cap)
                        return -ENOSPC;
                memcpy(out, vl->host_text, vl->host_len);
                return (int)vl->host_len;
        }
        return meminfo_render(vl->host_text, vl->host_len, &vl->view, out, cap);
}
