"""Writes the config.json of a runc bundle for the cgroup v2 guest check.

Usage: runc_bundle.py DEFAULT_CONFIG ROOTFS LIBDIR LIMIT_BYTES SWAP_BYTES > config.json
DEFAULT_CONFIG is what `runc spec` writes. The container gets a private cgroup namespace,
as runtimes make it under cgroup v2, a memory limit and SWAP_BYTES of swap, and LIBDIR (the library) read-only at
/mnt, which exists in a minbase tree: the rootfs is read-only in the guest, so no new mount
point can be made in it.
"""

import json
import sys

default, rootfs, libdir = sys.argv[1:4]
limit, swap = int(sys.argv[4]), int(sys.argv[5])
with open(default) as f:
    c = json.load(f)
c["root"] = {"path": rootfs, "readonly": True}
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "/mnt/check.sh"]
c["process"]["env"] = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
ns = c["linux"]["namespaces"]
if not any(n["type"] == "cgroup" for n in ns):
    ns.append({"type": "cgroup"})
c["linux"]["cgroupsPath"] = "/cglimits-runc-check"
# The OCI "swap" is memory plus swap (docker's --memory-swap); runc writes
# memory.swap.max = swap - limit under cgroup v2.
c["linux"].setdefault("resources", {})["memory"] = {"limit": limit, "swap": limit + swap}
c["mounts"].append({"destination": "/mnt", "type": "bind", "source": libdir,
                    "options": ["rbind", "ro", "nosuid", "nodev"]})
json.dump(c, sys.stdout, indent=1)
