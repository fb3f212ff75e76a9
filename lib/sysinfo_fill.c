#include "sysinfo_fill.h"

#include <limits.h>

static unsigned long in_units(uint64_t bytes, unsigned unit)
{
        uint64_t v = bytes / unit;
        return v > ULONG_MAX ? ULONG_MAX : (unsigned long)v;
}

void sysinfo_fill(const struct mem_view *v, struct sysinfo *info)
{
        /* The kernel raises mem_unit above 1 only when the byte counts overflow an unsigned
         * long (32-bit ABIs with > 4 GiB, kernel/sys.c do_sysinfo); keep whatever it chose. */
        unsigned unit = info->mem_unit ? info->mem_unit : 1;
        const uint64_t *f = v->field;
        info->totalram = in_units(f[VF_MEM_TOTAL], unit);
        info->freeram = in_units(f[VF_MEM_FREE], unit);
        info->sharedram = in_units(f[VF_SHMEM], unit);
        info->bufferram = in_units(f[VF_BUFFERS], unit);
        info->totalswap = in_units(f[VF_SWAP_TOTAL], unit);
        info->freeswap = in_units(f[VF_SWAP_FREE], unit);
        info->totalhigh = 0;
        info->freehigh = 0;
        info->mem_unit = unit;
}

static long pages(uint64_t bytes, long page_size)
{
        if (page_size <= 0)
                return -1;
        uint64_t p = bytes / (uint64_t)page_size;
        return p > LONG_MAX ? LONG_MAX : (long)p;
}

long view_phys_pages(const struct mem_view *v, long page_size)
{
        return pages(v->field[VF_MEM_TOTAL], page_size);
}

long view_avphys_pages(const struct mem_view *v, long page_size)
{
        return pages(v->field[VF_MEM_FREE], page_size);
}
