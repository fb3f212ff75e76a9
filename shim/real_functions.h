/* The libc functions the shim interposes, kept as one table: the exported wrappers, the
 * pointers to the next definitions and the lazy resolver are all generated from it. */
#ifndef CGLIMITS_REAL_FUNCTIONS_H
#define CGLIMITS_REAL_FUNCTIONS_H

#include <stdio.h>
#include <sys/sysinfo.h>
#include <sys/types.h>

#include "libc_names.h"

/* X(name, return type, parameter list) */
#define CGL_REAL_COMMON(X)                                                                         \
        X(open, int, (const char *, int, ...))                                                     \
        X(open64, int, (const char *, int, ...))                                                   \
        X(openat, int, (int, const char *, int, ...))                                              \
        X(openat64, int, (int, const char *, int, ...))                                            \
        X(fopen, FILE *, (const char *, const char *))                                             \
        X(fopen64, FILE *, (const char *, const char *))                                           \
        X(freopen, FILE *, (const char *, const char *, FILE *))                                   \
        X(freopen64, FILE *, (const char *, const char *, FILE *))                                 \
        X(sysinfo, int, (struct sysinfo *))                                                        \
        X(sysconf, long, (int))                                                                    \
        X(get_phys_pages, long, (void))                                                            \
        X(get_avphys_pages, long, (void))                                                          \
        X(get_nprocs, int, (void))                                                                 \
        X(lseek, off_t, (int, off_t, int))                                                         \
        X(lseek64, off64_t, (int, off64_t, int))                                                   \
        X(rewind, void, (FILE *))                                                                  \
        X(fseek, int, (FILE *, long, int))                                                         \
        X(fseeko, int, (FILE *, off_t, int))                                                       \
        X(fseeko64, int, (FILE *, off64_t, int))                                                   \
        X(fsetpos, int, (FILE *, const fpos_t *))                                                  \
        X(fsetpos64, int, (FILE *, const fpos64_t *))

#if CGL_GLIBC
#define CGL_REAL_GLIBC(X)                                                                          \
        X(__open_2, int, (const char *, int))                                                      \
        X(__open64_2, int, (const char *, int))                                                    \
        X(__openat_2, int, (int, const char *, int))                                               \
        X(__openat64_2, int, (int, const char *, int))                                             \
        X(__sysconf, long, (int))
#else
#define CGL_REAL_GLIBC(X)
#endif

#define CGL_REAL_FUNCTIONS(X) CGL_REAL_COMMON(X) CGL_REAL_GLIBC(X)

#define CGL_REAL_TYPEDEF(name, ret, params) typedef ret(*real_##name##_fn) params;
CGL_REAL_FUNCTIONS(CGL_REAL_TYPEDEF)
#undef CGL_REAL_TYPEDEF

/* real_NAME() returns the next definition of NAME after the shim (RTLD_NEXT), resolved on
 * first use so that calls from other libraries' constructors, made before any of ours could
 * run, work too. NULL when the C library has no such symbol (musl lacks __open_2). */
#define CGL_REAL_DECLARE(name, ret, params) real_##name##_fn real_##name(void);
CGL_REAL_FUNCTIONS(CGL_REAL_DECLARE)
#undef CGL_REAL_DECLARE

#endif
