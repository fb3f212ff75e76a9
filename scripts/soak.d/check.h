/* What the soak accepts as a read: the checks of /proc/meminfo text, of a struct sysinfo
 * and of a page count, and the sorting of a well-formed answer by the figures it carries.
 * Everything here is async-signal-safe (no stdio, no allocation, a few hundred bytes of
 * stack): signal handlers, fork children and vfork children call it. */
#ifndef SOAK_CHECK_H
#define SOAK_CHECK_H

#include <stdbool.h>
#include <sys/sysinfo.h>

/* A /proc/meminfo of this size or more is malformed: some readers do one 4095-byte read. */
#define MEMINFO_MAX 4096

/* Why an answer is malformed; R_NONE for a well-formed one. */
enum reason {
        R_NONE,
        R_CALL_FAILED,   /* open/fopen/read/sysinfo failed, or a page count <= 0 */
        R_SIZE,          /* empty, or MEMINFO_MAX bytes or more */
        R_LINE,          /* a line that is not "Name:  value kB" nor "Name:  count" */
        R_DUPLICATE,     /* a name twice */
        R_MISSING,       /* no MemTotal, MemFree or MemAvailable */
        R_FREE_AVAIL,    /* MemFree > MemAvailable */
        R_AVAIL_TOTAL,   /* MemAvailable > MemTotal */
        R_SWAP,          /* SwapFree > SwapTotal */
        R_USED_NEGATIVE, /* MemFree + Buffers + Cached > MemTotal: free(1)'s "used" < 0 */
        R_SYSINFO,       /* struct sysinfo: mem_unit 0, a free figure above its total */
        R_RANGE,         /* a figure above the host's memory */
        R_COUNT
};

const char *reason_name(enum reason r);

/* Whose figures a well-formed answer carries. */
enum figures {
        F_LIMIT,     /* MemTotal is one of the two cgroup limits */
        F_HOST,      /* MemTotal is the host's */
        F_NEITHER,   /* MemTotal is neither limit nor the host's */
        F_MALFORMED, /* not well-formed (see enum reason) */
        F_COUNT
};

const char *figures_name(enum figures f);

/* The figures an answer may carry, in kB. */
struct expect {
        long limit_kb[2];
        long host_kb;
        long page_kb;
};

/* The figures of /proc/meminfo the checks relate, in kB (0 for a missing Swap or cache line). */
struct meminfo_figures {
        long total, free, avail, swap_total, swap_free, buffers, cached;
};

/* The form: the size, every line "Name:  value kB" or "Name:  count", no name twice,
 * MemTotal, MemFree and MemAvailable present. Fills *m when well-formed. */
enum reason meminfo_parse(const char *buf, long len, struct meminfo_figures *m);

/* The relations: MemFree <= MemAvailable <= MemTotal, SwapFree <= SwapTotal, free(1)'s
 * "used" not negative. The kernel's own file may have MemAvailable below MemFree
 * (si_mem_available subtracts the reserved pages from free memory: 1971536 kB free, 1901936
 * available in a fresh 2 GiB guest), so for the kernel_file that one is not checked. */
enum reason meminfo_relations(const struct meminfo_figures *m, bool kernel_file);

/* Both; sets *total_kb to MemTotal when the text passes. */
enum reason meminfo_check(const char *buf, long len, bool kernel_file, long *total_kb);

/* Checks a struct sysinfo; sets *total_kb to totalram in kB when well-formed. */
enum reason sysinfo_check(const struct sysinfo *si, long *total_kb);

/* Whose figures MemTotal (kB) is. */
enum figures figures_of_total(const struct expect *e, long total_kb);

/* Whose figures a free page count (_SC_AVPHYS_PAGES) is: no more than the larger limit is
 * the cgroup's, more is the host's (whose free memory is well above both limits). */
enum figures figures_of_free(const struct expect *e, long free_kb);

/* Sorts a /proc/meminfo read: *why gets the reason when malformed. A text whose MemTotal is
 * the host's is held to the kernel's rules. */
enum figures classify_meminfo(const struct expect *e, const char *buf, long len, enum reason *why);
enum figures classify_sysinfo(const struct expect *e, const struct sysinfo *si, enum reason *why);

/* read(2) until end of file or until buf (cap bytes) is full, retrying EINTR. Returns the
 * length (cap for a file that fills buf), or -1 on an error. */
long read_all(int fd, char *buf, long cap);

/* Decimal of a non-negative long into out (at least 21 bytes); returns the length. */
int format_long(char *out, long v);

/* Parses a decimal long; false when s is not one. */
bool parse_long(const char *s, long *out);

#endif
