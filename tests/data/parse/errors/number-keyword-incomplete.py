x = 1orx
