#!/bin/sh
test_description='hub dir resolution and hub set-dir'
. "$(dirname "$0")/lib.sh"

# What torch.hub.get_dir() says in the current environment, made absolute.
torch_get_dir() {
	"$HUB_TEST_PYTHON" -c 'import os, torch.hub; print(os.path.abspath(torch.hub.get_dir()))'
}

test_expect_success 'default: ~/.cache/torch/hub, as torch.hub' '
	(unset TORCH_HOME XDG_CACHE_HOME &&
	 hub set-dir >out 2>err &&
	 echo "$HOME/.cache/torch/hub" >expect &&
	 test_cmp expect out &&
	 test_grep "^from: default$" err &&
	 torch_get_dir >torch && test_cmp torch out)
'

test_expect_success 'XDG_CACHE_HOME gives $XDG_CACHE_HOME/torch/hub' '
	(unset TORCH_HOME && export XDG_CACHE_HOME=$TRASH/xdg &&
	 hub set-dir >out 2>err &&
	 echo "$TRASH/xdg/torch/hub" >expect && test_cmp expect out &&
	 test_grep "^from: XDG_CACHE_HOME$" err &&
	 torch_get_dir >torch && test_cmp torch out)
'

test_expect_success 'TORCH_HOME wins over XDG_CACHE_HOME' '
	hub set-dir >out 2>err &&
	echo "$TRASH/torch/hub" >expect && test_cmp expect out &&
	test_grep "^from: TORCH_HOME$" err &&
	test_grep "^python: export TORCH_HOME=$TRASH/torch$" err &&
	torch_get_dir >torch && test_cmp torch out
'

test_expect_success 'a leading ~ is expanded, as expanduser does' '
	(export TORCH_HOME="~/th" &&
	 hub set-dir >out &&
	 echo "$HOME/th/hub" >expect && test_cmp expect out &&
	 torch_get_dir >torch && test_cmp torch out)
'

test_expect_success 'an empty TORCH_HOME means ./hub, as in torch.hub' '
	mkdir -p sub && (cd sub && export TORCH_HOME= &&
	 hub set-dir >out &&
	 echo "$TRASH/sub/hub" >expect && test_cmp expect out &&
	 torch_get_dir >torch && test_cmp torch out)
'

test_expect_success '--dir wins over everything, and is made absolute' '
	hub --dir rel/hub set-dir >out 2>err &&
	echo "$TRASH/rel/hub" >expect && test_cmp expect out &&
	test_grep "^from: --dir$" err &&
	hub set-dir -d "~/x/../y" >out 2>/dev/null &&
	echo "$HOME/y" >expect && test_cmp expect out
'

test_expect_success 'set-dir DIR stores it, absolute, and says how Python gets it' '
	hub set-dir store/hub >out 2>err &&
	echo "$TRASH/store/hub" >expect && test_cmp expect out &&
	test_grep "^saved in: $XDG_CONFIG_HOME/hub/config$" err &&
	test_grep "^python: export TORCH_HOME=$TRASH/store$" err &&
	test_grep "^dir = $TRASH/store/hub$" "$XDG_CONFIG_HOME/hub/config"
'

test_expect_success 'the setting wins over TORCH_HOME, --dir over the setting' '
	hub set-dir >out 2>err &&
	echo "$TRASH/store/hub" >expect && test_cmp expect out &&
	test_grep "^from: hub set-dir ($XDG_CONFIG_HOME/hub/config)$" err &&
	hub -d /elsewhere set-dir >out 2>/dev/null &&
	echo /elsewhere >expect && test_cmp expect out
'

test_expect_success 'a dir not named hub gets a torch.hub.set_dir hint' '
	hub set-dir "$TRASH/models" 2>err >/dev/null &&
	test_grep "^python: torch.hub.set_dir(.$TRASH/models.)$" err
'

test_expect_success '--json describes the dir' '
	hub --json set-dir >out &&
	"$HUB_TEST_PYTHON" -c "import json,sys; d=json.load(open(\"out\")); assert d[\"dir\"] == \"$TRASH/models\", d; assert d[\"source\"] == \"hub set-dir\", d"
'

test_expect_success 'set-dir --unset forgets it' '
	hub set-dir --unset 2>err &&
	test_grep "removed" err &&
	hub set-dir >out 2>/dev/null &&
	echo "$TRASH/torch/hub" >expect && test_cmp expect out &&
	test_grep ! "^dir" "$XDG_CONFIG_HOME/hub/config"
'

test_expect_success 'a path that is a file is refused' '
	: >plainfile &&
	test_must_fail status=1 hub set-dir plainfile 2>err &&
	test_line_count = 1 err &&
	test_grep "exists and is not a directory" err
'

test_expect_success 'an empty DIR and --unset with DIR are usage errors' '
	test_must_fail status=2 hub set-dir "" 2>err && test_line_count = 1 err &&
	test_must_fail status=2 hub set-dir --unset x 2>err && test_line_count = 1 err
'

config="$XDG_CONFIG_HOME/hub/config"

test_expect_success 'a config line without = is an error naming file and line' '
	printf "# comment\n\ndir = /a\nthis is garbage\n" >"$config" &&
	test_must_fail status=1 hub set-dir 2>err &&
	test_line_count = 1 err &&
	test_grep "^hub: $config:4: expected .key = value.$" err
'

test_expect_success 'an unknown key is an error naming it' '
	printf "colour = blue\n" >"$config" &&
	test_must_fail status=1 hub set-dir 2>err &&
	test_grep "^hub: $config:1: unknown key .colour.$" err
'

test_expect_success 'an overlong line and binary garbage are errors, not crashes' '
	"$HUB_TEST_PYTHON" -c "print(\"dir = /\" + \"x\" * 5000)" >"$config" &&
	test_must_fail status=1 hub set-dir 2>err &&
	test_grep "$config:1: line longer than" err &&
	head -c 3000 /dev/urandom >"$config" &&
	test_must_fail status=1 hub set-dir 2>err &&
	test_line_count = 1 err && test_grep "$config" err
'

test_expect_success 'a config that cannot be written leaves the old one intact' '
	printf "dir = /old/hub\n" >"$config" &&
	cp "$config" before &&
	# A full disk, as a file size limit of 0: every write fails (EFBIG).
	# Output goes through a pipe, which the limit does not touch.
	out=$( (trap "" XFSZ && ulimit -f 0 && hub set-dir /new/hub 2>&1 >/dev/null; echo "status=$?") ) &&
	echo "$out" >err &&
	test_grep "^status=1$" err &&
	test_grep "^hub: cannot write .$config.: File too large$" err &&
	test_cmp before "$config" &&
	ls "$XDG_CONFIG_HOME/hub" >left &&
	echo config >expect && test_cmp expect left
'

test_expect_success 'an unwritable config folder is one clear error' '
	: >notadir &&
	(export XDG_CONFIG_HOME=$TRASH/notadir &&
	 test_must_fail status=1 hub set-dir /x 2>err &&
	 test_line_count = 1 err && test_grep "cannot create" err)
'

test_done
