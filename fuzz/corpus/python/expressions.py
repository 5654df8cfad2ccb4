a = 0x_FF + 0o17 + 0b1010 + 1_000.5e-3j + .5 + 1. + 1e10
b = [i async for i in y if (n := i)]
c = {**d, "k": 1} | {1, *s}
d = a[1:2, ::3, *e]
lambda *, k=1: k
with (open(a) as f, open(b) as g,):
    pass
