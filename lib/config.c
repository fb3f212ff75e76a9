#include "config.h"

#include <string.h>

#include "value_parse.h"

static bool flag_set(const char *v)
{
        return v && v[0] == '1' && v[1] == '\0';
}

void cgl_config_load(struct cgl_config *cfg, cgl_getenv_fn get)
{
        memset(cfg, 0, sizeof(*cfg));
        cfg->memory_override = UINT64_MAX;
        cfg->disabled = flag_set(get("CGLIMITS_DISABLE"));
        cfg->debug = flag_set(get("CGLIMITS_DEBUG"));

        const char *mem = get("CGLIMITS_MEMORY");
        if (mem && mem[0]) {
                uint64_t bytes;
                if (cgl_parse_size(mem, &bytes) == 0 && bytes > 0)
                        cfg->memory_override = bytes;
                else
                        cfg->memory_invalid = true;
        }

        const char *cpus = get("CGLIMITS_CPUS");
        if (cpus && cpus[0]) {
                uint64_t n;
                if (strcmp(cpus, "auto") == 0)
                        cfg->cpus = CGL_CPUS_AUTO;
                else if (cgl_parse_u64(cpus, strlen(cpus), &n) == 0 && n <= CGL_CPUS_MAX)
                        cfg->cpus = (uint32_t)n;
                else
                        cfg->cpus_invalid = true;
        }

        const char *root = get("CGLIMITS_SYSROOT");
        /* Only absolute prefixes; "/", "//" ... are the same as none. */
        if (root && root[0] == '/') {
                size_t n = strlen(root);
                while (n > 0 && root[n - 1] == '/')
                        n--;
                if (n > 0 && n < sizeof(cfg->sysroot)) {
                        memcpy(cfg->sysroot, root, n);
                        cfg->sysroot[n] = '\0';
                }
        }
}

const char *cgl_config_root(const struct cgl_config *cfg)
{
        return cfg->sysroot[0] ? cfg->sysroot : NULL;
}
