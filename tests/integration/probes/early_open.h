/* libearly_open.so: its constructor reads the memory figures before main()
 * runs (and possibly before the preloaded shim's own constructor has run). */
#ifndef CGLIMITS_ITEST_EARLY_OPEN_H
#define CGLIMITS_ITEST_EARLY_OPEN_H

#define EARLY_OPEN_API __attribute__((visibility("default")))

struct early_open_figures {
        int ran;                          /* the constructor has run */
        long long open_mem_total;         /* kB via open()+read(), -1 on failure */
        long long fopen_mem_total;        /* kB via fopen()+fgets(), -1 on failure */
        long long sysinfo_totalram_bytes; /* totalram * mem_unit */
        long long sysconf_phys_bytes;     /* _SC_PHYS_PAGES * _SC_PAGESIZE */
};

EARLY_OPEN_API const struct early_open_figures *early_open_figures(void);

#endif
