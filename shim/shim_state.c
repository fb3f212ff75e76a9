#include "shim_state.h"

#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

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

static __thread int in_shim __attribute__((tls_model("initial-exec")));

bool shim_enter(void)
{
        if (in_shim)
                return false;
        in_shim = 1;
        return true;
}

void shim_leave(void)
{
        in_shim = 0;
}

static unsigned notes_done;

void shim_debug_once(const struct cgl_config *cfg, enum shim_note key, const char *msg,
                     unsigned len)
{
        if (!cfg->debug)
                return;
        unsigned bit = 1u << key;
        if (__atomic_fetch_or(&notes_done, bit, __ATOMIC_RELAXED) & bit)
                return;
        static const char prefix[] = "cglimits: ";
        struct iovec iov[3] = {
            {(void *)prefix, sizeof(prefix) - 1},
            {(void *)msg, len},
            {(void *)"\n", 1},
        };
        syscall(SYS_writev, 2, iov, 3);
}

void shim_msg_str(struct shim_msg *m, const char *s)
{
        while (*s && m->len < sizeof(m->text))
                m->text[m->len++] = *s++;
}

void shim_msg_u64(struct shim_msg *m, unsigned long long v)
{
        char digits[20];
        unsigned n = 0;
        do {
                digits[n++] = (char)('0' + v % 10);
                v /= 10;
        } while (v);
        while (n && m->len < sizeof(m->text))
                m->text[m->len++] = digits[--n];
}
