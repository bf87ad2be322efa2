# bash completion for hub (torch.hub from the shell).
#
# Install as $(pkg-config --variable=completionsdir bash-completion)/hub,
# usually /usr/share/bash-completion/completions/hub, or source it from
# ~/.bashrc.
#
# Everything is asked of hub itself at completion time, so it never drifts
# from the binary: the commands from `hub --help`, a command's options from
# `hub COMMAND --help`, cached specs from `hub list` (what the cache holds),
# and the entrypoints of a repository from `hub --offline list SPEC`.
# Each call is a few milliseconds and never touches the network.

# bash splits "owner/name:ref" and "--opt=value" into several words at ':'
# and '=' (COMP_WORDBREAKS): join them back into _hub_w, with _hub_cw the
# index of the word under the cursor.
_hub_join_words()
{
	local i word glue=0
	_hub_w=() _hub_cw=0
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		word=${COMP_WORDS[i]}
		if ((i > 0)) && [[ $word == : || $word == = ]] || ((glue)); then
			_hub_w[${#_hub_w[@]} - 1]+=$word
		else
			_hub_w+=("$word")
		fi
		glue=0
		[[ $word == : || $word == = ]] && glue=1
		((i == COMP_CWORD)) && _hub_cw=$((${#_hub_w[@]} - 1))
	done
	((COMP_CWORD >= ${#COMP_WORDS[@]})) && { _hub_w+=(""); _hub_cw=$((${#_hub_w[@]} - 1)); }
	return 0
}

# The hub to ask: the one being completed when it is a path, else hub.
_hub_bin()
{
	local word=${_hub_w[0]}
	case $word in
	*/*) [[ -x $word ]] && { printf '%s\n' "$word"; return; } ;;
	esac
	printf 'hub\n'
}

# The command words were split into: the command (or "" before it), the index
# of its word, and the global options that matter to later calls (--dir).
_hub_parse_line()
{
	local i word skip=0
	_hub_cmd= _hub_cmd_index=0 _hub_globals=()
	local base=${_hub_w[0]##*/}
	if [[ $base == hub-?* ]]; then
		# busybox style: hub-list is hub list
		_hub_cmd=${base#hub-} _hub_cmd_index=0
	fi
	for ((i = 1; i < _hub_cw; i++)); do
		word=${_hub_w[i]}
		if ((skip)); then
			skip=0
			continue
		fi
		case $word in
		-d | --dir)
			skip=1
			_hub_globals+=("$word" "${_hub_w[i + 1]}")
			;;
		--dir=*) _hub_globals+=("$word") ;;
		-*) ;;
		*)
			if [[ -z $_hub_cmd ]]; then
				_hub_cmd=$word _hub_cmd_index=$i
			fi
			;;
		esac
	done
}

_hub_commands()
{
	"$(_hub_bin)" --help 2>/dev/null |
		awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }'
}

# The lines of the option tables in a --help text.
_hub_option_lines()
{
	awk '/^(Global o|O)ptions:$/ { on = 1; next } /^[^ ]/ { on = 0 } on'
}

# Options of a command (or the global ones), from its --help: every "--long"
# and "-s" at the start of an option line.
_hub_options()
{
	local cmd=$1
	"$(_hub_bin)" ${cmd:+"$cmd"} --help 2>/dev/null | _hub_option_lines |
		sed -n 's/^ *\(-[A-Za-z0-9], \)\{0,1\}\(--[a-z0-9-]*\).*/\1\2/p' |
		tr -d ',' | tr ' ' '\n' | sed '/^$/d'
}

# Options that take their value as the next word ("--older-than DURATION",
# "-d, --dir DIR"), for counting operands.
_hub_value_options()
{
	local cmd=$1
	"$(_hub_bin)" ${cmd:+"$cmd"} --help 2>/dev/null | _hub_option_lines |
		sed -n 's/^ *\(-\([A-Za-z0-9]\), \)\{0,1\}\(--[a-z0-9-]*\) [A-Z].*/-\2 \3/p'
}

# owner/name:ref of every cached repository (exact or guessed), from the
# inventory; the hub dir's folder names when that cannot be had.
_hub_cached_specs()
{
	local out
	if out=$("$(_hub_bin)" "${_hub_globals[@]}" -q list 2>/dev/null </dev/null); then
		printf '%s\n' "$out" |
			awk '/^repositories \(/ { on = 1; next } /^[^ ]/ { on = 0 } on && /^  / { print $1 }'
		return
	fi
	local dir
	dir=$("$(_hub_bin)" "${_hub_globals[@]}" set-dir 2>/dev/null) || return
	local folder
	for folder in "$dir"/*_*_*/; do
		[[ -d $folder ]] || continue
		folder=${folder%/}
		folder=${folder##*/}
		local owner=${folder%%_*} rest=${folder#*_}
		printf '%s/%s:%s\n' "$owner" "${rest%%_*}" "${rest#*_}"
	done
}

_hub_cached_checkpoints()
{
	"$(_hub_bin)" "${_hub_globals[@]}" -q list 2>/dev/null </dev/null |
		awk '/^checkpoints \(/ { on = 1; next } /^[^ ]/ { on = 0 } on && /^  / { print $1 }'
}

# Entrypoints of SPEC, read as text, offline: cached repositories and local
# directories only. stdin is closed so a trust question can never wait.
_hub_entrypoints()
{
	"$(_hub_bin)" "${_hub_globals[@]}" --offline -q list "$1" 2>/dev/null </dev/null |
		awk 'NF { print $1 }'
}

# The operands before the cursor, options and their values skipped.
_hub_operands()
{
	local i word skip=0 values
	values=" $(_hub_value_options "$_hub_cmd" | tr '\n' ' ') "
	_hub_words=()
	for ((i = _hub_cmd_index + 1; i < _hub_cw; i++)); do
		word=${_hub_w[i]}
		if ((skip)); then
			skip=0
			continue
		fi
		case $word in
		--) ;;
		--*=*) ;;
		-*) [[ $values == *" $word "* ]] && skip=1 ;;
		*) _hub_words+=("$word") ;;
		esac
	done
}

# Candidates are file names (quoting, a / after folders); outside a real
# completion (tests) compopt fails, harmlessly.
_hub_filenames()
{
	compopt -o filenames 2>/dev/null
	return 0
}

# Completes the current word from the words given, one a line.
_hub_add()
{
	local IFS=$'\n'
	COMPREPLY+=($(compgen -W "$1" -- "$2"))
}

# SPECs: cached repositories, and local directories when the word looks
# like a path.
_hub_add_specs()
{
	local cur=$1
	case $cur in
	.* | /* | '~'*)
		local IFS=$'\n'
		COMPREPLY+=($(compgen -d -- "$cur"))
		_hub_filenames
		return
		;;
	esac
	_hub_add "$(_hub_cached_specs)" "$cur"
	# a ':' separates words for readline unless told otherwise
	__hub_ltrim_colon "$cur"
}

# Readline replaces only the part of the word after its last ':' or '='
# (COMP_WORDBREAKS): strip what it already has from every candidate, as
# bash-completion's __ltrim_colon_completions does.
__hub_ltrim_colon()
{
	local cur=$1 i prefix=
	[[ $COMP_WORDBREAKS == *:* && $cur == *:* ]] && prefix=${cur%"${cur##*:}"}
	if [[ $COMP_WORDBREAKS == *=* && $cur == *=* ]]; then
		local eq=${cur%"${cur##*=}"}
		((${#eq} > ${#prefix})) && prefix=$eq
	fi
	[[ -n $prefix ]] || return 0
	for i in "${!COMPREPLY[@]}"; do
		COMPREPLY[i]=${COMPREPLY[i]#"$prefix"}
	done
}

_hub()
{
	local cur prev
	COMPREPLY=()
	_hub_join_words
	cur=${_hub_w[_hub_cw]}
	prev=
	((_hub_cw > 0)) && prev=${_hub_w[_hub_cw - 1]}
	_hub_parse_line

	case $prev in
	-d | --dir)
		local IFS=$'\n'
		COMPREPLY=($(compgen -d -- "$cur"))
		_hub_filenames
		return 0
		;;
	--older-than)
		_hub_add $'1h\n12h\n1d\n7d\n30d\n2w' "$cur"
		return 0
		;;
	esac

	case $cur in
	--checkpoints=*)
		local glob=${cur#--checkpoints=}
		local IFS=$'\n' name
		for name in $(_hub_cached_checkpoints); do
			[[ $name == "$glob"* ]] && COMPREPLY+=("--checkpoints=$name")
		done
		__hub_ltrim_colon "$cur"
		return 0
		;;
	--trust-repo=*)
		COMPREPLY=(--trust-repo=check)
		__hub_ltrim_colon "$cur"
		return 0
		;;
	-*)
		_hub_add "$(_hub_options "$_hub_cmd")" "$cur"
		return 0
		;;
	esac

	if [[ -z $_hub_cmd ]]; then
		_hub_add "$(_hub_commands)" "$cur"
		return 0
	fi

	_hub_operands
	local n=${#_hub_words[@]}
	case $_hub_cmd in
	list)
		((n == 0)) && _hub_add_specs "$cur"
		;;
	help)
		if ((n == 0)); then
			_hub_add "$(_hub_commands)" "$cur"
			_hub_add_specs "$cur"
		elif ((n == 1)); then
			_hub_add "$(_hub_entrypoints "${_hub_words[0]}")" "$cur"
		fi
		;;
	load)
		if ((n == 0)); then
			_hub_add_specs "$cur"
		elif ((n == 1)); then
			_hub_add "$(_hub_entrypoints "${_hub_words[0]}")" "$cur"
		else
			local IFS=$'\n'
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		;;
	download)
		_hub_add_specs "$cur"
		local IFS=$'\n'
		COMPREPLY+=($(compgen -f -- "$cur"))
		;;
	purge)
		local specs spec
		specs=$(_hub_cached_specs)
		# every ref of owner/name is one operand too
		specs+=$'\n'$(printf '%s\n' "$specs" | sed -n 's/:.*//p' | sort -u)
		_hub_add "$specs" "$cur"
		__hub_ltrim_colon "$cur"
		;;
	set-dir)
		((n == 0)) || return 0
		local IFS=$'\n'
		COMPREPLY=($(compgen -d -- "$cur"))
		_hub_filenames
		;;
	esac
	return 0
}

complete -F _hub hub
complete -F _hub hub-list hub-help hub-load hub-download hub-set-dir hub-purge
