match cmd:
    case Point(x=0) | [1, 2, *rest] as q if q:
        pass
    case {"k": v, **kw}:
        pass
    case -1 | 1+2j | None | A.B:
        pass
    case _:
        pass
type Alias[T: int, *Ts, **P] = list[T]
try:
    pass
except* (ValueError, TypeError) as eg:
    raise
