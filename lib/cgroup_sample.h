/* Limits and usage of every visible level of a memory cgroup, read from cgroupfs. */
#ifndef CGLIMITS_CGROUP_SAMPLE_H
#define CGLIMITS_CGROUP_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup_locate.h"
#include "file_read.h"
#include "memstat_parse.h"

#define CGL_MAX_LEVELS 32

enum limit_source {
        LIMIT_NONE = 0,
        LIMIT_V1_LIMIT,        /* memory.limit_in_bytes */
        LIMIT_V1_HIERARCHICAL, /* hierarchical_memory_limit: an ancestor we cannot see */
        LIMIT_V2_MAX,          /* memory.max */
        LIMIT_V2_HIGH,         /* memory.high, when below memory.max */
        LIMIT_OVERRIDE,        /* CGLIMITS_MEMORY */
};

struct cgroup_level {
        bool accounted; /* the level has the memory controller's files */
        bool has_swap;  /* and its swap files (v2 swap.*, v1 memsw.*) */
        enum limit_source source;
        uint64_t limit;         /* bytes, CGL_UNLIMITED when none */
        uint64_t usage;         /* bytes; read for the leaf and for limited levels */
        uint64_t swap_limit;    /* v2 memory.swap.max, v1 memory.memsw.limit_in_bytes */
        uint64_t swap_usage;    /* v2 memory.swap.current, v1 memory.memsw.usage_in_bytes */
        unsigned short dir_len; /* the level's directory is location.dir[0..dir_len) */
};

struct cgroup_sample {
        int version;
        unsigned nlevels; /* level[0] is the process's cgroup, the last the top */
        struct cgroup_level level[CGL_MAX_LEVELS];
        bool top_is_root;            /* the top level is the hierarchy's real root */
        bool no_limit;               /* stopped early: no limit below no_limit_from */
        uint64_t hierarchical_limit; /* v1: from the leaf's memory.stat, else CGL_UNLIMITED */
        uint64_t hierarchical_memsw;
        struct memstat leaf_stat; /* v1: the leaf's memory.stat, read for the two above */
        bool leaf_stat_valid;
};

struct sample_options {
        /* Stop after the limits when none is below this (the host's MemTotal when nothing
         * else could impose one): the view passes through, usage is not needed.
         * CGL_UNLIMITED: never stop early. */
        uint64_t no_limit_from;
        /* Limits at or above this (the host's MemTotal) limit nothing: v1 writes
         * "unlimited" as a large page-aligned number. Their levels' usage is not read. */
        uint64_t host_total;
        bool want_swap;       /* read the swap files (pointless when the host has none) */
        bool need_root_check; /* find out whether the top level is the real root */
        /* The caller knows the top level is the hierarchy's real root (the mount shows "/"
         * and the process is in the initial cgroup namespace): its limit files, which can
         * never limit (v1 refuses a root limit, v2's root has none), are not read. */
        bool top_known_root;
};

/* Reads the levels from loc->dir up to the mount point: limits first, then usage where it
 * matters (the process's own level, limited levels, v1's top) and swap. Garbage in any file
 * that is read fails the whole sample with the parser's error; a v1 leaf must be readable. */
int cgroup_sample_read(struct cgl_io *io, const struct cgroup_location *loc,
                       const struct sample_options *opt, struct cgroup_sample *out);

/* Reads memory.stat of the given level. */
int cgroup_stat_read(struct cgl_io *io, const struct cgroup_location *loc,
                     const struct cgroup_sample *s, unsigned level, struct memstat *out);

#endif
