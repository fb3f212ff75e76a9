"""Offline structure checks of scripts/containers/kubernetes and the CDI spec.

Usage: check_manifests.py KUBERNETES_DIR CDI_SPEC. Prints one line per check, exits 1 on a
failure. What a cluster would do with them (scheduling, the runtime's CDI injection) is not
checked here.
"""

import os
import re
import sys

import yaml

failures = 0


def check(what, ok):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1


def load(path):
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    check(f"{os.path.basename(path)}: one document", len(docs) == 1)
    return docs[0]


def containers(pod_spec):
    return pod_spec.get("initContainers", []) + pod_spec.get("containers", [])


def check_spec(spec, lib_on_node):
    check("cdi: cdiVersion 0.5.0 (podman 4.3 knows up to 0.5.0)", spec.get("cdiVersion") == "0.5.0")
    check("cdi: kind cglimits.dev/preload", spec.get("kind") == "cglimits.dev/preload")
    devices = spec.get("devices", [])
    check("cdi: one device, named after the C library",
          [d.get("name") for d in devices] in (["glibc"], ["musl"]))
    edits = devices[0].get("containerEdits", {}) if devices else {}
    mounts = edits.get("mounts", [])
    env = dict(e.split("=", 1) for e in edits.get("env", []))
    check("cdi: one mount of the library", len(mounts) == 1)
    m = mounts[0] if mounts else {}
    check(f"cdi: hostPath {lib_on_node}", m.get("hostPath") == lib_on_node)
    check("cdi: mounted read-only, bind", {"ro", "bind"} <= set(m.get("options", [])))
    check("cdi: LD_PRELOAD names the mounted library",
          env.get("LD_PRELOAD") == m.get("containerPath"))


def main():
    kdir, cdi_spec = sys.argv[1], sys.argv[2]
    ds = load(os.path.join(kdir, "daemonset.yaml"))
    check("daemonset: apps/v1 DaemonSet", (ds.get("apiVersion"), ds.get("kind")) == ("apps/v1", "DaemonSet"))
    tmpl = ds["spec"]["template"]
    check("daemonset: selector matches the template's labels",
          ds["spec"]["selector"]["matchLabels"].items() <= tmpl["metadata"]["labels"].items())
    pod = tmpl["spec"]
    vols = {v["name"]: v for v in pod.get("volumes", [])}
    host_paths = {v["hostPath"]["path"]: n for n, v in vols.items() if "hostPath" in v}
    check("daemonset: hostPath volumes /opt/cglimits and /etc/cdi",
          {"/opt/cglimits", "/etc/cdi"} <= host_paths.keys())
    check("daemonset: tolerates every taint (every node)",
          {"operator": "Exists"} in pod.get("tolerations", []))
    inits = pod.get("initContainers", [])
    check("daemonset: one init container running the install step",
          len(inits) == 1 and inits[0].get("command") == ["/usr/local/bin/cglimits-install-node"])
    root = {e["name"]: e.get("value") for e in inits[0].get("env", [])}.get("CGLIMITS_NODE_ROOT", "/host")
    mounts = {m["name"]: m["mountPath"] for m in inits[0].get("volumeMounts", [])}
    check("daemonset: the install step sees /opt/cglimits at $CGLIMITS_NODE_ROOT/opt/cglimits",
          mounts.get(host_paths.get("/opt/cglimits")) == root + "/opt/cglimits")
    check("daemonset: the install step sees /etc/cdi at $CGLIMITS_NODE_ROOT/etc/cdi",
          mounts.get(host_paths.get("/etc/cdi")) == root + "/etc/cdi")
    for c in containers(pod):
        check(f"daemonset: {c['name']}: every mount names a volume",
              all(m["name"] in vols for m in c.get("volumeMounts", [])))
        check(f"daemonset: {c['name']}: a memory limit", "memory" in c.get("resources", {}).get("limits", {}))
        check(f"daemonset: {c['name']}: placeholder image",
              c["image"].startswith("registry.example.com/cglimits-node:"))

    p = load(os.path.join(kdir, "pod-cdi.yaml"))
    check("pod-cdi: v1 Pod", (p.get("apiVersion"), p.get("kind")) == ("v1", "Pod"))
    ann = p["metadata"].get("annotations", {})
    cdi = {k: v for k, v in ann.items() if k.startswith("cdi.k8s.io/")}
    check("pod-cdi: a cdi.k8s.io/ annotation naming cglimits.dev/preload=glibc",
          list(cdi.values()) == ["cglimits.dev/preload=glibc"])
    check("pod-cdi: annotation key cdi.k8s.io/<name> (a valid name)",
          all(re.fullmatch(r"cdi\.k8s\.io/[A-Za-z0-9][A-Za-z0-9_.-]*", k) for k in cdi))
    for c in containers(p["spec"]):
        check(f"pod-cdi: {c['name']}: limits.memory 256Mi",
              c.get("resources", {}).get("limits", {}).get("memory") == "256Mi")
        check(f"pod-cdi: {c['name']}: no LD_PRELOAD of its own (the device sets it)",
              "LD_PRELOAD" not in {e["name"] for e in c.get("env", [])})

    with open(cdi_spec) as f:
        check_spec(yaml.safe_load(f), "/opt/cglimits/lib/libcglimits.so")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
