/* The public calls of cglimits.h. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cglimits.h"
#include "query.h"
#include "slot_pool.h"

#define CGL_PUBLIC __attribute__((visibility("default")))

/* Each call's storage (struct query_work, several KiB) comes from a slot pool, not the
 * caller's stack. */
#define QUERY_STATIC 4
static struct query_work pool[QUERY_STATIC];
static int busy[QUERY_STATIC];
static const struct slot_pool slots = {pool, busy, QUERY_STATIC, sizeof(struct query_work)};

/* The calling process's location, kept between queries (locate_cache.h). */
static struct locate_cache cache;

/* The lookup without CGLIMITS_USE_ENV_MEMORY: nothing, except the fixture trees' sysroot in
 * the test build (the installed library never reads it). */
static const char *env_none(const char *name)
{
#ifdef CGLIMITS_QUERY_SYSROOT
        if (strcmp(name, "CGLIMITS_SYSROOT") == 0)
                return secure_getenv(name);
#endif
        (void)name;
        return NULL;
}

static const char *env_memory(const char *name)
{
        return strcmp(name, "CGLIMITS_MEMORY") == 0 ? secure_getenv(name) : env_none(name);
}

static int query(pid_t pid, struct cglimits_memory *m, unsigned flags)
{
        if (!m || m->size < offsetof(struct cglimits_memory, limit_file) + 64 ||
            (flags & ~CGLIMITS_USE_ENV_MEMORY))
                return -EINVAL;
        if (pid == (pid_t)syscall(SYS_getpid))
                pid = 0;
        if (pid < 0 || (pid && flags))
                return -EINVAL;
        struct query_work *w = slot_take(&slots);
        if (!w)
                return -ENOMEM;
        cgl_config_load(&w->cfg, (flags & CGLIMITS_USE_ENV_MEMORY) ? env_memory : env_none);
        /* A sysroot (tests only) changes between calls: no cache then. */
        int r = cgl_query(w, pid, pid || w->cfg.sysroot[0] ? NULL : &cache);
        if (r == 0) {
                size_t n = m->size < sizeof(w->m) ? m->size : sizeof(w->m);
                w->m.size = (uint32_t)n;
                memcpy(m, &w->m, n);
        }
        slot_give(&slots, w);
        return r;
}

CGL_PUBLIC int cglimits_memory(struct cglimits_memory *m, unsigned flags)
{
        int saved = errno;
        int r = query(0, m, flags);
        errno = saved;
        return r;
}

CGL_PUBLIC int cglimits_memory_pid(pid_t pid, struct cglimits_memory *m, unsigned flags)
{
        int saved = errno;
        int r = query(pid, m, flags);
        errno = saved;
        return r;
}

CGL_PUBLIC const char *cglimits_version(void)
{
        return CGLIMITS_VERSION;
}
