#include "cpu_count.h"

#include <errno.h>

#include "cpu_quota_cache.h"
#include "shim_view.h"

static uint32_t min_u32(uint32_t a, uint32_t b)
{
        return a < b ? a : b;
}

int shim_cpus_compute(struct shim_work *w, bool fresh, struct cpu_figures *f)
{
        const struct cgl_config *cfg = w->cfg;
        /* The mask goes through the rendered file's buffer: 4 KiB, 32768 CPUs. */
        int n = cgl_affinity_count(w->text, sizeof(w->text));
        if (n < 0)
                return n;
        f->affinity = (uint32_t)n;
        f->loaded = fresh || !cpu_quota_cache_get(&f->quota);
        if (f->loaded) {
                int r = cgl_cpu_limit_load(cgl_config_root(cfg), 0, &w->cpu);
                if (r < 0)
                        return r;
                f->quota = cpu_count_rule(UINT32_MAX, w->cpu.level, w->cpu.nlevels);
                cpu_quota_cache_put(f->quota);
        }
        f->told = min_u32(min_u32(f->affinity, f->quota), cfg->cpus);
        if (f->told == 0)
                f->told = 1;
        return 0;
}

void shim_cpus_describe(const struct shim_work *w, const struct cpu_figures *f,
                        struct shim_msg *out)
{
        const struct cgl_config *cfg = w->cfg;
        out->len = 0;
        shim_msg_str(out, "CPU count ");
        shim_msg_u64(out, f->told);
        shim_msg_str(out, ": affinity mask ");
        shim_msg_u64(out, f->affinity);
        shim_msg_str(out, ", quota ");
        if (f->quota == UINT32_MAX)
                shim_msg_str(out, "none");
        else
                shim_msg_u64(out, f->quota);
        if (f->loaded) {
                const struct cpu_work *c = &w->cpu;
                int level = cgl_cpu_limiting_level(c);
                if (!c->loc.version) {
                        shim_msg_str(out, " (no cpu cgroup visible)");
                } else if (level >= 0) {
                        const struct cpu_quota *q = &c->level[level];
                        shim_msg_str(out, " (");
                        shim_msg_u64(out, q->quota_us);
                        shim_msg_str(out, "/");
                        shim_msg_u64(out, q->period_us);
                        shim_msg_str(out, c->loc.version == 2 ? " us in cpu.max of "
                                                              : " us in cpu.cfs_quota_us of ");
                        shim_msg_str(out, "cgroup v");
                        shim_msg_u64(out, (unsigned long long)c->loc.version);
                        shim_msg_str(out, " level ");
                        shim_msg_u64(out, (unsigned long long)level);
                        shim_msg_str(out, ")");
                } else {
                        shim_msg_str(out, " (cgroup v");
                        shim_msg_u64(out, (unsigned long long)c->loc.version);
                        shim_msg_str(out, ")");
                }
        }
        if (cfg->cpus == CGL_CPUS_AUTO) {
                shim_msg_str(out, ", CGLIMITS_CPUS=auto");
        } else {
                shim_msg_str(out, ", CGLIMITS_CPUS=");
                shim_msg_u64(out, cfg->cpus);
        }
}

long shim_cpus_online(void)
{
        int saved = errno;
        struct shim_work *w = shim_call_begin();
        if (!w)
                return -1;
        const struct cgl_config *cfg = w->cfg;
        long told = -1;
        if (cfg->cpus_invalid) {
                static const char msg[] = "CGLIMITS_CPUS is neither auto nor a count of CPUs "
                                          "(0 to 65536); ignored";
                shim_debug_once(cfg, NOTE_CPUS_INVALID, msg, sizeof(msg) - 1);
        } else if (cfg->cpus != 0) {
                struct cpu_figures f;
                int r = shim_cpus_compute(w, false, &f);
                struct shim_msg *m = &w->msg;
                if (r < 0) {
                        shim_msg_cannot_read(m, "CPU count", -r, "passing through");
                        shim_debug_once(cfg, NOTE_CPUS_ERROR, m->text, m->len);
                } else {
                        told = f.told;
                        if (cfg->debug && f.loaded) {
                                shim_cpus_describe(w, &f, m);
                                shim_debug_once(cfg, NOTE_CPUS, m->text, m->len);
                        }
                }
        }
        shim_call_end(w);
        errno = saved;
        return told;
}
