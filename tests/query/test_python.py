"""The Python binding (lib/python/cglimits.py) gives the figures of the C call.

Over the fixture trees, with the test build of the library (which honours
CGLIMITS_SYSROOT), cglimits.memory() must equal, key for key, the JSON that the same
library prints when executed; and errors come back as OSError with the C call's errno.

    CGLIMITS_QUERY_LIBRARY=<test build .so> CGLIMITS_FIXTURES=<dir> python3 test_python.py
"""

import errno
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../lib/python"))
import cglimits  # noqa: E402

LIBRARY = os.environ["CGLIMITS_QUERY_LIBRARY"]
FIXTURES = os.environ["CGLIMITS_FIXTURES"]
CASES = [  # fixture, pid (None: the calling process)
    ("v1_plain", None), ("v1_nested_hierarchical", None), ("v1_ns_hidden_parent", None),
    ("v1_unlimited", None), ("v2_plain", None), ("v2_high_below_max", None),
    ("v2_swap_finite", None), ("v2_swap_max", None), ("v1_other_pid", 4242),
    ("v2_other_pid_other_mount_ns", 4242),
]


def program_json(fixture, pid):
    env = dict(os.environ, CGLIMITS_SYSROOT=os.path.join(FIXTURES, fixture))
    env.pop("CGLIMITS_MEMORY", None)
    args = [LIBRARY] + (["--pid", str(pid)] if pid else [])
    out = subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


class BindingMatchesTheCall(unittest.TestCase):
    def setUp(self):
        os.environ.pop("CGLIMITS_MEMORY", None)

    def test_fixture_figures_equal_the_library_json(self):
        for fixture, pid in CASES:
            with self.subTest(fixture=fixture):
                want = program_json(fixture, pid)
                want.pop("pid", None)
                os.environ["CGLIMITS_SYSROOT"] = os.path.join(FIXTURES, fixture)
                got = cglimits.memory(pid=pid).as_dict()
                self.assertEqual(got, want)

    def test_env_memory_only_when_asked(self):
        os.environ["CGLIMITS_SYSROOT"] = os.path.join(FIXTURES, "v1_unlimited")
        os.environ["CGLIMITS_MEMORY"] = "128M"
        self.assertTrue(cglimits.memory().host)
        m = cglimits.memory(env_memory=True)
        self.assertEqual((m.total, m.limit, m.limit_source), (128 << 20, 128 << 20, "env_memory"))

    def test_errors_are_oserror_with_the_errno(self):
        os.environ["CGLIMITS_SYSROOT"] = os.path.join(FIXTURES, "v1_other_pid")
        with self.assertRaises(OSError) as e:
            cglimits.memory(pid=4243)
        self.assertEqual(e.exception.errno, errno.ESRCH)
        os.environ["CGLIMITS_SYSROOT"] = os.path.join(FIXTURES, "broken_limit_garbage")
        with self.assertRaises(OSError) as e:
            cglimits.memory()
        self.assertEqual(e.exception.errno, errno.EINVAL)

    def test_version(self):
        self.assertRegex(cglimits.version(), r"^\d+\.\d+\.\d+$")


if __name__ == "__main__":
    unittest.main(verbosity=2)
