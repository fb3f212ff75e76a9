#include "query.h"

#include <errno.h>
#include <string.h>

#include "value_parse.h"

/* "/proc/" + pid into out (room for any pid_t). */
static void proc_dir(char *out, size_t cap, pid_t pid, const char *tail)
{
        char num[24];
        int n = cgl_format_u64(num, sizeof(num), (uint64_t)pid, 0);
        num[n < 0 ? 0 : n] = '\0';
        cgl_path_join(out, cap, "/proc/", num, tail);
}

/* A process in another mount namespace lists mount points of that namespace: its
 * /proc/PID/root reaches them. Unreadable namespace links (no ptrace access, or a sysroot
 * without them) are taken as the same namespace. */
static bool other_mount_ns(struct cgl_io *io, const char *proc)
{
        uint64_t ours, theirs;
        if (cgl_path_inode(io, "/proc/self/ns/mnt", &ours) < 0)
                return false;
        if (cgl_path_join(io->name, sizeof(io->name), proc, "/ns/mnt", NULL) < 0 ||
            cgl_path_inode(io, io->name, &theirs) < 0)
                return false;
        return ours != theirs;
}

int cgl_query(struct query_work *w, pid_t pid, struct locate_cache *cache)
{
        int r;
        if (pid == 0) {
                r = cgl_view_load(&w->cfg, 0, cache, &w->load, &w->vl);
        } else {
                struct cgl_io *io = &w->load.io;
                cgl_io_init(io, cgl_config_root(&w->cfg));
                proc_dir(w->proc, sizeof(w->proc), pid, NULL);
                r = cgl_path_exists(io, w->proc);
                if (r <= 0)
                        return r == 0 ? -ESRCH : r;
                const char *prefix = NULL;
                if (other_mount_ns(io, w->proc)) {
                        proc_dir(w->mount_prefix, sizeof(w->mount_prefix), pid, "/root");
                        prefix = w->mount_prefix;
                }
                r = cgl_view_load_proc(&w->cfg, pid, w->proc, prefix, &w->load, &w->vl);
                /* The process may have exited during the load. */
                if (r == -ENOENT && cgl_path_exists(io, w->proc) == 0)
                        r = -ESRCH;
        }
        if (r < 0)
                return r;
        cgl_query_fill(&w->vl, &w->load.sample, &w->m);
        return 0;
}
