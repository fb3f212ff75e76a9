/* Per-process state of the shim: configuration, the re-entry guard, diagnostics. */
#ifndef CGLIMITS_SHIM_STATE_H
#define CGLIMITS_SHIM_STATE_H

#include <stdbool.h>

#include "config.h"

#define CGL_EXPORT __attribute__((visibility("default")))

/* The configuration, read from the environment on first use with secure_getenv. While
 * another thread (or the code a signal interrupted) is still reading it, the environment is
 * read into scratch instead, so that nobody ever waits. */
const struct cgl_config *shim_config(struct cgl_config *scratch);

/* Re-entry guard: set while the shim works on a call, so that anything the shim itself
 * calls (fdopen, fflush ...) reaches the real functions. */
bool shim_enter(void);
void shim_leave(void);

/* The stdio paths call back into libc (fdopen, fflush) and take the guard; the open, seek,
 * sysinfo and sysconf paths make raw system calls only, keep their state in a work element
 * (work_pool.h) and call nothing interposed, so they need no guard: a signal handler that
 * interrupts one of them, or the stdio path, gets the cgroup's figures too. */

/* With cfg->debug (CGLIMITS_DEBUG=1), writes "cglimits: " + msg + "\n" to stderr with one
 * writev(2), once per distinct key (a small number) per process. */
enum shim_note {
        NOTE_VIEW,
        NOTE_PASSTHROUGH,
        NOTE_ERROR,
        NOTE_MEMORY_INVALID,
        NOTE_CPUS,
        NOTE_CPUS_ERROR,
        NOTE_CPUS_INVALID,
        NOTE_COUNT,
};
void shim_debug_once(const struct cgl_config *cfg, enum shim_note key, const char *msg,
                     unsigned len);

/* A fixed buffer for composing those messages without stdio. */
struct shim_msg {
        char text[448];
        unsigned len;
};
void shim_msg_str(struct shim_msg *m, const char *s);
void shim_msg_u64(struct shim_msg *m, unsigned long long v);
/* "cannot read the WHAT (errno ERR): THEN", replacing m's text. */
void shim_msg_cannot_read(struct shim_msg *m, const char *what, int err, const char *then);

#endif
