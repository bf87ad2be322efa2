a = 1
b = 2
print(1, 2 3)
