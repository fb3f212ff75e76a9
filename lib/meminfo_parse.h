/* /proc/meminfo of the host: the few figures the view is clamped to, and the line splitter
 * the renderer shares. */
#ifndef CGLIMITS_MEMINFO_PARSE_H
#define CGLIMITS_MEMINFO_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One meminfo line, "Key:<spaces><number>[ kB]", as offsets into the line. */
struct meminfo_line {
        size_t key_len;   /* "MemTotal" */
        size_t num_start; /* first digit */
        size_t num_end;   /* one past the last digit */
        bool kb;          /* followed by " kB" */
        uint64_t value;   /* in the line's unit (kB or a count) */
};

/* -EINVAL unless the line has exactly that shape (fs/proc/meminfo.c, show_val_kb). */
int meminfo_split_line(const char *line, size_t len, struct meminfo_line *out);

struct host_meminfo {
        uint64_t mem_total; /* all in bytes */
        uint64_t mem_free;
        uint64_t mem_available;
        uint64_t swap_total;
        uint64_t swap_free;
        uint64_t mlocked;
};

/* MemTotal and MemFree are required (-ENODATA); MemAvailable (Linux >= 3.14) defaults to
 * MemFree, swap and Mlocked to 0. A repeated key or malformed line fails with -EINVAL.
 * out is written only on success. */
int meminfo_parse(const char *buf, size_t len, struct host_meminfo *out);

#endif
