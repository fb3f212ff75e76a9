#include "view_load.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "cgroup_sample.h"
#include "file_read.h"
#include "meminfo_parse.h"
#include "value_parse.h"

/* The inode of the initial cgroup namespace (PROC_CGROUP_INIT_INO, include/linux/proc_ns.h,
 * fixed since Linux 4.6). */
#define INIT_CGROUP_NS_INO 0xEFFFFFFBu

/* Finds the cgroup directory; *init_ns says whether the process is known to be in the
 * initial cgroup namespace, where a mount root of "/" is the hierarchy's real root. */
static int locate(struct view_work *w, pid_t pid, struct locate_cache *cache,
                  struct cgroup_location *loc, bool *init_ns)
{
        *init_ns = false;
        struct cgl_io *io = &w->io;
        if (!cache)
                return cgroup_locate(io, pid, &w->locate, loc);

        struct locate_key *key = &w->key;
        memset(key, 0, offsetof(struct locate_key, proc_cgroup));
        int n = cgl_read_file(io, "/proc/self/cgroup", key->proc_cgroup, sizeof(key->proc_cgroup));
        if (n == -EFBIG)
                return cgroup_locate(io, pid, &w->locate, loc); /* too long to serve as a key */
        if (n < 0)
                return n;
        key->len = (unsigned)n;
        locate_key_clear_tail(key);
        /* The same /proc/self/cgroup text means another directory after setns(2) or
         * unshare(2): the namespaces are part of the key. Missing (no /proc/self/ns, or a
         * sysroot without it) just leaves 0. */
        cgl_path_inode(io, "/proc/self/ns/mnt", &key->mnt_ns);
        cgl_path_inode(io, "/proc/self/ns/cgroup", &key->cgroup_ns);
        /* Only the real /proc says which namespace this is, not a sysroot's copy. */
        *init_ns = (!io->root || !io->root[0]) && key->cgroup_ns == INIT_CGROUP_NS_INO;
        if (locate_cache_get(cache, key, loc))
                return 0;

        struct proc_cgroup *pc = &w->locate.pc;
        int r = proc_cgroup_parse(key->proc_cgroup, key->len, pc);
        if (r < 0)
                return r;
        r = cgroup_locate_parsed(io, pid, pc, &w->locate, loc);
        if (r == 0)
                locate_cache_put(cache, key, loc);
        return r;
}

static int load(struct view_work *w, const struct cgl_config *cfg, pid_t pid,
                struct locate_cache *cache, struct view_load *out)
{
        struct host_meminfo host;
        struct cgl_io *io = &w->io;

        int r = cgl_read_file(io, "/proc/meminfo", out->host_text, sizeof(out->host_text));
        if (r < 0)
                return r;
        out->host_len = (size_t)r;
        r = meminfo_parse(out->host_text, out->host_len, &host);
        if (r < 0)
                return r;

        uint64_t override = cfg->memory_override;
        struct cgroup_sample *sample = &w->sample;
        bool init_ns;
        r = locate(w, pid, cache, &out->loc, &init_ns);
        if (r == -ENOENT && override != CGL_UNLIMITED) {
                /* No memory cgroup to read (no controller mounted): the override alone sets
                 * the view, with no usage known. */
                memset(&out->loc, 0, sizeof(out->loc));
                memset(sample, 0, sizeof(*sample));
                sample->hierarchical_limit = CGL_UNLIMITED;
                sample->hierarchical_memsw = CGL_UNLIMITED;
        } else if (r < 0) {
                return r;
        } else {
                struct sample_options opt = {
                    .no_limit_from = override < host.mem_total ? CGL_UNLIMITED : host.mem_total,
                    .host_total = host.mem_total,
                    .want_swap = host.swap_total > 0,
                    .need_root_check = override != CGL_UNLIMITED,
                    .top_known_root = init_ns && out->loc.top_is_root,
                };
                r = cgroup_sample_read(io, &out->loc, &opt, sample);
                if (r < 0)
                        return r;
                if (sample->no_limit) {
                        memset(&out->view, 0, sizeof(out->view));
                        out->view.passthrough = true;
                        out->view.limit = CGL_UNLIMITED;
                        return 0;
                }
        }

        int level = mem_view_pick_limit(sample, &host, override, &out->view);
        if (out->view.passthrough)
                return 0;

        struct memstat stat;
        const struct memstat *stat_ptr = NULL;
        if (level == 0 && sample->leaf_stat_valid) {
                stat_ptr = &sample->leaf_stat;
        } else if (level >= 0) {
                r = cgroup_stat_read(io, &out->loc, sample, (unsigned)level, &stat);
                if (r < 0)
                        return r;
                stat_ptr = &stat;
        }
        mem_view_compute(sample, stat_ptr, &host, override, &out->view);
        return 0;
}

int cgl_view_load(const struct cgl_config *cfg, pid_t pid, struct locate_cache *cache,
                  struct view_work *work, struct view_load *out)
{
        cgl_io_init(&work->io, cgl_config_root(cfg));
        return load(work, cfg, pid, cache, out);
}

int cgl_view_load_proc(const struct cgl_config *cfg, pid_t pid, const char *proc,
                       const char *mount_prefix, struct view_work *work, struct view_load *out)
{
        cgl_io_init(&work->io, cgl_config_root(cfg));
        work->io.proc = proc;
        work->io.mount_prefix = mount_prefix;
        return load(work, cfg, pid, NULL, out);
}
