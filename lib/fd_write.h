/* Output of the programs the libraries also are (./libcglimits.so, ./libcglimits-query.so). */
#ifndef CGLIMITS_FD_WRITE_H
#define CGLIMITS_FD_WRITE_H

#include <stddef.h>

/* Writes all of s to fd with raw write(2) calls, retrying on EINTR; gives up silently on
 * any other error. */
void cgl_write_all(int fd, const char *s, size_t n);

/* The same for a NUL-terminated string. */
void cgl_write_str(int fd, const char *s);

#endif
