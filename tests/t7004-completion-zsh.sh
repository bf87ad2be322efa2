#!/bin/sh
test_description='zsh completion: commands, options, cached specs, entrypoints'
. "$(dirname "$0")/lib.sh"

H=$TORCH_HOME/hub
COMPLETION=$TOP_DIRECTORY/scripts/completion/_hub

# No skipping: a machine without zsh fails here (.ci/run installs it).
test_expect_success 'zsh is installed' '
	command -v zsh
'

ln -s "$HUB_BIN" "$TRASH/bin/hub"
PATH=$TRASH/bin:$PATH
export PATH

# complete WORD...: runs _hub in zsh -f with the completion system's
# builtins replaced by stand-ins that print the candidates matching the
# word under the cursor (the last one), one a line, sorted; file
# completion prints "FILES <options>".
complete_words() {
	zsh -fc '
		_describe() { local c; for c in ${(P)${@[-1]}}; do c=${c%%:*}; [[ $c == ${PREFIX}* ]] && print -r -- $c; done; return 0 }
		compadd() { local c; [[ $1 == -a ]] || return 1; for c in ${(P)2}; do [[ $c == ${PREFIX}* ]] && print -r -- $c; done; return 0 }
		_wanted() { shift 3; "$@" }
		_files() { print -r -- "FILES $*" }
		compset() { [[ $1 == -P ]] && PREFIX=${PREFIX#$2}; return 0 }
		source "$0" || exit 1
		words=("$@")
		CURRENT=$#words
		PREFIX=$words[CURRENT]
		_hub
	' "$COMPLETION" "$@" | sort
}

test_expect_success 'a cache to complete from' '
	mkdir -p "$H/pytorch_vision_main" "$H/pytorch_vision_v0.14.1" "$H/checkpoints" &&
	printf "def resnet18():\n    pass\ndef alexnet():\n    pass\n" \
		>"$H/pytorch_vision_main/hubconf.py" &&
	echo w >"$H/checkpoints/resnet18-f37072fd.pth"
'

test_expect_success 'the file parses, and only defines functions when sourced' '
	zsh -fn "$COMPLETION" &&
	zsh -fc "source \"$COMPLETION\" && whence -w _hub _hub_commands" >out &&
	test_grep "^_hub: function$" out
'

test_expect_success 'commands' '
	complete_words hub li >out &&
	echo list >expect && test_cmp expect out &&
	complete_words hub "" >out &&
	printf "download\nhelp\nlist\nload\npurge\nset-dir\n" >expect && test_cmp expect out
'

test_expect_success 'commands come with their summaries' '
	zsh -fc "
		_describe() { print -rl -- \${(P)\${@[-1]}} }
		source \"$COMPLETION\"; words=(hub \"\"); CURRENT=2; PREFIX=; _hub
	" >out &&
	test_grep "^purge:remove cached repositories" out
'

test_expect_success 'options of a command, read from its --help' '
	complete_words hub purge --ch >out &&
	echo --checkpoints >expect && test_cmp expect out &&
	complete_words hub purge --o >out &&
	printf -- "--offline\n--older-than\n" >expect && test_cmp expect out &&
	complete_words hub purge -n >out &&
	printf -- "-n\n" >expect && test_cmp expect out
'

test_expect_success 'cached specs, and owner/name for purge' '
	complete_words hub list py >out &&
	printf "pytorch/vision:main\npytorch/vision:v0.14.1\n" >expect && test_cmp expect out &&
	complete_words hub purge py >out &&
	printf "pytorch/vision\npytorch/vision:main\npytorch/vision:v0.14.1\n" >expect &&
	test_cmp expect out
'

test_expect_success 'entrypoints of a cached repository' '
	complete_words hub help pytorch/vision:main "" >out &&
	printf "alexnet\nresnet18\n" >expect && test_cmp expect out &&
	complete_words hub load --force-reload pytorch/vision:main re >out &&
	echo resnet18 >expect && test_cmp expect out
'

test_expect_success 'option values and paths' '
	complete_words hub purge --checkpoints=res >out &&
	echo resnet18-f37072fd.pth >expect && test_cmp expect out &&
	complete_words hub purge --older-than "" >out && test_grep "^30d$" out &&
	complete_words hub --dir "" >out && echo "FILES -/" >expect && test_cmp expect out &&
	complete_words hub list ./x >out && test_cmp expect out
'

test_expect_success '--dir chooses the cache completed from; hub-list is hub list' '
	mkdir -p other/x_y_main &&
	complete_words hub -d other list "" >out &&
	echo x/y:main >expect && test_cmp expect out &&
	complete_words hub-list py >out &&
	printf "pytorch/vision:main\npytorch/vision:v0.14.1\n" >expect && test_cmp expect out
'

test_expect_success 'with the real completion system: compinit finds _hub' '
	mkdir -p fpath && cp "$COMPLETION" fpath/ &&
	zsh -fc "fpath=(\"$TRASH/fpath\" \$fpath); autoload -U compinit && compinit -u -d \"$TRASH/zcompdump\" && print -r -- \$_comps[hub] \$_comps[hub-purge]" >out &&
	echo "_hub _hub" >expect && test_cmp expect out
'

# An interactive zsh on a pseudo-terminal, keys typed in: what a user sees.
# Each line is typed with a TAB once the shell is ready, and the screen read
# until the completed line shows up (or 10 seconds pass).
test_expect_success 'in an interactive zsh, TAB completes options, specs and entrypoints' '
	cat >drive.zsh <<-\EOF &&
	zmodload zsh/zpty
	zpty -b z "zsh -f -i"
	screen=
	wait_for() {
		local chunk
		integer tries=0
		while (( tries++ < 50 )); do
			while zpty -r -t z chunk; do screen+=${chunk//$'"'"'\r'"'"'/}; done
			[[ $screen == *"$1"* ]] && return 0
			sleep 0.2
		done
		print -r -- "timed out waiting for: $1"
		return 1
	}
	zpty -w z "PS1=READY; fpath=($TRASH/fpath \$fpath); autoload -U compinit; compinit -u -d $TRASH/zdump2; print INIT-DONE"
	wait_for INIT-DONE && wait_for READY || exit 1
	for keys want in "hub purge --ch" "hub purge --checkpoints" \
			"hub list pytorch/vision:v" "hub list pytorch/vision:v0.14.1" \
			"hub help pytorch/vision:main al" "hub help pytorch/vision:main alexnet"; do
		screen=
		zpty -w -n z "$keys"$'"'"'\t'"'"'
		wait_for "$want" && print -r -- "completed: $want" || exit 1
		zpty -w -n z $'"'"'\C-u'"'"'
	done
	zpty -d z
	EOF
	zsh -f drive.zsh >out 2>&1 &&
	test_grep "^completed: hub purge --checkpoints$" out &&
	test_grep "^completed: hub list pytorch/vision:v0.14.1$" out &&
	test_grep "^completed: hub help pytorch/vision:main alexnet$" out
'

test_done
