#include "proc_cgroup_parse.h"

#include <errno.h>
#include <string.h>

void proc_cgroup_init_for(struct proc_cgroup *pc, enum cgl_controller controller)
{
        pc->controller = controller;
        pc->has_v1 = false;
        pc->has_unified = false;
        pc->v1_path[0] = '\0';
        pc->unified_path[0] = '\0';
}

void proc_cgroup_init(struct proc_cgroup *pc)
{
        proc_cgroup_init_for(pc, CGL_MEMORY);
}

const char *cgl_controller_name(enum cgl_controller controller)
{
        return controller == CGL_CPU ? "cpu" : "memory";
}

bool cgl_list_has_token(const char *list, size_t len, const char *token)
{
        size_t tlen = strlen(token);
        size_t start = 0;
        for (size_t i = 0; i <= len; i++) {
                if (i < len && list[i] != ',')
                        continue;
                if (i - start == tlen && memcmp(list + start, token, tlen) == 0)
                        return true;
                start = i + 1;
        }
        return false;
}

/* The kernel appends " (deleted)" to the path of a cgroup removed while a task was still
 * attached (cgroup_path_ns -> kernfs, see proc_cgroup_show). */
static size_t strip_deleted(const char *path, size_t len)
{
        static const char suffix[] = " (deleted)";
        size_t n = sizeof(suffix) - 1;
        if (len > n && memcmp(path + len - n, suffix, n) == 0)
                return len - n;
        return len;
}

static int store_path(char *dst, const char *src, size_t len)
{
        if (len >= CGL_PATH_MAX)
                return -ENAMETOOLONG;
        memcpy(dst, src, len);
        dst[len] = '\0';
        return 0;
}

int proc_cgroup_parse_line(const char *line, size_t len, struct proc_cgroup *pc)
{
        const char *c1 = memchr(line, ':', len);
        if (!c1 || c1 == line)
                return -EINVAL;
        const char *rest = c1 + 1;
        const char *c2 = memchr(rest, ':', len - (size_t)(rest - line));
        if (!c2)
                return -EINVAL;
        /* The path is everything after the second colon: it may itself contain colons. */
        const char *path = c2 + 1;
        size_t path_len = len - (size_t)(path - line);
        if (path_len == 0 || path[0] != '/')
                return -EINVAL;
        path_len = strip_deleted(path, path_len);

        for (const char *p = line; p < c1; p++)
                if (*p < '0' || *p > '9')
                        return -EINVAL;

        size_t ctrl_len = (size_t)(c2 - rest);
        bool unified = (c1 - line == 1 && line[0] == '0' && ctrl_len == 0);
        if (unified) {
                if (pc->has_unified)
                        return -EINVAL;
                pc->has_unified = true;
                return store_path(pc->unified_path, path, path_len);
        }
        /* v1 lists the hierarchy's controllers ("cpu,cpuacct"); "cpuacct" or "cpuset" alone
         * is not "cpu". */
        if (cgl_list_has_token(rest, ctrl_len, cgl_controller_name(pc->controller))) {
                if (pc->has_v1)
                        return -EINVAL;
                pc->has_v1 = true;
                return store_path(pc->v1_path, path, path_len);
        }
        return 0;
}

int proc_cgroup_parse(const char *buf, size_t len, struct proc_cgroup *pc)
{
        return proc_cgroup_parse_for(buf, len, CGL_MEMORY, pc);
}

int proc_cgroup_parse_for(const char *buf, size_t len, enum cgl_controller controller,
                          struct proc_cgroup *pc)
{
        proc_cgroup_init_for(pc, controller);
        size_t start = 0;
        for (size_t i = 0; i <= len; i++) {
                if (i < len && buf[i] != '\n')
                        continue;
                if (i > start) {
                        int r = proc_cgroup_parse_line(buf + start, i - start, pc);
                        if (r < 0) {
                                proc_cgroup_init_for(pc, controller);
                                return r;
                        }
                }
                start = i + 1;
        }
        return 0;
}
