#include "meminfo_render.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "meminfo_parse.h"
#include "value_parse.h"

/* Figures about machine-wide pools with no per-cgroup counterpart; a reader of them wants
 * the host's value (LXCFS keeps them as well). */
static const char *const host_pool_keys[] = {
    "CommitLimit", "Committed_AS",      "VmallocTotal", "VmallocUsed", "VmallocChunk",
    "Percpu",      "HardwareCorrupted", "CmaTotal",     "CmaFree",     "Unaccepted",
    "Balloon",     "Hugepagesize",      "Hugetlb",      "DirectMap4k", "DirectMap2M",
    "DirectMap4M", "DirectMap1G",
};

static bool key_is(const char *line, size_t key_len, const char *name)
{
        return cgl_name_is(name, line, key_len);
}

static int view_field_of(const char *line, size_t key_len)
{
        for (int k = 0; k < VF_COUNT; k++)
                if (key_is(line, key_len, cgl_view_field_names[k]))
                        return k;
        return -1;
}

static bool is_host_pool(const char *line, size_t key_len)
{
        for (size_t i = 0; i < sizeof(host_pool_keys) / sizeof(host_pool_keys[0]); i++)
                if (key_is(line, key_len, host_pool_keys[i]))
                        return true;
        return false;
}

static int put(char *out, size_t cap, size_t *pos, const char *s, size_t n)
{
        if (n > cap - *pos)
                return -ENOSPC;
        memcpy(out + *pos, s, n);
        *pos += n;
        return 0;
}

/* fs/proc/meminfo.c:show_val_kb prints the label padded to 16 columns, then "%8lu kB".
 * Lines whose value is unchanged are copied as they are. */
static int put_kernel_line(char *out, size_t cap, size_t *pos, const char *line,
                           const struct meminfo_line *ml, uint64_t value, size_t line_len)
{
        static const char spaces[] = "                ";
        size_t label = ml->key_len + 1;
        size_t pad = label < 15 ? 16 - label : 1;
        int r = put(out, cap, pos, line, label);
        if (r == 0)
                r = put(out, cap, pos, spaces, pad);
        if (r < 0)
                return r;
        int n = cgl_format_u64(out + *pos, cap - *pos, value, 8);
        if (n < 0)
                return n;
        *pos += (size_t)n;
        return put(out, cap, pos, line + ml->num_end, line_len - ml->num_end);
}

int meminfo_render(const char *host, size_t host_len, const struct mem_view *v, char *out,
                   size_t cap)
{
        size_t pos = 0;
        size_t start = 0;
        uint64_t total_kb = v->field[VF_MEM_TOTAL] / 1024;

        while (start < host_len) {
                const char *nl = memchr(host + start, '\n', host_len - start);
                size_t line_len = nl ? (size_t)(nl - (host + start)) : host_len - start;
                const char *line = host + start;
                start += line_len + (nl ? 1 : 0);

                struct meminfo_line ml;
                int r = meminfo_split_line(line, line_len, &ml);
                if (r < 0)
                        return r;

                uint64_t value = ml.value;
                int k = view_field_of(line, ml.key_len);
                if (k >= 0 && ml.kb)
                        value = v->field[k] / 1024;
                else if (ml.kb && !is_host_pool(line, ml.key_len) && value > total_kb)
                        value = total_kb; /* a field this version does not know yet */

                if (value == ml.value) {
                        r = put(out, cap, &pos, line, line_len);
                } else {
                        r = put_kernel_line(out, cap, &pos, line, &ml, value, line_len);
                }
                if (r < 0)
                        return r;
                if (nl) {
                        r = put(out, cap, &pos, "\n", 1);
                        if (r < 0)
                                return r;
                }
        }
        return (int)pos;
}
