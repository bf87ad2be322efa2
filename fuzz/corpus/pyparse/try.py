try:
    pass
except (A, B) as e:
    raise X from e
except C:
    pass
except:
    pass
else:
    pass
finally:
    del a, b[1], c.d
try:
    pass
finally:
    pass
try:
    pass
except* ValueError as e:
    pass
except* (TypeError, KeyError):
    pass
else:
    pass
finally:
    pass
try:
    x = 1
except Exception:
    pass
