/* The view as struct sysinfo memory fields and as sysconf page counts. */
#ifndef CGLIMITS_SYSINFO_FILL_H
#define CGLIMITS_SYSINFO_FILL_H

#include <sys/sysinfo.h>

#include "mem_view.h"

/* Overwrites the memory fields of info (as filled by the real sysinfo) with the view's, in
 * units of info->mem_unit; uptime, loads and procs are left as they are. */
void sysinfo_fill(const struct mem_view *v, struct sysinfo *info);

/* _SC_PHYS_PAGES and _SC_AVPHYS_PAGES as glibc defines them: MemTotal and MemFree in pages. */
long view_phys_pages(const struct mem_view *v, long page_size);
long view_avphys_pages(const struct mem_view *v, long page_size);

#endif
