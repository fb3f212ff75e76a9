/* Configuration from the environment, read once through secure_getenv: in a setuid or
 * otherwise secure-mode process every variable is ignored. */
#ifndef CGLIMITS_CONFIG_H
#define CGLIMITS_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "file_read.h"

struct cgl_config {
        bool disabled;            /* CGLIMITS_DISABLE=1 */
        bool debug;               /* CGLIMITS_DEBUG=1 */
        bool memory_invalid;      /* CGLIMITS_MEMORY was set but unparsable */
        uint64_t memory_override; /* CGLIMITS_MEMORY in bytes, CGL_UNLIMITED when unset */
        /* CGLIMITS_CPUS: 0 when unset, "0" or unparsable (the CPU count is left alone),
         * CGL_CPUS_AUTO for "auto", else the count to impose (1 .. CGL_CPUS_MAX). */
        uint32_t cpus;
        bool cpus_invalid;          /* CGLIMITS_CPUS was set but is neither "auto" nor a count */
        char sysroot[CGL_PATH_MAX]; /* CGLIMITS_SYSROOT, "" when unset */
};

#define CGL_CPUS_AUTO UINT32_MAX
#define CGL_CPUS_MAX  65536

typedef const char *(*cgl_getenv_fn)(const char *name);

/* Builds a configuration from the given lookup (secure_getenv in the shim, a table in
 * tests). Never fails: unusable values are ignored, and memory_invalid and
 * cpus_invalid say so. */
void cgl_config_load(struct cgl_config *cfg, cgl_getenv_fn get);

/* The sysroot as a path prefix for file_read, or NULL. */
const char *cgl_config_root(const struct cgl_config *cfg);

#endif
