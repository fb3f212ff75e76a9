/* The public figures (cglimits.h) from the view the shim uses: the code behind
 * cglimits_memory and cglimits_memory_pid, with the configuration given, for tests. */
#ifndef CGLIMITS_QUERY_H
#define CGLIMITS_QUERY_H

#include <sys/types.h>

#include "cglimits.h"
#include "config.h"
#include "locate_cache.h"
#include "view_load.h"

/* One query's storage: several KiB, never on the caller's stack (slot_pool.h). */
struct query_work {
        struct cgl_config cfg;
        struct view_work load;
        struct view_load vl;
        char proc[32];         /* "/proc/PID" */
        char mount_prefix[48]; /* "/proc/PID/root" */
        struct cglimits_memory m;
};

/* Fills w->m (all of it) for the calling process (pid 0, cache may be NULL) or for pid,
 * reading files under cfg's sysroot. Returns 0 or a negative errno. */
int cgl_query(struct query_work *w, pid_t pid, struct locate_cache *cache);

/* Fills m from a loaded view and the sample it came from. */
void cgl_query_fill(const struct view_load *vl, const struct cgroup_sample *s,
                    struct cglimits_memory *m);

#endif
