# -*- coding: latin-1 -*-
s = "été"
print(s)
