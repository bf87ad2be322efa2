x = lambda *: 1
