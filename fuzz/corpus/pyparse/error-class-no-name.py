class : pass
