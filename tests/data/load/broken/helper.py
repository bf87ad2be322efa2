VALUE = 1
raise ImportError('helper cannot be imported on purpose')
