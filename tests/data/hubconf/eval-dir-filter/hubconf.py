dependencies = ['torch']

import cifarnets

# Every public name of the package that starts with "cifar" becomes an
# entrypoint (a name that is not callable is then left out by torch.hub).
models = filter(lambda name: name.startswith("cifar"), dir(cifarnets))
globals().update({model: getattr(cifarnets, model) for model in models})
