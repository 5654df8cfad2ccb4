# coding: utf8
x = 1
€ = 2
exec (1)
# coding: no-such
