/* The synthesized /proc/meminfo: the host's text with the view's figures written in. */
#ifndef CGLIMITS_MEMINFO_RENDER_H
#define CGLIMITS_MEMINFO_RENDER_H

#include <stddef.h>

#include "mem_view.h"

/* Renders host (the real /proc/meminfo text) with v's figures into out. Every host line is
 * kept in its order; the view's fields are rewritten; fields that describe host-wide pools
 * (vmalloc, hugetlb, direct map, commit accounting, CMA ...) stay as the host has them; any
 * other kB field is capped at MemTotal. Numbers keep the kernel's right-aligned columns.
 * Returns the length written (not NUL-terminated), -EINVAL on a malformed host line,
 * -ERANGE on a number that overflows, or -ENOSPC when out is too small. */
int meminfo_render(const char *host, size_t host_len, const struct mem_view *v, char *out,
                   size_t cap);

#endif
