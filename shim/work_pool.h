/* Storage for one call's work: the view, the rendered file and the buffers of the load. A
 * call takes one element and gives it back before it returns, so the library's own frames on
 * the caller's stack stay small (see the README's stack table). */
#ifndef CGLIMITS_WORK_POOL_H
#define CGLIMITS_WORK_POOL_H

#include "config.h"
#include "cpu_view.h"
#include "shim_state.h"
#include "view_load.h"

struct shim_work {
        const struct cgl_config *cfg; /* the configuration this call works with */
        struct cgl_config cfg_scratch;
        struct shim_msg msg; /* a diagnostic line being composed */
        struct view_load vl;
        char text[CGL_MEMINFO_MAX]; /* the synthesized /proc/meminfo, or an affinity mask */
        union {
                struct view_work load; /* a memory view's load */
                struct cpu_work cpu;   /* a CPU quota's load */
        };
};

/* An element for this call, or NULL when none can be had (the call then passes through). */
struct shim_work *work_take(void);

/* Gives an element back; w may be NULL. */
void work_give(struct shim_work *w);

#endif
