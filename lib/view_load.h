/* From files to view: the one entry point the shim calls. */
#ifndef CGLIMITS_VIEW_LOAD_H
#define CGLIMITS_VIEW_LOAD_H

#include <stddef.h>
#include <sys/types.h>

#include "cgroup_locate.h"
#include "config.h"
#include "file_read.h"
#include "locate_cache.h"
#include "mem_view.h"

/* Room for the host's /proc/meminfo (about 1.5 KiB on 6.x) and for the synthesized copy.
 * Positional readers do one 4095-byte read, so the result must stay below 4 KiB anyway. */
#define CGL_MEMINFO_MAX 4096

struct view_load {
        struct mem_view view;
        struct cgroup_location loc; /* loc.version is 0 when no memory cgroup was found */
        size_t host_len;
        char host_text[CGL_MEMINFO_MAX]; /* the host's /proc/meminfo, for the renderer */
};

/* Everything a load needs beyond a small stack: caller-provided storage, used by one load
 * at a time. Its content means nothing between loads. */
struct view_work {
        struct cgl_io io;
        struct locate_key key;
        struct cgroup_sample sample;
        struct locate_work locate;
};

/* Reads the host's /proc/meminfo and the calling process's memory cgroup (pid is the
 * caller's, or 0 to have it asked only when needed: it finds a cgroup above a namespace
 * root) and derives the view. cache (where the
 * cgroup directory is, kept between loads; zeroed storage is empty) may be NULL. On success
 * out->view.passthrough tells whether the real data should be used. Any failure is a
 * negative errno: the caller then passes through. */
int cgl_view_load(const struct cgl_config *cfg, pid_t pid, struct locate_cache *cache,
                  struct view_work *work, struct view_load *out);

/* The same for another process: its proc files under proc ("/proc/PID"), its mount points
 * reached through mount_prefix (NULL: they are the caller's), its cgroup searched for pid, and
 * no cache. */
int cgl_view_load_proc(const struct cgl_config *cfg, pid_t pid, const char *proc,
                       const char *mount_prefix, struct view_work *work, struct view_load *out);

#endif
