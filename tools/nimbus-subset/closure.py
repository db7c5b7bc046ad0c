#!/usr/bin/env python3
"""Writes the include patterns of the Nimbus JOSE+JWT subset (module infrastructure/nimbus).

    jdeps -verbose:class -filter:none --ignore-missing-deps --multi-release 17 <nimbus.jar> \
      | grep -E '^\\s+com\\.nimbusds\\S+\\s+->\\s+com\\.nimbusds' | awk '{print $1, $3}' > nimbus.deps
    jdeps -verbose:class -filter:none --ignore-missing-deps <latchkey main classes or jars ...> \
      | grep -E '\\s+->\\s+com\\.nimbusds' | awk '{print $3}' | sort -u > roots.txt
    closure.py <nimbus.jar> nimbus.deps roots.txt src/subset/extra-roots.txt > src/subset/nimbus.includes

Kept: the static class closure of the roots (the Nimbus classes Latchkey's main classes reference, plus the classes
named in extra-roots.txt, one fully qualified name a line, # comments allowed), each class with its nested classes,
including the shaded Gson and JCIP classes that closure reaches; and the licence-bearing Maven metadata of Nimbus and
of the shaded Gson and JCIP (META-INF/maven/**). Nimbus loads no class of its own by name (no Class.forName, no
ServiceLoader; JCA providers are looked up through java.security), so the static closure is complete; Gson's
reflective adapters are reached statically from Gson itself.
"""
import collections
import sys
import zipfile

jar, deps, roots_file = sys.argv[1], sys.argv[2], sys.argv[3]
roots = set(open(roots_file).read().split())
for extra in sys.argv[4:]:
    roots |= {ln.strip() for ln in open(extra) if ln.strip() and not ln.startswith('#')}
names = {n[:-6].replace('/', '.') for n in zipfile.ZipFile(jar).namelist()
         if n.endswith('.class') and not n.startswith('META-INF/')}


def family(name):
    return name.split('$')[0]


families = {family(n) for n in names}
missing = {family(r) for r in roots} - families
assert not missing, missing
edges = collections.defaultdict(set)
for line in open(deps):
    a, b = line.split()
    edges[family(a)].add(family(b))
seen, todo = set(), [family(r) for r in roots]
while todo:
    f = todo.pop()
    if f not in seen:
        seen.add(f)
        todo.extend(edges[f] - seen)
out = []
for f in sorted(seen):
    p = f.replace('.', '/')
    out += [f'{p}.class', f'{p}$*.class']
out.append('META-INF/maven/**')
print('\n'.join(out))
print(f'{len(seen)} of {len(families)} class families', file=sys.stderr)
