/* The configuration, read from the environment once per process.
 *
 * States of config_state: UNSET (nobody has read it), LOADING (one caller is filling
 * config), READY (config is complete and never written again). The caller that moves UNSET
 * to LOADING with a compare-and-swap is the only writer of config; it publishes it by
 * storing READY with release order, and readers that load READY with acquire order see the
 * whole of it. A caller that finds LOADING (another thread, or the very code a signal
 * handler interrupted) does not wait: it reads the environment into its own scratch copy,
 * which gives the same answer, and uses that for its call.
 * fork: a child forked while another thread was LOADING keeps LOADING for good and reads
 * into scratch on every call (slower, still right). vfork: the child shares the state and
 * behaves as one more thread. exec: the new image reads its own environment.
 */
#include "shim_state.h"

#include <stdlib.h>

enum { CONFIG_UNSET, CONFIG_LOADING, CONFIG_READY };

static struct cgl_config config;
static int config_state;

static const char *secure_lookup(const char *name)
{
        /* secure_getenv returns NULL in secure-execution mode (setuid, setgid, file
         * capabilities: AT_SECURE), so a privileged process ignores every variable. */
        return secure_getenv(name);
}

const struct cgl_config *shim_config(struct cgl_config *scratch)
{
        if (__atomic_load_n(&config_state, __ATOMIC_ACQUIRE) == CONFIG_READY)
                return &config;
        int expected = CONFIG_UNSET;
        if (__atomic_compare_exchange_n(&config_state, &expected, CONFIG_LOADING, false,
                                        __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
                cgl_config_load(&config, secure_lookup);
                __atomic_store_n(&config_state, CONFIG_READY, __ATOMIC_RELEASE);
                return &config;
        }
        /* Another thread, or the code this signal handler interrupted, is loading it. Work
         * from a private copy instead of waiting: the environment gives the same answer. */
        cgl_config_load(scratch, secure_lookup);
        return scratch;
}
