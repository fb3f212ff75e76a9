/* Which descriptors hold a synthesized /proc/meminfo the library handed out, so that a seek
 * back to 0 can refresh them: a hint, confirmed before any use (meminfo_fd.c). */
#ifndef CGLIMITS_HANDED_OUT_H
#define CGLIMITS_HANDED_OUT_H

#include <stdbool.h>
#include <stdint.h>

/* Descriptors below this number are tracked; a file handed out above it still has correct
 * figures, but keeps those of the moment it was opened. */
#define HANDED_OUT_FDS 4096

/* Records fd as holding the memfd with inode ino. */
void handed_out_mark(int fd, uint64_t ino);

/* The inode recorded for fd, or 0 when none is (the test every seek makes: one load). */
uint64_t handed_out_inode(int fd);

/* Forgets fd, unless its entry changed since the caller read ino there. */
void handed_out_forget(int fd, uint64_t ino);

#endif
