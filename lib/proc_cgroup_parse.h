/* /proc/self/cgroup: which cgroup the process is in, for one controller's v1 hierarchy
 * (memory or cpu) and for the unified hierarchy (v2). */
#ifndef CGLIMITS_PROC_CGROUP_PARSE_H
#define CGLIMITS_PROC_CGROUP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "file_read.h"

/* The controllers the library reads. */
enum cgl_controller {
        CGL_MEMORY,
        CGL_CPU,
};

struct proc_cgroup {
        enum cgl_controller controller; /* whose v1 hierarchy v1_path names */
        bool has_v1;
        bool has_unified;
        char v1_path[CGL_PATH_MAX];
        char unified_path[CGL_PATH_MAX];
};

/* Empty, for the memory controller. */
void proc_cgroup_init(struct proc_cgroup *pc);
void proc_cgroup_init_for(struct proc_cgroup *pc, enum cgl_controller controller);

/* The controller's name as /proc/self/cgroup and mount options list it. */
const char *cgl_controller_name(enum cgl_controller controller);

/* Folds one "ID:controllers:path" line into pc. -EINVAL on malformed lines or a second line
 * for the same hierarchy, -ENAMETOOLONG on paths longer than CGL_PATH_MAX. */
int proc_cgroup_parse_line(const char *line, size_t len, struct proc_cgroup *pc);

/* Whole-buffer form, parsed in place (no copy on the stack): on failure pc is left empty, as
 * proc_cgroup_init_for makes it, never half filled. */
int proc_cgroup_parse(const char *buf, size_t len, struct proc_cgroup *pc);
int proc_cgroup_parse_for(const char *buf, size_t len, enum cgl_controller controller,
                          struct proc_cgroup *pc);

/* Whether the comma-separated list [list, list+len) holds token exactly. */
bool cgl_list_has_token(const char *list, size_t len, const char *token);

#endif
