#!/usr/bin/env bash
# Cross-folder #include edges of the library and the CLI (src/, include/il/), checked against the one direction of
# STYLE.md:  cli -> report -> drift -> {aws, ledger} -> schema -> doc -> common ;  findings -> common only.
# Run at the root of a checkout (after move.sh). Prints every violating edge (file:line  from -> to  header), then a
# matrix of folder-to-folder edge counts and any folder-level cycle. Exit 1 when there is a violation.
#   bash ci/arrows.sh            # violations + matrix
#   bash ci/arrows.sh --quiet    # violations only
#   bash ci/arrows.sh --calls build   # also the call graph from the objects in build/ (nm): folder violations by calls,
#                                  # and every cycle of files calling each other (strongly connected components)
# Choices: schema -> doc is allowed (the validator walks the document tree); doc -> schema is not. aws and ledger are
# one tier: neither may include the other. Only cli may include findings. Within src/aws/ the three parts
# (machinery, credentials/, services/) are reported in the matrix but not judged (the client owns a credentials
# provider, the STS provider calls the STS service, the services call the client).
set -euo pipefail
quiet=0
calls=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quiet) quiet=1 ;;
        --calls) calls=${2:?build dir}; shift ;;
        *) echo "arrows.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ -d src ] && [ -d include/il ] || { echo "arrows.sh: run me at the root of a checkout" >&2; exit 2; }
python3 - "$quiet" "$calls" <<'EOF'
import os, re, subprocess, sys
quiet = sys.argv[1] == "1"
calls = sys.argv[2]
RANK = {"common": 0, "doc": 1, "schema": 2, "aws": 3, "ledger": 3, "drift": 4, "report": 5, "cli": 6}
COMMON_HEADERS = {"ascii", "buf", "date", "diag", "embedded", "escape", "hash", "mem", "rules", "status", "crypto",
                  "process"}
# Before the move (today's main), public headers sit flat in include/il/: map them so the script also measures main.
FLAT = {"node": "doc", "yaml": "doc", "json": "doc", "schema": "schema", "ledger": "ledger", "output": "findings",
        "findings": "findings", "apply": "drift", "collect": "drift", "drift": "drift", "inventory": "drift",
        "runtimes": "drift", "live": "report", "report": "report"}
OLD_SRC = {"audit": "drift"}

def area(path):
    """(area, sub) of a repo path under src/ or include/il/, or None."""
    p = path.split("/")
    if p[0] == "src" and len(p) >= 3:
        a = OLD_SRC.get(p[1], p[1])
        sub = p[2] if a == "aws" and len(p) >= 4 else ""
        if a == "aws" and sub == "" and re.match(r"aws_(credentials|ini)", p[-1]):
            sub = "credentials"  # the layout before the move
        return a, sub
    if p[0] == "include" and len(p) >= 3 and p[1] == "il":
        if len(p) == 3:
            base = p[2][:-2]
            if base in COMMON_HEADERS:
                return "common", ""
            return FLAT.get(base, "?" + base), ""
        return p[2], (p[3] if p[2] == "aws" and len(p) >= 5 else "")
    return None

def resolve(inc):
    if inc.startswith("il/"):
        return "include/" + inc
    if os.path.exists("src/" + inc):
        return "src/" + inc
    return None

def allowed(a, b):
    if a == b or b == "common":
        return True
    if a == "findings":
        return False
    if b == "findings":
        return a == "cli"
    if a not in RANK or b not in RANK:
        return False
    return RANK[a] > RANK[b]

edges, bad, unknown = {}, [], set()
for root in ("src", "include/il"):
    for dp, _, fs in os.walk(root):
        for f in sorted(fs):
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(dp, f)
            fa = area(path)
            with open(path, encoding="utf-8", errors="replace") as fh:
                for n, line in enumerate(fh, 1):
                    m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    if not m:
                        continue
                    tgt = resolve(m.group(1))
                    if tgt is None:
                        continue
                    ta = area(tgt)
                    if ta is None or fa is None:
                        continue
                    for x in (fa[0], ta[0]):
                        if x not in RANK and x != "findings":
                            unknown.add(x)
                    key = (fa[0] + ("/" + fa[1] if fa[1] else ""), ta[0] + ("/" + ta[1] if ta[1] else ""))
                    if key[0] != key[1]:
                        edges[key] = edges.get(key, 0) + 1
                    if not allowed(fa[0], ta[0]):
                        bad.append((path, n, fa[0], ta[0], m.group(1)))

for path, n, a, b, inc in sorted(bad):
    print(f"VIOLATION {path}:{n}  {a} -> {b}  #include \"{inc}\"")
pairs = sorted({(a, b) for _, _, a, b, _ in bad})
print(f"{len(bad)} violating include(s) in {len(pairs)} folder pair(s): " + ", ".join(f"{a}->{b}" for a, b in pairs))
if unknown:
    print("folders with no place in the direction: " + ", ".join(sorted(unknown)))
if not quiet:
    print("\nfolder -> folder  (#include lines)")
    for (a, b), c in sorted(edges.items()):
        print(f"  {a:18s} -> {b:18s} {c}")
    # folder-level cycles (top folders only)
    g = {}
    for (a, b) in edges:
        a0, b0 = a.split("/")[0], b.split("/")[0]
        if a0 != b0:
            g.setdefault(a0, set()).add(b0)
    cyc = sorted({tuple(sorted((a, b))) for a in g for b in g[a] if a in g.get(b, set())})
    print("folder cycles (a <-> b): " + (", ".join(f"{a}<->{b}" for a, b in cyc) if cyc else "none"))

def sccs(graph):
    """Tarjan, iterative enough for a few hundred nodes."""
    sys.setrecursionlimit(10000)
    index, low, stack, on, out, i = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out

call_bad = []
if calls:
    objs = []
    for dp, _, fs in os.walk(calls + "/CMakeFiles"):
        for f in fs:
            if f.endswith(".c.o") and "/src/" in dp + "/":
                full = os.path.join(dp, f)
                src = "src/" + full.split("/src/", 1)[1][:-2]
                if os.path.exists(src):
                    objs.append((src, full))
    defs, undefs = {}, {}
    for src, o in objs:
        for line in subprocess.run(["nm", o], capture_output=True, text=True).stdout.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "U":
                undefs.setdefault(src, set()).add(parts[1])
            elif len(parts) == 3 and parts[1] in "TDBR":
                defs[parts[2]] = src
    graph, fedges = {}, {}
    for src, us in undefs.items():
        for sym in us:
            tgt = defs.get(sym)
            if tgt is None or tgt == src:
                continue
            graph.setdefault(src, set()).add(tgt)
            a, b = area(src)[0], area(tgt)[0]
            if not allowed(a, b):
                call_bad.append((src, tgt, a, b, sym))
            if a != b:
                fedges[(a, b)] = fedges.get((a, b), 0) + 1
    print(f"\ncalls ({len(objs)} objects):")
    for src, tgt, a, b, sym in sorted(call_bad):
        print(f"CALL-VIOLATION {src} -> {tgt}  {a} -> {b}  {sym}")
    print(f"{len(call_bad)} violating call(s)")
    if not quiet:
        for (a, b), c in sorted(fedges.items()):
            print(f"  {a:10s} calls {b:10s} ({c} file->symbol edges)")
    # the thin CLI (issue 14, item 6): no src/cli file but the AWS set-up file may reach into src/aws
    thin = sorted({(src, tgt) for src in graph for tgt in graph[src]
                   if src.startswith("src/cli/") and not os.path.basename(src).startswith("cli_aws")
                   and tgt.startswith("src/aws/")})
    print(f"{len(thin)} CLI file -> src/aws edge(s) outside src/cli/cli_aws*.c:")
    for src, tgt in thin:
        syms = sorted(s for s in undefs[src] if defs.get(s) == tgt)
        print(f"  THIN-CLI {src} -> {tgt}  {' '.join(syms)}")
    cyc = sccs(graph)
    print(f"{len(cyc)} call cycle(s) between files (each a strongly connected component):")
    for c in cyc:
        print("  CYCLE " + " <-> ".join(c))
sys.exit(1 if bad or call_bad else 0)
EOF
