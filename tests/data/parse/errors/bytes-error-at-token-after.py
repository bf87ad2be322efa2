x = (b"\x1"
  b"a"
)
