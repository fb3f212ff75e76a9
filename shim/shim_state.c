#include "shim_state.h"

#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

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

void shim_msg_cannot_read(struct shim_msg *m, const char *what, int err, const char *then)
{
        m->len = 0;
        shim_msg_str(m, "cannot read the ");
        shim_msg_str(m, what);
        shim_msg_str(m, " (errno ");
        shim_msg_u64(m, (unsigned long long)err);
        shim_msg_str(m, "): ");
        shim_msg_str(m, then);
}
