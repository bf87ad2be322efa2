x = ("\N{NOPE}"
     "abc"
)
