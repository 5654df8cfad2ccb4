if x:
	if y:
	    z = 1
  w = 2
        v = 3
u = (1,
def g(): pass
