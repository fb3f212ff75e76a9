/* memory.stat of cgroup v1 and v2. Keys are matched exactly: a prefix match would let "file"
 * shadow "file_mapped" and "total_rss" shadow "total_rss_huge". */
#ifndef CGLIMITS_MEMSTAT_PARSE_H
#define CGLIMITS_MEMSTAT_PARSE_H

#include <stddef.h>
#include <stdint.h>

enum memstat_key {
        MS_ANON,           /* v2 anon            v1 total_rss */
        MS_FILE,           /* v2 file            v1 total_cache */
        MS_SHMEM,          /* v2 shmem           v1 total_shmem */
        MS_FILE_MAPPED,    /* v2 file_mapped     v1 total_mapped_file */
        MS_FILE_DIRTY,     /* v2 file_dirty      v1 total_dirty */
        MS_FILE_WRITEBACK, /* v2 file_writeback  v1 total_writeback */
        MS_ANON_THP,       /* v2 anon_thp        v1 total_rss_huge */
        MS_FILE_THP,       /* v2 file_thp */
        MS_SHMEM_THP,      /* v2 shmem_thp */
        MS_ACTIVE_ANON,
        MS_INACTIVE_ANON,
        MS_ACTIVE_FILE,
        MS_INACTIVE_FILE,
        MS_UNEVICTABLE,
        MS_SLAB, /* v2 only, as are the kernel-memory keys below */
        MS_SLAB_RECLAIMABLE,
        MS_SLAB_UNRECLAIMABLE,
        MS_KERNEL_STACK,
        MS_PAGETABLES,
        MS_SEC_PAGETABLES,
        MS_SWAPCACHED,         /* v2 swapcached      v1 total_swapcached */
        MS_ZSWAP,              /* v2 only */
        MS_ZSWAPPED,           /* v2 only */
        MS_SWAP,               /* v1 total_swap (v2 has memory.swap.current instead) */
        MS_HIERARCHICAL_LIMIT, /* v1 hierarchical_memory_limit */
        MS_HIERARCHICAL_MEMSW, /* v1 hierarchical_memsw_limit */
        MS_COUNT
};

struct memstat {
        uint64_t value[MS_COUNT]; /* bytes; 0 when absent */
        uint32_t present;         /* bit k set when key k was seen */
};

/* Parses the whole file for the given cgroup version (1 or 2). Unknown keys are ignored,
 * a repeated key or a malformed value fails with -EINVAL (-ERANGE on overflow), missing core keys
 * (anon and file, or total_rss and total_cache) with -ENODATA. out is written only on success. */
int memstat_parse(const char *buf, size_t len, int version, struct memstat *out);

#endif
