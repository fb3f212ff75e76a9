#include "memstat_parse.h"

#include <errno.h>
#include <string.h>

#include "value_parse.h"

struct key_names {
        const char *v1;
        const char *v2;
};

static const struct key_names names[MS_COUNT] = {
    [MS_ANON] = {"total_rss", "anon"},
    [MS_FILE] = {"total_cache", "file"},
    [MS_SHMEM] = {"total_shmem", "shmem"},
    [MS_FILE_MAPPED] = {"total_mapped_file", "file_mapped"},
    [MS_FILE_DIRTY] = {"total_dirty", "file_dirty"},
    [MS_FILE_WRITEBACK] = {"total_writeback", "file_writeback"},
    [MS_ANON_THP] = {"total_rss_huge", "anon_thp"},
    [MS_FILE_THP] = {NULL, "file_thp"},
    [MS_SHMEM_THP] = {NULL, "shmem_thp"},
    [MS_ACTIVE_ANON] = {"total_active_anon", "active_anon"},
    [MS_INACTIVE_ANON] = {"total_inactive_anon", "inactive_anon"},
    [MS_ACTIVE_FILE] = {"total_active_file", "active_file"},
    [MS_INACTIVE_FILE] = {"total_inactive_file", "inactive_file"},
    [MS_UNEVICTABLE] = {"total_unevictable", "unevictable"},
    [MS_SLAB] = {NULL, "slab"},
    [MS_SLAB_RECLAIMABLE] = {NULL, "slab_reclaimable"},
    [MS_SLAB_UNRECLAIMABLE] = {NULL, "slab_unreclaimable"},
    [MS_KERNEL_STACK] = {NULL, "kernel_stack"},
    [MS_PAGETABLES] = {NULL, "pagetables"},
    [MS_SEC_PAGETABLES] = {NULL, "sec_pagetables"},
    [MS_SWAPCACHED] = {"total_swapcached", "swapcached"},
    [MS_ZSWAP] = {NULL, "zswap"},
    [MS_ZSWAPPED] = {NULL, "zswapped"},
    [MS_SWAP] = {"total_swap", NULL},
    [MS_HIERARCHICAL_LIMIT] = {"hierarchical_memory_limit", NULL},
    [MS_HIERARCHICAL_MEMSW] = {"hierarchical_memsw_limit", NULL},
};

static int lookup(const char *key, size_t len, int version)
{
        for (int k = 0; k < MS_COUNT; k++) {
                const char *name = version == 1 ? names[k].v1 : names[k].v2;
                if (name && cgl_name_is(name, key, len))
                        return k;
        }
        return -1;
}

int memstat_parse(const char *buf, size_t len, int version, struct memstat *out)
{
        struct memstat st;
        memset(&st, 0, sizeof(st));
        if (version != 1 && version != 2)
                return -EINVAL;

        size_t start = 0;
        for (size_t i = 0; i <= len; i++) {
                if (i < len && buf[i] != '\n')
                        continue;
                const char *line = buf + start;
                size_t line_len = i - start;
                start = i + 1;
                if (line_len == 0)
                        continue;
                const char *sp = memchr(line, ' ', line_len);
                if (!sp || sp == line)
                        return -EINVAL;
                size_t key_len = (size_t)(sp - line);
                int k = lookup(line, key_len, version);
                if (k < 0)
                        continue;
                uint64_t v;
                int r = cgl_parse_u64(sp + 1, line_len - key_len - 1, &v);
                if (r < 0)
                        return r;
                if (st.present & (1u << k))
                        return -EINVAL;
                st.present |= 1u << k;
                st.value[k] = v;
        }
        uint32_t core = (1u << MS_ANON) | (1u << MS_FILE);
        if ((st.present & core) != core)
                return -ENODATA;
        *out = st;
        return 0;
}
