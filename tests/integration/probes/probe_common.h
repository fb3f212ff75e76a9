/* Shared helpers for the integration-test probes.
 *
 * Every probe prints machine-readable KEY=VALUE lines on stdout; sizes are in
 * kB when the key is named after a /proc/meminfo field and in bytes when the
 * key ends in _bytes.  Diagnostics go to stderr; a probe exits non-zero only
 * when it could not do its job at all (the test then fails). */
#ifndef CGLIMITS_ITEST_PROBE_COMMON_H
#define CGLIMITS_ITEST_PROBE_COMMON_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#define PROBE_MEMINFO  "/proc/meminfo"
#define PROBE_BUF_SIZE 65536
#define PROBE_MIB      (1024u * 1024u)

struct probe_meminfo {
        long long mem_total;     /* kB, -1 when absent */
        long long mem_free;      /* kB, -1 when absent */
        long long mem_available; /* kB, -1 when absent */
        long long swap_total;    /* kB, -1 when absent */
        int fields;              /* number of "Key: value" lines */
        int wellformed;          /* 1 when every line looks like the kernel's format */
};

/* Parses meminfo text.  Returns 0 when MemTotal was found, -1 otherwise. */
int probe_meminfo_parse(const char *text, struct probe_meminfo *out);

/* Prints PREFIXMemTotal=.., PREFIXMemFree=.., PREFIXMemAvailable=..,
 * PREFIXSwapTotal=.., PREFIXfields=.., PREFIXwellformed=.. */
void probe_meminfo_print(const char *prefix, const struct probe_meminfo *m);

/* Prints MemTotal_N/MemFree_N/MemAvailable_N for each of n reads of the same open file
 * (N from 1), then drop_kB and drop2_kB: MemFree of read 1 minus read 2, and 2 minus 3. */
void probe_print_rereads(const struct probe_meminfo *m, int n);

/* Reads from the current offset until EOF (or buffer full).  NUL-terminates.
 * Returns the byte count or -1 (errno set). */
ssize_t probe_read_fd_all(int fd, char *buf, size_t cap);

/* Exactly one read(2) call.  NUL-terminates.  Returns its result. */
ssize_t probe_read_fd_once(int fd, char *buf, size_t cap);

/* fgets() loop until EOF, concatenating the lines.  Returns the byte count. */
size_t probe_read_file_all(FILE *f, char *buf, size_t cap);

/* Prints KEY=<target of /proc/self/fd/FD>. */
void probe_print_fdlink(const char *key, int fd);

/* Prints KEY=<comma-separated meminfo field names in file order>. */
void probe_print_keys(const char *key, const char *text);

/* Opens /proc/meminfo (close-on-exec), reads it to EOF, closes it: its MemTotal in kB, -1
 * when absent. Exits when the file cannot be opened or read. */
long long probe_read_mem_total(void);

/* What probe_open and probe_open_fortify print for an open descriptor: fd=, fdlink=, then
 * reads it to EOF into buf and closes it (exits on a failed read). */
void probe_read_reported_fd(int fd, char *buf, size_t cap);

/* What they print for the text read: bytes=, keys= and the meminfo fields (a warning on
 * stderr when there is no MemTotal). */
void probe_report_text(const char *text);

/* Allocates BYTES and writes to every page so that it is really charged. */
void *probe_alloc_touch(size_t bytes);

/* Symbolic errno name ("ENOENT"), or the decimal number when unknown. */
const char *probe_errname(int err);

/* Prints "probe: <message>: <strerror(errno)>" on stderr and exits 2. */
_Noreturn void probe_die(const char *what);

#endif
