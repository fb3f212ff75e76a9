/* cglimits: how much memory the calling process (or another one) may use, how much it uses,
 * how much it can still take, and where that answer comes from: its memory cgroup (v1, v2,
 * hybrid, nested, inside cgroup namespaces), clamped to the host's memory.
 *
 * Link with `pkg-config --cflags --libs cglimits-query`. Every call is thread-safe and
 * async-signal-safe, allocates nothing, keeps no descriptor open between calls and returns
 * 0 or a negative errno value; errno itself is left as it was. See cglimits_memory(3). */
#ifndef CGLIMITS_H
#define CGLIMITS_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CGLIMITS_VERSION_MAJOR 1
#define CGLIMITS_VERSION_MINOR 0

/* Flags for the calls. */
#define CGLIMITS_USE_ENV_MEMORY 0x1u /* honour CGLIMITS_MEMORY of the calling process */

/* Flags in cglimits_memory.flags. */
#define CGLIMITS_HOST      0x1u /* no limit below the host's memory: the host's figures */
#define CGLIMITS_NO_CGROUP 0x2u /* no memory cgroup is visible (only CGLIMITS_MEMORY limits) */

/* What set total (cglimits_memory.limit_source). */
enum cglimits_source {
        CGLIMITS_SOURCE_HOST = 0,            /* nothing below the host's memory */
        CGLIMITS_SOURCE_V1_LIMIT = 1,        /* memory.limit_in_bytes */
        CGLIMITS_SOURCE_V1_HIERARCHICAL = 2, /* hierarchical_memory_limit of memory.stat */
        CGLIMITS_SOURCE_V2_MAX = 3,          /* memory.max */
        CGLIMITS_SOURCE_V2_HIGH = 4,         /* memory.high, below memory.max */
        CGLIMITS_SOURCE_ENV_MEMORY = 5,      /* CGLIMITS_MEMORY (with CGLIMITS_USE_ENV_MEMORY) */
};

#define CGLIMITS_PATH_MAX 1024

/* The figures, in bytes. The caller sets size to sizeof(struct cglimits_memory) before the
 * call; the library fills that many bytes at most, so a program built against this header
 * keeps working with a later library whose struct has grown (new fields go at the end). */
struct cglimits_memory {
        uint32_t size;
        uint32_t flags;         /* CGLIMITS_HOST, CGLIMITS_NO_CGROUP */
        uint64_t total;         /* the memory the process may use: MemTotal */
        uint64_t free;          /* not used at any limited level: MemFree */
        uint64_t available;     /* free + reclaimable page cache and slab: MemAvailable */
        uint64_t used;          /* total - free: charged against the limit, cache included */
        uint64_t swap_total;    /* SwapTotal */
        uint64_t swap_free;     /* SwapFree */
        uint64_t anon;          /* anonymous memory: AnonPages */
        uint64_t file;          /* page cache, shmem included: Cached */
        uint64_t shmem;         /* tmpfs and shared memory: Shmem */
        uint64_t kernel;        /* slab, kernel stacks, page tables */
        uint64_t limit;         /* the limit that sets total, before the host's clamp */
        int32_t cgroup_version; /* 1 or 2; 0 with CGLIMITS_NO_CGROUP */
        int32_t limit_source;   /* enum cglimits_source */
        uint32_t limit_level;   /* 0: the process's cgroup, 1: its parent, ... */
        uint32_t reserved;      /* 0 */
        char cgroup_dir[CGLIMITS_PATH_MAX]; /* the directory of the process's memory cgroup */
        char limit_dir[CGLIMITS_PATH_MAX];  /* the directory of the level that sets total */
        char limit_file[64];                /* the file in limit_dir, "" without one */
};

/* Fills *m for the calling process. flags: 0 or CGLIMITS_USE_ENV_MEMORY. Returns 0, or
 * -EINVAL (m NULL, m->size too small, unknown flags), -ENOENT (no /proc, or the memory
 * cgroup cannot be found), -EACCES, or another negative errno of the files read. */
int cglimits_memory(struct cglimits_memory *m, unsigned flags);

/* The same for process pid, through /proc/PID (its cgroup files through /proc/PID/root when it
 * is in another mount namespace), where the caller is allowed to read them. pid 0 is the
 * caller. -ESRCH when no such process is visible; flags must be 0 for another process. */
int cglimits_memory_pid(pid_t pid, struct cglimits_memory *m, unsigned flags);

/* The library's version, "MAJOR.MINOR.PATCH". */
const char *cglimits_version(void);

#ifdef __cplusplus
}
#endif

#endif
