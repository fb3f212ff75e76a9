#include "query.h"

#include <string.h>

#include "meminfo_parse.h"
#include "value_parse.h"

/* The view's fields as the host's /proc/meminfo gives them, for a pass-through view (whose
 * fields the load leaves unset). */
static void host_fields(const char *text, size_t len, uint64_t *field)
{
        memset(field, 0, sizeof(uint64_t) * VF_COUNT);
        size_t start = 0;
        for (size_t i = 0; i <= len; i++) {
                if (i < len && text[i] != '\n')
                        continue;
                struct meminfo_line ml;
                const char *line = text + start;
                size_t line_len = i - start;
                start = i + 1;
                if (line_len == 0 || meminfo_split_line(line, line_len, &ml) < 0 || !ml.kb ||
                    ml.value > UINT64_MAX / 1024)
                        continue;
                for (int k = 0; k < VF_COUNT; k++)
                        if (cgl_name_is(cgl_view_field_names[k], line, ml.key_len))
                                field[k] = ml.value * 1024;
        }
}

static const char *limit_file(enum limit_source s)
{
        switch (s) {
        case LIMIT_V1_LIMIT:
                return "memory.limit_in_bytes";
        case LIMIT_V1_HIERARCHICAL:
                return "memory.stat";
        case LIMIT_V2_MAX:
                return "memory.max";
        case LIMIT_V2_HIGH:
                return "memory.high";
        case LIMIT_OVERRIDE:
        case LIMIT_NONE:
                break;
        }
        return "";
}

static int32_t public_source(enum limit_source s)
{
        switch (s) {
        case LIMIT_V1_LIMIT:
                return CGLIMITS_SOURCE_V1_LIMIT;
        case LIMIT_V1_HIERARCHICAL:
                return CGLIMITS_SOURCE_V1_HIERARCHICAL;
        case LIMIT_V2_MAX:
                return CGLIMITS_SOURCE_V2_MAX;
        case LIMIT_V2_HIGH:
                return CGLIMITS_SOURCE_V2_HIGH;
        case LIMIT_OVERRIDE:
                return CGLIMITS_SOURCE_ENV_MEMORY;
        case LIMIT_NONE:
                break;
        }
        return CGLIMITS_SOURCE_HOST;
}

static uint64_t add3(uint64_t a, uint64_t b, uint64_t c)
{
        uint64_t s = a + b;
        if (s < a)
                return UINT64_MAX;
        return s + c < s ? UINT64_MAX : s + c;
}

void cgl_query_fill(const struct view_load *vl, const struct cgroup_sample *s,
                    struct cglimits_memory *m)
{
        const struct mem_view *v = &vl->view;
        uint64_t host[VF_COUNT];
        const uint64_t *f = v->field;
        memset(m, 0, sizeof(*m));
        m->size = sizeof(*m);
        m->cgroup_version = vl->loc.version;
        if (!vl->loc.version)
                m->flags |= CGLIMITS_NO_CGROUP;
        else
                memcpy(m->cgroup_dir, vl->loc.dir, sizeof(m->cgroup_dir));
        m->limit = v->limit;
        if (v->passthrough) {
                host_fields(vl->host_text, vl->host_len, host);
                f = host;
                m->flags |= CGLIMITS_HOST;
                m->limit = UINT64_MAX;
        } else {
                m->limit_source = public_source(v->source);
                if (v->source != LIMIT_OVERRIDE && vl->loc.version) {
                        m->limit_level = v->limit_level;
                        size_t n = v->limit_level < s->nlevels ? s->level[v->limit_level].dir_len
                                                               : strlen(vl->loc.dir);
                        memcpy(m->limit_dir, vl->loc.dir, n);
                        strcpy(m->limit_file, limit_file(v->source));
                }
        }
        m->total = f[VF_MEM_TOTAL];
        m->free = f[VF_MEM_FREE];
        m->available = f[VF_MEM_AVAILABLE];
        m->used = m->total > m->free ? m->total - m->free : 0;
        m->swap_total = f[VF_SWAP_TOTAL];
        m->swap_free = f[VF_SWAP_FREE];
        m->anon = f[VF_ANON_PAGES];
        m->file = f[VF_CACHED];
        m->shmem = f[VF_SHMEM];
        m->kernel = add3(f[VF_SLAB], f[VF_KERNEL_STACK], f[VF_PAGE_TABLES]);
}
