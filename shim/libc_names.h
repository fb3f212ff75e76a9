/* musl's headers turn the large-file names into the plain ones with macros (open64 ->
 * open, off64_t -> off_t, ...; musl 1.2.4 only under _LARGEFILE64_SOURCE). The shim
 * defines the *64 names as symbols of their own, because programs built against older
 * musl or glibc import them, so the macros must go. Include after every system header. */
#ifndef CGLIMITS_LIBC_NAMES_H
#define CGLIMITS_LIBC_NAMES_H

#undef open64
#undef openat64
#undef fopen64
#undef freopen64
#undef lseek64
#undef fseeko64
#undef fsetpos64

/* glibc's _FORTIFY_SOURCE entry points and __sysconf exist only there. */
#ifdef __GLIBC__
#define CGL_GLIBC 1
#else
#define CGL_GLIBC 0
/* With the macros gone, musl's headers no longer declare these names. */
#include <stdio.h>
#include <sys/types.h>
int open64(const char *path, int flags, ...);
int openat64(int dirfd, const char *path, int flags, ...);
FILE *fopen64(const char *path, const char *mode);
FILE *freopen64(const char *path, const char *mode, FILE *stream);
off_t lseek64(int fd, off_t offset, int whence);
int fseeko64(FILE *f, off_t offset, int whence);
int fsetpos64(FILE *f, const fpos_t *pos);
#endif

#endif
