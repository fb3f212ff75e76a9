/* Test-only preload, placed before the shim (LD_PRELOAD="syscall_hook.so libcglimits.so"):
 * the shim makes its system calls through libc's syscall(3), so this definition sees each of
 * them. Armed by the probe, it sends the calling thread a signal right before the Nth
 * system call made through it: the handler then runs at that exact point inside the shim,
 * which is how hprobe's "interrupt" mode puts a handler at every step of a load. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef long (*syscall_fn)(long, ...);

static syscall_fn real_syscall;
static int countdown; /* 0: disarmed */
static int signo;
static long calls;

/* Sends sig right before the nth system call from now (n >= 1). */
__attribute__((visibility("default"))) void syscall_hook_arm(int n, int sig);
/* System calls made through syscall(3) since the process started. */
__attribute__((visibility("default"))) long syscall_hook_calls(void);

void syscall_hook_arm(int n, int sig)
{
        signo = sig;
        __atomic_store_n(&countdown, n, __ATOMIC_SEQ_CST);
}

long syscall_hook_calls(void)
{
        return __atomic_load_n(&calls, __ATOMIC_RELAXED);
}

__attribute__((visibility("default"))) long syscall(long n, ...)
{
        va_list ap;
        va_start(ap, n);
        long a[6];
        for (int i = 0; i < 6; i++)
                a[i] = va_arg(ap, long);
        va_end(ap);
        if (!real_syscall)
                real_syscall = (syscall_fn)dlsym(RTLD_NEXT, "syscall");
        __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
        int left = __atomic_load_n(&countdown, __ATOMIC_SEQ_CST);
        if (left > 0 && __atomic_sub_fetch(&countdown, 1, __ATOMIC_SEQ_CST) == 0)
                real_syscall(SYS_tgkill, (long)getpid(), real_syscall(SYS_gettid), (long)signo);
        return real_syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}
