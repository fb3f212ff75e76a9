#include "shim_view.h"

#include <errno.h>
#include <string.h>

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
        struct shim_msg *m = out;
        m->len = 0;
        const struct mem_view *v = &vl->view;
        if (vl->loc.version) {
                shim_msg_str(m, "cgroup v");
                shim_msg_u64(m, (unsigned long long)vl->loc.version);
                shim_msg_str(m, " ");
                shim_msg_str(m, vl->loc.dir);
        } else {
                shim_msg_str(m, "no memory cgroup");
        }
        if (cfg->sysroot[0]) {
                shim_msg_str(m, " under sysroot ");
                shim_msg_str(m, cfg->sysroot);
        }
        if (v->passthrough) {
                shim_msg_str(m, ": no limit below the host's memory, passing through");
                return;
        }
        shim_msg_str(m, ": limit ");
        shim_msg_u64(m, (unsigned long long)v->limit);
        shim_msg_str(m, " bytes from ");
        shim_msg_str(m, source_name(v->source, vl->loc.version));
        if (v->source != LIMIT_OVERRIDE && vl->loc.version) {
                shim_msg_str(m, " at level ");
                shim_msg_u64(m, v->limit_level);
        }
        shim_msg_str(m, "; MemTotal ");
        shim_msg_u64(m, (unsigned long long)(v->field[VF_MEM_TOTAL] / 1024));
        shim_msg_str(m, " kB, MemFree ");
        shim_msg_u64(m, (unsigned long long)(v->field[VF_MEM_FREE] / 1024));
        shim_msg_str(m, " kB, MemAvailable ");
        shim_msg_u64(m, (unsigned long long)(v->field[VF_MEM_AVAILABLE] / 1024));
        shim_msg_str(m, " kB, SwapTotal ");
        shim_msg_u64(m, (unsigned long long)(v->field[VF_SWAP_TOTAL] / 1024));
        shim_msg_str(m, " kB");
}

/* One per process: where its cgroup directory is (locate_cache.h). */
static struct locate_cache cache;

struct shim_work *shim_call_begin(void)
{
        int saved = errno;
        struct shim_work *w = work_take();
        if (w) {
                w->cfg = shim_config(&w->cfg_scratch);
                if (w->cfg->disabled) {
                        work_give(w);
                        w = NULL;
                }
        }
        errno = saved;
        return w;
}

void shim_call_end(struct shim_work *w)
{
        int saved = errno;
        work_give(w);
        errno = saved;
}

int shim_view_load(struct shim_work *w)
{
        const struct cgl_config *cfg = w->cfg;
        if (cfg->memory_invalid) {
                static const char msg[] = "CGLIMITS_MEMORY is not a size (like 512M or 2G); "
                                          "ignored";
                shim_debug_once(cfg, NOTE_MEMORY_INVALID, msg, sizeof(msg) - 1);
        }
        struct view_load *vl = &w->vl;
        int r = cgl_view_load(cfg, 0, &cache, &w->load, vl);
        struct shim_msg *m = &w->msg;
        if (r < 0) {
                shim_msg_cannot_read(m, "memory cgroup", -r, "passing through");
                shim_debug_once(cfg, NOTE_ERROR, m->text, m->len);
                return r;
        }
        if (cfg->debug) {
                shim_view_describe(vl, cfg, m);
                shim_debug_once(cfg, vl->view.passthrough ? NOTE_PASSTHROUGH : NOTE_VIEW, m->text,
                                m->len);
        }
        return 0;
}

int shim_view_render(struct shim_work *w, size_t cap)
{
        const struct view_load *vl = &w->vl;
        if (cap > sizeof(w->text))
                cap = sizeof(w->text);
        if (vl->view.passthrough) {
                if (!w->cfg->sysroot[0])
                        return -EAGAIN;
                if (vl->host_len > cap)
                        return -ENOSPC;
                memcpy(w->text, vl->host_text, vl->host_len);
                return (int)vl->host_len;
        }
        return meminfo_render(vl->host_text, vl->host_len, &vl->view, w->text, cap);
}
