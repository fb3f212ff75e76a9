/* The view as the wrappers need it: one call's work element, the view loaded for the calling
 * process, diagnostics. */
#ifndef CGLIMITS_SHIM_VIEW_H
#define CGLIMITS_SHIM_VIEW_H

#include <stdbool.h>

#include "shim_state.h"
#include "view_load.h"
#include "work_pool.h"

/* Starts a call that may answer from the view: a work element with the configuration in
 * w->cfg. NULL when the library is disabled (CGLIMITS_DISABLE=1) or no element can be had:
 * then the real call is made. errno is kept. */
struct shim_work *shim_call_begin(void);

/* Ends it (w may be NULL). errno is kept. */
void shim_call_end(struct shim_work *w);

/* Loads the view into w->vl. Returns 0 (then w->vl.view.passthrough says whether to use the
 * real data) or a negative errno, after which the caller must behave as if the shim were
 * absent. */
int shim_view_load(struct shim_work *w);

/* One line saying what was found: cgroup version and directory, the limit and where it
 * comes from, the main figures; or that everything passes through. */
void shim_view_describe(const struct view_load *vl, const struct cgl_config *cfg,
                        struct shim_msg *out);

/* Renders the synthesized /proc/meminfo of w->vl into w->text (at most cap bytes, cap <=
 * sizeof(w->text)). Under CGLIMITS_SYSROOT a pass-through view renders the prefixed file
 * verbatim; otherwise a pass-through view is -EAGAIN (use the real file). */
int shim_view_render(struct shim_work *w, size_t cap);

#endif
