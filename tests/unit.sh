#!/bin/sh
# Runs the cmocka unit tests (built by `make test` into $HUB_UNIT_DIR) as one
# TAP stream for prove.
set -u
: "${HUB_UNIT_DIR:?run through make test}"
export CMOCKA_MESSAGE_OUTPUT=TAP
status=0
total=0
for test in "$HUB_UNIT_DIR"/test_*; do
	[ -x "$test" ] || continue
	# cmocka's TAP restarts its numbering per group: renumber into one stream.
	out=$("$test" 2>&1) || status=1
	printf '%s\n' "$out" | while IFS= read -r line; do
		case "$line" in
		"ok "*|"not ok "*) echo "$line" ;;
		1..*) ;;
		*) echo "# $line" ;;
		esac
	done > "$HUB_UNIT_DIR/.tap.$$"
	n=0
	while IFS= read -r line; do
		case "$line" in
		"ok "*) n=$((n + 1)); total=$((total + 1)); echo "ok $total - $(basename "$test"):${line#ok [0-9]* - }" ;;
		"not ok "*) n=$((n + 1)); total=$((total + 1)); echo "not ok $total - $(basename "$test"):${line#not ok [0-9]* - }" ;;
		*) echo "$line" ;;
		esac
	done < "$HUB_UNIT_DIR/.tap.$$"
	rm -f "$HUB_UNIT_DIR/.tap.$$"
done
echo "1..$total"
exit $status
