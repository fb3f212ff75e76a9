/* /proc/self/mountinfo lines, reduced to what cgroup discovery needs. */
#ifndef CGLIMITS_MOUNTINFO_PARSE_H
#define CGLIMITS_MOUNTINFO_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "file_read.h"

enum mount_kind {
        MOUNT_OTHER = 0,
        MOUNT_CGROUP1_MEMORY, /* a cgroup v1 hierarchy holding the memory controller */
        MOUNT_CGROUP1_OTHER,  /* any other v1 hierarchy (cpu, name=systemd, ...) */
        MOUNT_CGROUP2,
};

struct mount_entry {
        enum mount_kind kind;
        bool v1_cpu;              /* a v1 hierarchy holding the cpu controller */
        char root[CGL_PATH_MAX];  /* field 4, unescaped: the cgroup the mount shows */
        char point[CGL_PATH_MAX]; /* field 5, unescaped: where it is mounted */
};

/* Parses one mountinfo line. Fills root and point only for cgroup mounts; other mounts just
 * get MOUNT_OTHER. -EINVAL on a malformed line, -ENAMETOOLONG on oversized paths. */
int mountinfo_parse_line(const char *line, size_t len, struct mount_entry *e);

/* Decodes the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash) of a
 * mountinfo field into out. Returns the decoded length or a negative errno. */
int mountinfo_unescape(const char *in, size_t len, char *out, size_t cap);

#endif
