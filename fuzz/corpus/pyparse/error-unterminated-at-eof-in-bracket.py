x = {1: 1+match p:
    case [1,s
  " ce: 