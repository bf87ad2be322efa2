#!/bin/sh
test_description='pytorch/vision 0.14.1: hub list and help --raw equal what torch.hub says'
. "$(dirname "$0")/lib.sh"

# The real repository (Debian's orig tarball of pytorch-vision is upstream's
# release tree). Python's answers are computed here, from the extracted tree,
# as torch.hub computes them: the tree first on sys.path, hubconf.py run by
# spec_from_file_location (torch/hub.py's _import_module).
# Names from outside the repository are read on the library path of
# Debian's Python, the one with torch.
HUB_PYTHON=$HUB_TEST_PYTHON
export HUB_PYTHON
tarball=$TOP_DIRECTORY/build/src/pytorch-vision_0.14.1.orig.tar.gz
test_expect_success 'setup: the tree, and what Python says about it' '
	test -f "$tarball" &&
	mkdir vision &&
	tar -xzf "$tarball" -C vision &&
	mv vision/vision-* repo &&
	test -f repo/hubconf.py &&
	mkdir python &&
	"$HUB_TEST_PYTHON" - repo python <<-\PY 2>python.err
	import importlib.util, os, sys, warnings
	warnings.simplefilter("ignore")
	repo, out = os.path.abspath(sys.argv[1]), sys.argv[2]
	sys.dont_write_bytecode = True
	sys.path.insert(0, repo)
	spec = importlib.util.spec_from_file_location("hubconf.py", os.path.join(repo, "hubconf.py"))
	module = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(module)
	names = [f for f in dir(module) if callable(getattr(module, f)) and not f.startswith("_")]
	open(os.path.join(out, "list"), "w").writelines(n + "\n" for n in names)
	for n in names:
	    doc = getattr(module, n).__doc__
	    with open(os.path.join(out, n), "wb") as f:
	        if doc is not None:
	            f.write(doc.encode("utf-8", "surrogatepass") + b"\n")
	PY
'

test_expect_success 'Python lists 86 names, get_model_weights and get_weight among them' '
	test_line_count = 86 python/list &&
	grep -x get_model_weights python/list &&
	grep -x get_weight python/list
'

test_expect_success 'hub list equals torch.hub.list, with no warning' '
	hub list repo >list 2>err &&
	test_cmp python/list list &&
	test_must_be_empty err
'

test_expect_success 'hub help --raw equals __doc__ for every entrypoint, byte for byte' '
	mkdir hub &&
	while read -r name; do
		hub help --raw repo "$name" >"hub/$name" 2>>err &&
		cmp "python/$name" "hub/$name" || return 1
	done <python/list &&
	test_must_be_empty err
'

test_expect_success 'hub help follows imports to the definition, decorators and all' '
	hub help repo resnet18 >out &&
	head -n 2 out >actual &&
	cat >expect <<-\EOT &&
	resnet18(*, weights: Optional[ResNet18_Weights] = None, progress: bool = True, **kwargs: Any) -> ResNet
	defined at torchvision/models/resnet.py:650
	EOT
	test_cmp expect actual &&
	hub help repo get_weight >out &&
	head -n 2 out >actual &&
	cat >expect <<-\EOT &&
	get_weight(name: str) -> WeightsEnum
	defined at torchvision/models/_api.py:79
	EOT
	test_cmp expect actual
'

test_expect_success 'hub help SPEC: 86 lines, each entrypoint and its summary' '
	hub help repo >out &&
	test_line_count = 86 out &&
	grep "^alexnet  *AlexNet model architecture from" out
'

test_expect_success 'cleaned docstrings equal inspect.cleandoc' '
	hub --json help repo vit_b_16 >out.json &&
	"$HUB_TEST_PYTHON" -c "
import inspect, json
d = json.load(open(\"out.json\"))
assert d[\"cleandoc\"] == inspect.cleandoc(open(\"python/vit_b_16\").read()[:-1])
"
'

test_expect_success 'reading the tree wrote nothing into it' '
	test -z "$(find repo -name __pycache__ -newer repo/hubconf.py)"
'
test_done
