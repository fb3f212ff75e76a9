/* The view as the wrappers need it: loaded for the calling process, with diagnostics. */
#ifndef CGLIMITS_SHIM_VIEW_H
#define CGLIMITS_SHIM_VIEW_H

#include <stdbool.h>

#include "shim_state.h"
#include "view_load.h"

/* Loads the view. Returns 0 (then vl->view.passthrough says whether to use the real data)
 * or a negative errno, after which the caller must behave as if the shim were absent. */
int shim_view_load(struct view_load *vl);

/* The same with a given configuration. */
int shim_view_load_with(const struct cgl_config *cfg, struct view_load *vl);

/* Closes the descriptors kept open for rereading the cgroup (see file_read.h), for a
 * program that ran out of descriptors, and keeps none from then on. Returns how many were
 * closed; errno is kept. */
int shim_view_give_back(void);

/* After a failed call of the program: whether it failed for want of descriptors and the
 * kept ones were given back, so that the call is worth making once more. errno is kept. */
bool shim_view_gave_back_after_emfile(void);

/* One line saying what was found: cgroup version and directory, the limit and where it
 * comes from, the main figures; or that everything passes through. */
void shim_view_describe(const struct view_load *vl, const struct cgl_config *cfg,
                        struct shim_msg *out);

/* Renders the synthesized /proc/meminfo into out. Under CGLIMITS_SYSROOT a pass-through
 * view renders the prefixed file verbatim; otherwise a pass-through view is -EAGAIN (use
 * the real file). */
int shim_view_render(const struct view_load *vl, char *out, size_t cap);

#endif
