x = 1
x = f'{a b}'
