match x:
    case 1:
        pass
    cas 2:
        pass
