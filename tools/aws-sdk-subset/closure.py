#!/usr/bin/env python3
"""Writes the include patterns of an AWS SDK service jar's subset (module infrastructure/aws-sdk).

    jdeps -verbose:class -filter:none --ignore-missing-deps <service.jar> \
      | grep -E '^\\s+software\\S+\\s+->\\s+software' | awk '{print $1, $3}' > service.deps
    closure.py <service.jar> service.deps <package> "<Op> <Op> ..." [loaded.txt] > src/subset/<service>.includes

Kept from the model package: the request and response of each operation, every modeled exception, every model class
those reach (class-level references, transitively; each with its nested classes), and the exact model classes listed
in loaded.txt (one simple name a line, e.g. GetResourcePolicyRequest): the ones the JVM loads on a run with the full
jar (-Xlog:class+load) though no operation of ours reaches them — the verifier loads every operation's request class
when it links the generated client (Probe.java beside this file, and a health run with table creation, list them).
Kept from the transform package: each operation's request marshaller.
"""
import collections
import sys
import zipfile

jar, deps, pkg, ops = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()
loaded = set(open(sys.argv[5]).read().split()) if len(sys.argv) > 5 else set()
path = pkg.replace('.', '/')
model = pkg + '.model.'
names = [n[:-6].replace('/', '.') for n in zipfile.ZipFile(jar).namelist() if n.endswith('.class')]


def family(name):
    return name[len(model):].split('$')[0]


families = {family(n) for n in names if n.startswith(model)}
edges = collections.defaultdict(set)
for line in open(deps):
    a, b = line.split()
    if a.startswith(model) and b.startswith(model):
        edges[family(a)].add(family(b))
service = {'software.amazon.awssdk.services.dynamodb': 'DynamoDb', 'software.amazon.awssdk.services.kms': 'Kms'}[pkg]
start = {o + s for o in ops for s in ('Request', 'Response')} | {service + 'Request', service + 'Response'}
start |= {f for f in families if f.endswith('Exception')}
missing = start - families
assert not missing, missing
seen, todo = set(), list(start)
while todo:
    f = todo.pop()
    if f not in seen:
        seen.add(f)
        todo.extend(edges[f] - seen)
out = []
for f in sorted(seen):
    out += [f'{path}/model/{f}.class', f'{path}/model/{f}$*.class']
out += [f'{path}/model/{c}.class' for c in sorted(loaded) if c.split('$')[0] not in seen]
out += [f'{path}/transform/{o}RequestMarshaller.class' for o in ops]
print('\n'.join(out))
print(f'{len(seen)} of {len(families)} model families, {len(loaded)} loaded classes', file=sys.stderr)
