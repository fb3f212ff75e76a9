#include "view_load.h"

#include <errno.h>
#include <string.h>

#include "cgroup_sample.h"
#include "file_read.h"
#include "meminfo_parse.h"

int cgl_view_load(const struct cgl_config *cfg, pid_t pid, struct view_load *out)
{
        const char *root = cgl_config_root(cfg);
        struct host_meminfo host;

        int r = cgl_read_file(root, "/proc/meminfo", out->host_text, sizeof(out->host_text));
        if (r < 0)
                return r;
        out->host_len = (size_t)r;
        r = meminfo_parse(out->host_text, out->host_len, &host);
        if (r < 0)
                return r;

        struct cgroup_sample sample;
        r = cgroup_locate(root, pid, &out->loc);
        if (r == -ENOENT && cfg->memory_override != UINT64_MAX) {
                /* No memory cgroup to read (no controller mounted): the override alone sets
                 * the view, with no usage known. */
                memset(&out->loc, 0, sizeof(out->loc));
                memset(&sample, 0, sizeof(sample));
                sample.hierarchical_limit = UINT64_MAX;
                sample.hierarchical_memsw = UINT64_MAX;
        } else if (r < 0) {
                return r;
        } else {
                r = cgroup_sample_read(root, &out->loc, &sample);
                if (r < 0)
                        return r;
        }

        int level = mem_view_pick_limit(&sample, &host, cfg->memory_override, &out->view);
        if (out->view.passthrough)
                return 0;

        struct memstat stat;
        const struct memstat *stat_ptr = NULL;
        if (level == 0 && sample.leaf_stat_valid) {
                stat_ptr = &sample.leaf_stat;
        } else if (level >= 0) {
                r = cgroup_stat_read(root, &out->loc, &sample, (unsigned)level, &stat);
                if (r < 0)
                        return r;
                stat_ptr = &stat;
        }
        mem_view_compute(&sample, stat_ptr, &host, cfg->memory_override, &out->view);
        return 0;
}
