/* /proc/self/cgroup: which cgroup the process is in, for the memory controller (v1) and for
 * the unified hierarchy (v2). */
#ifndef CGLIMITS_PROC_CGROUP_PARSE_H
#define CGLIMITS_PROC_CGROUP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "file_read.h"

struct proc_cgroup {
        bool has_v1_memory;
        bool has_unified;
        char v1_memory_path[CGL_PATH_MAX];
        char unified_path[CGL_PATH_MAX];
};

void proc_cgroup_init(struct proc_cgroup *pc);

/* Folds one "ID:controllers:path" line into pc. -EINVAL on malformed lines or a second line
 * for the same hierarchy, -ENAMETOOLONG on paths longer than CGL_PATH_MAX. */
int proc_cgroup_parse_line(const char *line, size_t len, struct proc_cgroup *pc);

/* Whole-buffer form, parsed in place (no copy on the stack): on failure pc is left empty, as
 * proc_cgroup_init makes it, never half filled. */
int proc_cgroup_parse(const char *buf, size_t len, struct proc_cgroup *pc);

/* Whether the comma-separated list [list, list+len) holds token exactly. */
bool cgl_list_has_token(const char *list, size_t len, const char *token);

#endif
