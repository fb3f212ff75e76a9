"""The memory a process may use, uses and can still take, from its memory cgroup.

A ctypes binding of libcglimits-query.so.1 (cglimits.h); nothing to compile.

    >>> import cglimits
    >>> m = cglimits.memory()
    >>> m.total, m.available, m.limit_source

memory(pid=None, env_memory=False) returns a Memory with the fields of struct
cglimits_memory (bytes; limit is None without a limit below the host's memory,
limit_source is the name `cglimits --json` prints). Errors raise OSError with the
errno the library returned. CGLIMITS_QUERY_LIBRARY names another copy of the library.
"""

import ctypes
import os

__all__ = ["memory", "version", "Memory", "HOST", "NO_CGROUP"]

USE_ENV_MEMORY = 0x1
HOST = 0x1
NO_CGROUP = 0x2
_PATH_MAX = 1024
_SOURCES = ("host", "v1_limit", "v1_hierarchical", "v2_max", "v2_high", "env_memory")
_FIGURES = ("total", "free", "available", "used", "swap_total", "swap_free", "anon",
            "file", "shmem", "kernel", "limit")


class _Memory(ctypes.Structure):
    _fields_ = [("size", ctypes.c_uint32), ("flags", ctypes.c_uint32)] + \
        [(name, ctypes.c_uint64) for name in _FIGURES] + \
        [("cgroup_version", ctypes.c_int32), ("limit_source", ctypes.c_int32),
         ("limit_level", ctypes.c_uint32), ("reserved", ctypes.c_uint32),
         ("cgroup_dir", ctypes.c_char * _PATH_MAX), ("limit_dir", ctypes.c_char * _PATH_MAX),
         ("limit_file", ctypes.c_char * 64)]


class Memory:
    """One answer: the figures in bytes and where the limit comes from."""

    __slots__ = _FIGURES + ("host", "cgroup_version", "cgroup_dir", "limit_source",
                            "limit_level", "limit_dir", "limit_file")

    def __init__(self, raw):
        for name in _FIGURES:
            setattr(self, name, getattr(raw, name))
        if self.limit == 2**64 - 1:
            self.limit = None
        self.host = bool(raw.flags & HOST)
        self.cgroup_version = raw.cgroup_version
        self.cgroup_dir = os.fsdecode(raw.cgroup_dir)
        src = raw.limit_source
        self.limit_source = _SOURCES[src] if 0 <= src < len(_SOURCES) else "unknown"
        self.limit_level = raw.limit_level
        self.limit_dir = os.fsdecode(raw.limit_dir)
        self.limit_file = os.fsdecode(raw.limit_file)

    def as_dict(self):
        """The keys and values `cglimits --json` prints (without "pid")."""
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self):
        return "cglimits.Memory(%s)" % ", ".join(
            "%s=%r" % (name, getattr(self, name)) for name in self.__slots__)


_lib = None


def _library():
    global _lib
    if _lib is None:
        lib = ctypes.CDLL(os.environ.get("CGLIMITS_QUERY_LIBRARY") or "libcglimits-query.so.1")
        lib.cglimits_memory.argtypes = [ctypes.POINTER(_Memory), ctypes.c_uint]
        lib.cglimits_memory.restype = ctypes.c_int
        lib.cglimits_memory_pid.argtypes = [ctypes.c_int, ctypes.POINTER(_Memory), ctypes.c_uint]
        lib.cglimits_memory_pid.restype = ctypes.c_int
        lib.cglimits_version.argtypes = []
        lib.cglimits_version.restype = ctypes.c_char_p
        _lib = lib
    return _lib


def memory(pid=None, env_memory=False):
    """The figures of this process, or of process pid; env_memory honours CGLIMITS_MEMORY."""
    lib = _library()
    raw = _Memory()
    raw.size = ctypes.sizeof(raw)
    flags = USE_ENV_MEMORY if env_memory else 0
    if pid is None:
        r = lib.cglimits_memory(ctypes.byref(raw), flags)
    else:
        r = lib.cglimits_memory_pid(int(pid), ctypes.byref(raw), flags)
    if r < 0:
        raise OSError(-r, "cglimits: %s" % os.strerror(-r))
    return Memory(raw)


def version():
    """The library's version string."""
    return _library().cglimits_version().decode()
