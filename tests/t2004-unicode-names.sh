#!/bin/sh
test_description='\N{...} in docstrings: every name Python 3.11 knows, decoded as Python decodes it'
. "$(dirname "$0")/lib.sh"

# One docstring holding every character name of Unicode 14.0 (Python 3.11's
# unicodedata), every Hangul syllable, the ends of every CJK unified
# ideograph range, names in lower case (matched without regard to case, as
# CPython does) and the name aliases Perl's copy of the same Unicode data
# lists, when it is installed. Python's own __doc__ is the expected output.
test_expect_success 'setup: the docstring, and what Python makes of it' '
	mkdir repo &&
	"$HUB_TEST_PYTHON" - <<-\PY &&
	import glob, unicodedata
	names = []
	for cp in range(0x110000):
	    name = unicodedata.name(chr(cp), None)
	    if name:
	        names.append(name)
	# Stored names match in any case; computed ones (CJK, Hangul) only
	# in upper case, as in CPython.
	names += [n.lower() for n in names[::97]
	          if not n.startswith(("CJK UNIFIED IDEOGRAPH-", "HANGUL SYLLABLE "))]
	names += ["CJK UNIFIED IDEOGRAPH-%X" % cp for cp in
	          (0x3400, 0x4DBF, 0x4E00, 0x9FFF, 0x20000, 0x2A6DF, 0x2A700, 0x2B738, 0x2B740,
	           0x2B81D, 0x2B820, 0x2CEA1, 0x2CEB0, 0x2EBE0, 0x30000, 0x3134A)]
	names.append("CJK UNIFIED IDEOGRAPH-04E00")
	for path in sorted(glob.glob("/usr/share/perl/*/unicore/Name.pl"))[-1:]:
	    body = open(path, encoding="utf-8").read().split("<<\x27END\x27;\n", 1)[1]
	    for record in body.split("\n\n"):
	        lines = record.strip().split("\n")
	        if len(lines) == 2 and " " not in lines[0]:
	            try:
	                eval("\"\\N{%s}\"" % lines[1])
	            except SyntaxError:
	                continue
	            names.append(lines[1])
	source = "def every_name():\n    \"\"\"" + "".join("\\N{%s}|" % n for n in names) + "\"\"\"\n"
	open("repo/hubconf.py", "w").write(source)
	namespace = {}
	try:
	    exec(source, namespace)
	except SyntaxError as e:
	    raise SystemExit("Python refuses the docstring: %s" % str(e)[-200:])
	open("expect", "wb").write(namespace["every_name"].__doc__.encode("utf-8", "surrogatepass") + b"\n")
	print(len(names), "names")
	PY
	test -s expect
'

test_expect_success 'hub help --raw gives Python'"'"'s __doc__, byte for byte' '
	hub help --raw repo every_name >actual &&
	cmp expect actual
'

test_expect_success 'names Python refuses, hub refuses, naming the line' '
	for name in "NOT A NAME" "hangul syllable GAG" "CJK UNIFIED IDEOGRAPH-4e00" \
		    "CJK UNIFIED IDEOGRAPH-A000" "HANGUL SYLLABLE GAGX" " BULLET" \
		    "LATIN CAPITAL LETTER A WITH MACRON AND GRAVE"; do
		mkdir -p bad &&
		printf "def entry():\n    pass\n\n\ndef other():\n    \"\\\\N{%s}\"\n" "$name" >bad/hubconf.py &&
		! "$HUB_TEST_PYTHON" -c "compile(open(\"bad/hubconf.py\").read(), \"x\", \"exec\")" 2>/dev/null &&
		test_must_fail status=1 hub list bad 2>err &&
		test_grep "^hub: hubconf.py:6: (unicode error) unknown Unicode character name" err || return 1
	done
'
test_done
