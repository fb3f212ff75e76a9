#include "json_render.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "value_parse.h"

struct json_out {
        char *buf;
        size_t cap, len;
        bool full;
};

static void put(struct json_out *o, const char *s, size_t n)
{
        if (o->full || n > o->cap - o->len) {
                o->full = true;
                return;
        }
        memcpy(o->buf + o->len, s, n);
        o->len += n;
}

static void put_str(struct json_out *o, const char *s)
{
        put(o, s, strlen(s));
}

static void put_u64(struct json_out *o, uint64_t v)
{
        char d[24];
        int n = cgl_format_u64(d, sizeof(d), v, 0);
        put(o, d, (size_t)n);
}

/* Paths are bytes, not necessarily UTF-8: bytes >= 0x80 pass as they are (a JSON reader
 * that insists on UTF-8 then refuses the document rather than reading a wrong path). */
static void put_quoted(struct json_out *o, const char *s)
{
        static const char hex[] = "0123456789abcdef";
        put(o, "\"", 1);
        for (; *s; s++) {
                unsigned char c = (unsigned char)*s;
                if (c == '"' || c == '\\') {
                        char e[2] = {'\\', (char)c};
                        put(o, e, 2);
                } else if (c < 0x20) {
                        char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                        put(o, e, 6);
                } else {
                        put(o, (const char *)&c, 1);
                }
        }
        put(o, "\"", 1);
}

static void key(struct json_out *o, const char *k)
{
        put_str(o, o->len > 1 ? ", \"" : "\"");
        put_str(o, k);
        put_str(o, "\": ");
}

static const char *const source_names[] = {
    [CGLIMITS_SOURCE_HOST] = "host",
    [CGLIMITS_SOURCE_V1_LIMIT] = "v1_limit",
    [CGLIMITS_SOURCE_V1_HIERARCHICAL] = "v1_hierarchical",
    [CGLIMITS_SOURCE_V2_MAX] = "v2_max",
    [CGLIMITS_SOURCE_V2_HIGH] = "v2_high",
    [CGLIMITS_SOURCE_ENV_MEMORY] = "env_memory",
};

int json_render(const struct cglimits_memory *m, pid_t pid, char *out, size_t cap)
{
        struct json_out o = {.buf = out, .cap = cap};
        put(&o, "{", 1);
        if (pid > 0) {
                key(&o, "pid");
                put_u64(&o, (uint64_t)pid);
        }
        const struct {
                const char *name;
                uint64_t value;
        } figures[] = {
            {"total", m->total},
            {"free", m->free},
            {"available", m->available},
            {"used", m->used},
            {"swap_total", m->swap_total},
            {"swap_free", m->swap_free},
            {"anon", m->anon},
            {"file", m->file},
            {"shmem", m->shmem},
            {"kernel", m->kernel},
        };
        for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++) {
                key(&o, figures[i].name);
                put_u64(&o, figures[i].value);
        }
        key(&o, "limit");
        if (m->limit == UINT64_MAX)
                put_str(&o, "null");
        else
                put_u64(&o, m->limit);
        key(&o, "host");
        put_str(&o, (m->flags & CGLIMITS_HOST) ? "true" : "false");
        key(&o, "cgroup_version");
        put_u64(&o, (uint64_t)(m->cgroup_version > 0 ? m->cgroup_version : 0));
        key(&o, "cgroup_dir");
        put_quoted(&o, m->cgroup_dir);
        key(&o, "limit_source");
        unsigned s = (unsigned)m->limit_source;
        put_quoted(&o, s < sizeof(source_names) / sizeof(source_names[0]) ? source_names[s]
                                                                          : "unknown");
        key(&o, "limit_level");
        put_u64(&o, m->limit_level);
        key(&o, "limit_dir");
        put_quoted(&o, m->limit_dir);
        key(&o, "limit_file");
        put_quoted(&o, m->limit_file);
        put(&o, "}\n", 2);
        if (o.full)
                return -ENOSPC;
        return (int)o.len;
}
