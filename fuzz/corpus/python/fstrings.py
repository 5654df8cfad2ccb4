x = f"{a!r:>{width}} {b['k']} {f'{c}'} {{lit}} {d=}"
y = rb"\x00" Rb'''a
b''' u"\N{BULLET}"
z = f"""
{e
 + 1}\N{EM DASH}"""
