/* sysinfo(2), the sysconf page counts and, under CGLIMITS_CPUS, the online CPU count.
 * glibc's sysconf(_SC_PHYS_PAGES) goes through a hidden __sysinfo and musl's through
 * __lsysinfo, so wrapping sysinfo alone changes neither: each entry point is answered here
 * from the same view. Likewise glibc's sysconf(_SC_NPROCESSORS_ONLN) calls a hidden
 * __get_nprocs, so sysconf and get_nprocs are each answered here. _SC_NPROCESSORS_CONF and
 * get_nprocs_conf are never changed: code sizes per-CPU arrays from them and indexes them with
 * sched_getcpu(). */
#include <errno.h>
#include <unistd.h>

#include "cpu_count.h"
#include "real_functions.h"
#include "shim_state.h"
#include "shim_view.h"
#include "sysinfo_fill.h"

CGL_EXPORT int sysinfo(struct sysinfo *info)
{
        real_sysinfo_fn real = real_sysinfo();
        if (!real) {
                errno = ENOSYS;
                return -1;
        }
        int r = real(info);
        if (r != 0)
                return r;
        int saved = errno;
        struct shim_work *w = shim_call_begin();
        if (w && shim_view_load(w) == 0 && !w->vl.view.passthrough)
                sysinfo_fill(&w->vl.view, info);
        shim_call_end(w);
        errno = saved;
        return r;
}

enum page_count { PHYS_PAGES, AVPHYS_PAGES };

/* The page count from the view, or -1 for "ask the real function". */
static long view_pages(enum page_count which)
{
        long pages = -1;
        int saved = errno;
        struct shim_work *w = shim_call_begin();
        if (w && shim_view_load(w) == 0 && !w->vl.view.passthrough) {
                long page_size = (long)getpagesize();
                pages = which == PHYS_PAGES ? view_phys_pages(&w->vl.view, page_size)
                                            : view_avphys_pages(&w->vl.view, page_size);
        }
        shim_call_end(w);
        errno = saved;
        return pages;
}

static long sysconf_with(real_sysconf_fn real, int name)
{
        if (name == _SC_PHYS_PAGES || name == _SC_AVPHYS_PAGES) {
                long pages = view_pages(name == _SC_PHYS_PAGES ? PHYS_PAGES : AVPHYS_PAGES);
                if (pages >= 0)
                        return pages;
        } else if (name == _SC_NPROCESSORS_ONLN) {
                long cpus = shim_cpus_online();
                if (cpus > 0)
                        return cpus;
        }
        if (!real) {
                errno = EINVAL;
                return -1;
        }
        return real(name);
}

CGL_EXPORT long sysconf(int name)
{
        return sysconf_with(real_sysconf(), name);
}

#if CGL_GLIBC
long __sysconf(int name);

CGL_EXPORT long __sysconf(int name)
{
        real___sysconf_fn real = real___sysconf();
        return sysconf_with(real ? real : real_sysconf(), name);
}
#endif

CGL_EXPORT long get_phys_pages(void)
{
        long pages = view_pages(PHYS_PAGES);
        if (pages >= 0)
                return pages;
        real_get_phys_pages_fn real = real_get_phys_pages();
        return real ? real() : sysconf_with(real_sysconf(), _SC_PHYS_PAGES);
}

CGL_EXPORT long get_avphys_pages(void)
{
        long pages = view_pages(AVPHYS_PAGES);
        if (pages >= 0)
                return pages;
        real_get_avphys_pages_fn real = real_get_avphys_pages();
        return real ? real() : sysconf_with(real_sysconf(), _SC_AVPHYS_PAGES);
}

CGL_EXPORT int get_nprocs(void)
{
        long cpus = shim_cpus_online();
        if (cpus > 0)
                return (int)cpus;
        real_get_nprocs_fn real = real_get_nprocs();
        return real ? real() : (int)sysconf_with(real_sysconf(), _SC_NPROCESSORS_ONLN);
}
