def model2(): pass
