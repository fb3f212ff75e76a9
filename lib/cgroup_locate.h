/* Finding the directory of the calling process's cgroup for one controller (memory, cpu):
 * /proc/self/cgroup names the cgroup, /proc/self/mountinfo says where its hierarchy is
 * mounted and which part of it the mount shows. */
#ifndef CGLIMITS_CGROUP_LOCATE_H
#define CGLIMITS_CGROUP_LOCATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "file_read.h"
#include "mountinfo_parse.h"
#include "proc_cgroup_parse.h"

struct cgroup_location {
        int version;            /* 1 or 2 */
        char dir[CGL_PATH_MAX]; /* the process's cgroup directory (without the sysroot) */
        size_t top_len;         /* dir[0..top_len) is the mount point: the topmost visible level */
        bool top_is_root;       /* the mount point shows the hierarchy's real root */
};

/* The length of the level above dir[0..len): the parent directory, or len itself at the
 * mount point (the topmost visible level has no visible parent). */
size_t cgroup_parent_len(const struct cgroup_location *loc, size_t len);

/* Candidate mounts seen so far; feed it every mountinfo entry, then finish. */
struct locate_state {
        const struct proc_cgroup *pc;
        struct locate_candidate {
                bool found;
                bool outside_ns;  /* mount root is an ancestor of our namespace root */
                unsigned up;      /* for outside_ns: how many levels above it */
                size_t match_len; /* length of the mount root matched, longest wins */
                struct cgroup_location loc;
        } v1, v2;
};

void cgroup_locate_begin(struct locate_state *st, const struct proc_cgroup *pc);
/* scratch: room for a candidate while it is built (a failed build leaves the last one). */
void cgroup_locate_consider(struct locate_state *st, const struct mount_entry *e,
                            struct cgroup_location *scratch);

/* The namespace search lists one directory per level it goes down: deeper mounts are not
 * searched (-ENOENT). */
#define CGL_SEARCH_DEPTH  8
#define CGL_SEARCH_DIRENT 512

/* Everything a discovery needs beyond a small stack (caller-provided, one discovery at a
 * time). */
struct locate_work {
        struct proc_cgroup pc;
        struct locate_state st;
        struct mount_entry entry;
        struct cgroup_location candidate;
        struct search_ctx {
                const char *suffix;
                size_t len;
                unsigned depth_left;
                pid_t pid;
                unsigned budget;
                int found;
                char path[CGL_PATH_MAX];
                char file[CGL_PATH_MAX];
                _Alignas(8) char dirents[CGL_SEARCH_DEPTH][CGL_SEARCH_DIRENT];
        } search;
};

/* Picks v1 when the process has a v1 cgroup of the controller with a reachable mount, else
 * v2. Returns 0, -ENOENT when no mount shows the process's cgroup, or -EXDEV when the only
 * mount lies above the cgroup namespace root (the caller may search for the directory). */
int cgroup_locate_finish(const struct locate_state *st, struct cgroup_location *out,
                         unsigned *up_levels);

/* The whole discovery with file access under root (the sysroot prefix or NULL). For a mount
 * above the namespace root, searches up_levels deep below the mount point for the directory
 * whose cgroup.procs lists pid (0: the caller's, asked only then); gives up with -ENOENT after a
 * bounded number of directories. */
int cgroup_locate(struct cgl_io *io, pid_t pid, struct locate_work *w, struct cgroup_location *out);

/* Reads the process's /proc/.../cgroup (io->proc, or /proc/self) for one controller. */
int cgroup_proc_cgroup_read(struct cgl_io *io, enum cgl_controller controller,
                            struct proc_cgroup *pc);

/* The mountinfo walk alone, from an already parsed /proc/self/cgroup: what
 * cgroup_locate_finish returns, with up_levels for -EXDEV. */
int cgroup_locate_mounts(struct cgl_io *io, const struct proc_cgroup *pc, struct locate_work *w,
                         struct cgroup_location *out, unsigned *up_levels);

/* After cgroup_locate_mounts gave -EXDEV (out and up_levels set): the namespace search for
 * pc's path holding pid (0: the caller). */
int cgroup_locate_search(struct cgl_io *io, pid_t pid, const struct proc_cgroup *pc,
                         unsigned up_levels, struct locate_work *w, struct cgroup_location *out);

/* Composes loc->dir[0..dir_len) (one level's directory) + "/" + name in io->name. */
int cgroup_level_file(struct cgl_io *io, const struct cgroup_location *loc, size_t dir_len,
                      const char *name);

/* The whole discovery from an already parsed /proc/self/cgroup (pc may be &w->pc); the
 * controller is pc's. */
int cgroup_locate_parsed(struct cgl_io *io, pid_t pid, const struct proc_cgroup *pc,
                         struct locate_work *w, struct cgroup_location *out);

/* The search alone, for tests: finds prefix/<up_levels components>/suffix holding pid. */
int cgroup_search_ns_dir(struct cgl_io *io, struct locate_work *w, struct cgroup_location *loc,
                         unsigned up_levels, const char *suffix, pid_t pid);

#endif
