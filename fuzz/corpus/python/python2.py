print "hello", foo()
exec code in ns
x = `y`
if a <> b: pass
try:
    pass
except E, e:
    raise E, "m"
n = 0777L
s = ur"x"
def f((a, b)): pass
