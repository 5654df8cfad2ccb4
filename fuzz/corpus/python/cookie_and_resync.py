# -*- coding: cp1252 -*-
s = "€ é"
def f(:
    os.system("x")
class C(object:
    pass
x = [1,
import os
