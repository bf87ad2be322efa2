#!/bin/sh
test_description='bash completion: commands, options, cached specs, entrypoints'
. "$(dirname "$0")/lib.sh"

H=$TORCH_HOME/hub
COMPLETION=$TOP_DIRECTORY/scripts/completion/hub.bash

# The completion runs `hub` from PATH, as it would for a user.
ln -s "$HUB_BIN" "$TRASH/bin/hub"
PATH=$TRASH/bin:$PATH
export PATH

# complete WORD...: drives _hub in a non-interactive bash with the words as
# bash splits them (':' and '=' are words of their own), the cursor on the
# last one; prints the candidates one a line, sorted.
complete_words() {
	bash -c '
		source "$0" || exit 1
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		_hub || exit 1
		printf "%s\n" "${COMPREPLY[@]}"
	' "$COMPLETION" "$@" | sed "/^$/d" | sort
}

test_expect_success 'a cache to complete from' '
	mkdir -p "$H/pytorch_vision_main" "$H/pytorch_vision_v0.14.1" "$H/checkpoints" \
		"$H/someone_tool_dev" &&
	cat >"$H/pytorch_vision_main/hubconf.py" <<-\EOF &&
	dependencies = ["torch"]
	def resnet18(pretrained=False):
	    """ResNet-18."""
	def resnet50(pretrained=False):
	    """ResNet-50."""
	def alexnet():
	    """AlexNet."""
	EOF
	echo w >"$H/checkpoints/resnet18-f37072fd.pth" &&
	echo w >"$H/checkpoints/vit_b_16.pth" &&
	mkdir -p localrepo && cp "$H/pytorch_vision_main/hubconf.py" localrepo/
'

test_expect_success 'the file passes bash -n and defines _hub for hub and hub-*' '
	bash -n "$COMPLETION" &&
	bash -c "source \"$COMPLETION\" && complete -p hub && complete -p hub-purge" >out &&
	test_grep "_hub hub$" out && test_grep "_hub hub-purge$" out
'

test_expect_success 'commands' '
	complete_words hub li >out &&
	echo list >expect && test_cmp expect out &&
	complete_words hub "" >out &&
	printf "download\nhelp\nlist\nload\npurge\nset-dir\n" >expect && test_cmp expect out
'

test_expect_success 'the commands are exactly those of hub --help' '
	hub --help | sed -n "/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p" | sort >expect &&
	complete_words hub "" >out && test_cmp expect out
'

test_expect_success 'options of a command, read from its --help' '
	complete_words hub purge --ch >out &&
	echo --checkpoints >expect && test_cmp expect out &&
	complete_words hub purge --o >out &&
	printf -- "--offline\n--older-than\n" >expect && test_cmp expect out &&
	complete_words hub purge -- >out &&
	for o in --all --partial --untrust --dry-run --dir --json --quiet; do
		test_grep "^$o$" out || return 1
	done &&
	complete_words hub set-dir --u >out &&
	echo --unset >expect && test_cmp expect out &&
	complete_words hub --ver >out &&
	printf -- "--verbose\n--version\n" >expect && test_cmp expect out
'

test_expect_success 'every option in purge --help is offered' '
	hub purge --help | grep -o "^ *\(-[a-zA-Z], \)\{0,1\}--[a-z-]*" | sed "s/.*--/--/" | sort >expect &&
	complete_words hub purge -- >out && test_cmp expect out
'

test_expect_success 'cached specs' '
	complete_words hub list py >out &&
	printf "pytorch/vision:main\npytorch/vision:v0.14.1\n" >expect && test_cmp expect out &&
	complete_words hub load "" >out &&
	test_grep "^someone/tool:dev$" out
'

test_expect_success 'after a colon, only the part readline replaces' '
	complete_words hub list pytorch/vision : "" >out &&
	printf "main\nv0.14.1\n" >expect && test_cmp expect out &&
	complete_words hub list pytorch/vision : v >out &&
	echo v0.14.1 >expect && test_cmp expect out
'

test_expect_success 'purge offers owner/name too' '
	complete_words hub purge pytorch >out &&
	printf "pytorch/vision\npytorch/vision:main\npytorch/vision:v0.14.1\n" >expect &&
	test_cmp expect out
'

test_expect_success 'entrypoints of a cached repository' '
	complete_words hub help pytorch/vision : main "" >out &&
	printf "alexnet\nresnet18\nresnet50\n" >expect && test_cmp expect out &&
	complete_words hub load pytorch/vision:main res >out &&
	printf "resnet18\nresnet50\n" >expect && test_cmp expect out
'

test_expect_success 'entrypoints of a local directory; path-like words complete directories' '
	complete_words hub help ./localrepo "" >out &&
	printf "alexnet\nresnet18\nresnet50\n" >expect && test_cmp expect out &&
	complete_words hub list ./loc >out &&
	echo ./localrepo >expect && test_cmp expect out
'

test_expect_success 'entrypoints are never fetched: an uncached SPEC gives nothing, quickly' '
	complete_words hub help nobody/nothing : main "" >out &&
	test_must_be_empty out
'

test_expect_success 'hub help offers commands and specs' '
	complete_words hub help l >out &&
	printf "list\nload\n" >expect && test_cmp expect out
'

test_expect_success 'option values: --checkpoints=, --older-than, --dir' '
	complete_words hub purge --checkpoints = res >out &&
	echo resnet18-f37072fd.pth >expect && test_cmp expect out &&
	complete_words hub purge --older-than "" >out &&
	test_grep "^30d$" out &&
	mkdir -p dirs/alpha &&
	complete_words hub --dir dirs/a >out &&
	echo dirs/alpha >expect && test_cmp expect out
'

test_expect_success '--dir before the command chooses the cache completed from' '
	mkdir -p other/x_y_main &&
	complete_words hub --dir other list "" >out &&
	echo x/y:main >expect && test_cmp expect out &&
	complete_words hub -d other purge --older-than 3d x >out &&
	printf "x/y\nx/y:main\n" >expect && test_cmp expect out
'

test_expect_success 'options and their values do not count as operands' '
	complete_words hub load --force-reload pytorch/vision:main --trust-repo alex >out &&
	echo alexnet >expect && test_cmp expect out
'

test_expect_success 'busybox names: hub-list completes as hub list' '
	complete_words hub-list py >out &&
	printf "pytorch/vision:main\npytorch/vision:v0.14.1\n" >expect && test_cmp expect out
'

test_expect_success 'a hub given by path is the one asked' '
	mkdir -p elsewhere && ln -s "$HUB_BIN" elsewhere/hub &&
	(PATH=/usr/bin:/bin && complete_words ./elsewhere/hub li) >out &&
	echo list >expect && test_cmp expect out
'

# An interactive bash on a pseudo-terminal, keys typed in: readline splits
# the words itself and inserts the candidates, as a user sees it.
test_expect_success 'in an interactive bash, TAB completes options, specs and entrypoints' '
	cat >drive.py <<-\EOF &&
	import os, pty, select, sys, time
	pid, fd = pty.fork()
	if pid == 0:
	    os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])
	def read_until(want, timeout=10):
	    screen, end = b"", time.time() + timeout
	    while time.time() < end:
	        if select.select([fd], [], [], 0.2)[0]:
	            try:
	                screen += os.read(fd, 4096)
	            except OSError:
	                break
	        if want.encode() in screen:
	            return True
	    return False
	os.write(fd, ("PS1=READY; source %s; echo INIT-DONE\n" % sys.argv[1]).encode())
	read_until("INIT-DONE") and read_until("READY")
	for keys, want in [("hub purge --ch", "hub purge --checkpoints"),
	                   ("hub list pytorch/vision:v", "hub list pytorch/vision:v0.14.1"),
	                   ("hub help pytorch/vision:main al", "hub help pytorch/vision:main alexnet"),
	                   ("hub purge --checkpoints=res", "hub purge --checkpoints=resnet18-f37072fd.pth")]:
	    os.write(fd, (keys + "\t").encode())
	    print(("completed: " if read_until(want) else "timed out: ") + want, flush=True)
	    os.write(fd, b"\x15")
	os.write(fd, b"exit\n")
	EOF
	"$HUB_TEST_PYTHON" drive.py "$COMPLETION" >out 2>&1 &&
	cat >expect <<-\EOF &&
	completed: hub purge --checkpoints
	completed: hub list pytorch/vision:v0.14.1
	completed: hub help pytorch/vision:main alexnet
	completed: hub purge --checkpoints=resnet18-f37072fd.pth
	EOF
	test_cmp expect out
'

test_done
