#!/usr/bin/env bash
# The module graph of hardrun-core and hardrun-ctl (the admin-only modules, src/ctl/), read from
# their objects: module A uses module B when A's object leaves undefined a symbol B's object
# defines. Fails on a cycle (printing the modules of each strongly connected component and the
# symbols that tie them), on a core module that uses an admin-only one, and on a hardrun
# executable that holds code or data of an admin-only module, or one of the admin-only functions
# named below.
set -u
build=${HARDRUN_BUILDDIR:?}
core=$build/src/libhardrun-core.a
ctl=$build/src/libhardrun-ctl.a
if ! command -v nm >/dev/null || ! command -v python3 >/dev/null; then
        echo "not ok 1 - nm and python3 are needed"
        echo "1..1"
        exit 1
fi
for f in "$core" "$ctl" "$build/src/hardrun" "$build/src/hardrunctl"; do
        if [ ! -f "$f" ]; then
                echo "not ok 1 - $f is built"
                echo "1..1"
                exit 1
        fi
done
# What each executable defines: "exe TYPE NAME" lines after the archives' lines.
symbols=$(mktemp)
trap 'rm -f "$symbols"' EXIT
for exe in hardrun hardrunctl; do
        nm -g --defined-only "$build/src/$exe" | sed "s|^|exe:$exe: |" >>"$symbols"
done

# "archive:member: TYPE NAME" for every global symbol, defined or not.
{ nm -A -g "$core" "$ctl"; cat "$symbols"; } | python3 -c '
import collections, re, sys

def module(member):
    """build/src/libhardrun-core.a.p/rules_lsm.c.o -> rules/lsm (meson writes / as _)."""
    name = member.rsplit("/", 1)[-1]
    name = re.sub(r"\.c\.o$", "", name)
    if name.startswith("meson-generated_"):
        return "generated/" + name.rsplit("_", 1)[-1]
    return name.replace("_", "/")

def components(graph):
    """Tarjan: the strongly connected components with more than one module (or a self-loop)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    sys.setrecursionlimit(10000)
    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                out.append(sorted(scc))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out

defined, undefined = {}, collections.defaultdict(set)
in_exe = collections.defaultdict(set)  # executable -> the global symbols it defines
for line in sys.stdin:
    e = re.match(r"^exe:([^:]+):\s*[0-9a-f]*\s+(\w)\s+(\S+)$", line.rstrip("\n"))
    if e:
        in_exe[e.group(1)].add(e.group(3))
        continue
    m = re.match(r"^[^:]+:([^:]+):\s*(?:[0-9a-f]+)?\s+(\w)\s+(\S+)$", line.rstrip("\n"))
    if not m:
        continue
    mod, kind, sym = module(m.group(1)), m.group(2), m.group(3)
    if kind == "U":
        undefined[mod].add(sym)
    else:
        defined[sym] = mod

graph, why = collections.defaultdict(set), collections.defaultdict(set)
mods = set(undefined) | set(defined.values())
for mod in mods:
    graph[mod]
    for sym in undefined[mod]:
        to = defined.get(sym)
        if to and to != mod:
            graph[mod].add(to)
            why[(mod, to)].add(sym)

n = failed = 0
def ok(cond, text, detail=()):
    global n, failed
    n += 1
    failed += not cond
    print(("ok" if cond else "not ok") + " %d - %s" % (n, text))
    for d in detail:
        print("#   " + d)
    return cond

# The checker itself: a planted cycle must be found.
planted = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
ok(components(planted) == [["a", "b", "c"]], "the check finds a planted cycle a -> b -> c -> a")

def admin_in(exe_symbols):
    """The admin-only modules (ctl/...) whose global symbols an executable defines."""
    found = collections.defaultdict(set)
    for sym in exe_symbols:
        mod = defined.get(sym)
        if mod and mod.startswith("ctl/"):
            found[mod].add(sym)
    return found

def admin_detail(found):
    return ["%s: %s" % (m, ", ".join(sorted(found[m])[:4])) for m in sorted(found)]

ok(len(mods) > 10, "%d modules read from %s" % (len(mods), sys.argv[1] if len(sys.argv) > 1 else "the archive"))
sccs = components(graph)
detail = []
for scc in sccs:
    detail.append("cycle of %d modules: %s" % (len(scc), " ".join(scc)))
    for a in scc:
        for b in sorted(graph[a] & set(scc)):
            detail.append("  %s -> %s (%s)" % (a, b, ", ".join(sorted(why[(a, b)])[:4])))
ok(not sccs, "no module cycle", detail)

ctl_mods = sorted(m for m in mods if m.startswith("ctl/"))
ok(len(ctl_mods) > 5, "%d admin-only modules in hardrun-ctl" % len(ctl_mods))
up = ["%s -> %s (%s)" % (a, b, ", ".join(sorted(why[(a, b)])[:4]))
      for a in sorted(mods) if not a.startswith("ctl/")
      for b in sorted(graph[a]) if b.startswith("ctl/")]
ok(not up, "no core module uses an admin-only module", up)

# The check itself: hardrunctl links the admin-only modules, so it must find them there.
found = admin_in(in_exe["hardrunctl"])
ok(len(found) == len(ctl_mods), "the check finds all %d admin-only modules in hardrunctl (%d)"
   % (len(ctl_mods), len(found)), sorted(set(ctl_mods) - set(found)))
found = admin_in(in_exe["hardrun"])
ok(len(in_exe["hardrun"]) > 100 and not found,
   "hardrun (%d symbols) holds no admin-only module" % len(in_exe["hardrun"]), admin_detail(found))

# What only the admins do stays out of the runtime by name too: showing a policy, comparing
# seccomp profiles.
admin_only = ["policy_to_json", "seccomp_profile_diff"]
ok(all(s in in_exe["hardrunctl"] for s in admin_only),
   "the check finds %s in hardrunctl" % ", ".join(admin_only))
held = sorted(s for s in admin_only if s in in_exe["hardrun"])
ok(not held, "hardrun holds none of %s" % ", ".join(admin_only), held)

for mod in sorted(mods):
    print("# %s -> %s" % (mod, " ".join(sorted(graph[mod])) or "-"))
print("1..%d" % n)
sys.exit(1 if failed else 0)
' "$core $ctl"
