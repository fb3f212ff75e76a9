/* Makes one system call fail with EPERM in the calling process from now on (and in what it
 * execs), through a seccomp filter: how the tests stand in for a sandbox that refuses
 * memfd_create(2) or pread(2). x86-64 only; returns 0, or -1 when the filter could not be
 * installed or the architecture is another. */
#ifndef CGLIMITS_TESTS_DENY_SYSCALL_H
#define CGLIMITS_TESTS_DENY_SYSCALL_H

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

static inline int deny_syscall(long nr)
{
#if defined(__x86_64__)
        struct sock_filter filter[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
            prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
                return -1;
        return 0;
#else
        (void)nr;
        return -1;
#endif
}

#endif
