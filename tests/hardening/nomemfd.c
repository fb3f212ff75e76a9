/* nomemfd PROG ARGS...: runs PROG with memfd_create(2) failing with EPERM (seccomp). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../common/deny_syscall.h"

int main(int argc, char **argv)
{
        if (argc < 2) {
                fprintf(stderr, "usage: nomemfd PROG ARGS...\n");
                return 2;
        }
        if (deny_syscall(SYS_memfd_create) != 0) {
                perror("nomemfd: seccomp");
                return 126;
        }
        if (syscall(SYS_memfd_create, "x", 0) >= 0 || errno != EPERM) {
                fprintf(stderr, "nomemfd: filter not effective\n");
                return 126;
        }
        execv(argv[1], argv + 1);
        perror("nomemfd: execv");
        return 127;
}
