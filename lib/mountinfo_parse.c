#include "mountinfo_parse.h"

#include <errno.h>
#include <string.h>

#include "proc_cgroup_parse.h"

int mountinfo_unescape(const char *in, size_t len, char *out, size_t cap)
{
        size_t o = 0;
        for (size_t i = 0; i < len; i++) {
                char c = in[i];
                /* fs/proc_namespace.c:show_mountinfo escapes " \t\n\\" as three octal digits. */
                if (c == '\\' && i + 3 < len) {
                        unsigned v = 0;
                        bool octal = true;
                        for (size_t k = 1; k <= 3; k++) {
                                if (in[i + k] < '0' || in[i + k] > '7') {
                                        octal = false;
                                        break;
                                }
                                v = v * 8 + (unsigned)(in[i + k] - '0');
                        }
                        if (octal && v <= 0xff) {
                                c = (char)v;
                                i += 3;
                        }
                }
                if (o + 1 >= cap)
                        return -ENAMETOOLONG;
                out[o++] = c;
        }
        if (cap == 0)
                return -ENAMETOOLONG;
        out[o] = '\0';
        return (int)o;
}

/* Splits off the next space-separated field. */
static bool next_field(const char **p, const char *end, const char **f, size_t *flen)
{
        const char *s = *p;
        while (s < end && *s == ' ')
                s++;
        if (s == end)
                return false;
        const char *e = s;
        while (e < end && *e != ' ')
                e++;
        *f = s;
        *flen = (size_t)(e - s);
        *p = e;
        return true;
}

int mountinfo_parse_line(const char *line, size_t len, struct mount_entry *e)
{
        const char *p = line, *end = line + len;
        const char *f[5];
        size_t fl[5];

        /* mount ID, parent ID, major:minor, root, mount point */
        for (int i = 0; i < 5; i++)
                if (!next_field(&p, end, &f[i], &fl[i]))
                        return -EINVAL;

        /* Skip mount options and the optional fields up to the lone "-" separator; the
         * optional fields (shared:N, master:N, ...) vary in number. */
        const char *tok;
        size_t tlen;
        if (!next_field(&p, end, &tok, &tlen))
                return -EINVAL;
        for (;;) {
                if (!next_field(&p, end, &tok, &tlen))
                        return -EINVAL;
                if (tlen == 1 && tok[0] == '-')
                        break;
        }
        const char *fstype, *source, *super;
        size_t fstype_len, source_len, super_len;
        if (!next_field(&p, end, &fstype, &fstype_len) ||
            !next_field(&p, end, &source, &source_len))
                return -EINVAL;
        if (!next_field(&p, end, &super, &super_len))
                return -EINVAL; /* cut before the super options: memory would be unknown */

        e->kind = MOUNT_OTHER;
        e->v1_cpu = false;
        if (fstype_len == 7 && memcmp(fstype, "cgroup2", 7) == 0)
                e->kind = MOUNT_CGROUP2;
        else if (fstype_len == 6 && memcmp(fstype, "cgroup", 6) == 0)
                e->kind = cgl_list_has_token(super, super_len, "memory") ? MOUNT_CGROUP1_MEMORY
                                                                         : MOUNT_CGROUP1_OTHER;
        if (e->kind == MOUNT_OTHER)
                return 0;
        if (e->kind != MOUNT_CGROUP2)
                e->v1_cpu = cgl_list_has_token(super, super_len, "cpu");

        int r = mountinfo_unescape(f[3], fl[3], e->root, sizeof(e->root));
        if (r < 0)
                return r;
        r = mountinfo_unescape(f[4], fl[4], e->point, sizeof(e->point));
        if (r < 0)
                return r;
        /* The kernel prints both as absolute paths; anything else is not a mountinfo. */
        if (e->root[0] != '/' || e->point[0] != '/')
                return -EINVAL;
        return 0;
}
