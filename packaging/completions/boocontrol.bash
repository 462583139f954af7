# bash completion for boocontrol. Installed as
# /usr/share/bash-completion/completions/boocontrol; keep in step with app/main.cpp and
# packaging/man/boocontrol.1.
_boocontrol()
{
    local cur prev words cword
    _init_completion -n := || return

    local options="--serve --demo --attach --db --providers --listen --token-file --max-body-mb
        --retention --alerts --http-limit --help --help-all --version"

    # The option that takes the word being completed.
    case "$prev" in
        --providers|--token-file|--alerts)
            _filedir
            return ;;
        --db)
            COMPREPLY=($(compgen -W 'sqlite: postgres://' -- "$cur"))
            [[ $cur == sqlite:* ]] && COMPREPLY=()
            compopt -o nospace
            return ;;
        --attach)
            COMPREPLY=($(compgen -W 'ws://' -- "$cur"))
            compopt -o nospace
            return ;;
        --listen)
            COMPREPLY=($(compgen -W '127.0.0.1:9503 0.0.0.0:9503' -- "$cur"))
            return ;;
        --retention)
            # One key=value after another: complete the key after the last comma.
            local done_keys="${cur%"${cur##*,}"}"
            COMPREPLY=($(compgen -P "$done_keys" -W 'requests= model-events= raw-perf= perf-rollup=' -- "${cur##*,}"))
            compopt -o nospace
            return ;;
        --max-body-mb|--http-limit|--source|--rpm|--tpm|--budget|--models|--expires|--baseline|--concurrency|--targets)
            return ;;
        --json)
            [[ ${words[1]} == bench || ${words[1]} == eval ]] && _filedir
            return ;;
        --check-suite)
            _filedir '@(yaml|yml)'
            return ;;
    esac

    # Subcommands: boocontrol keys|bench|eval|config ...
    case "${words[1]}" in
        keys)
            if ((cword == 2)); then
                COMPREPLY=($(compgen -W 'create list set revoke rotate' -- "$cur"))
            elif [[ ${words[2]} == create && $cur == -* ]]; then
                COMPREPLY=($(compgen -W '--source --rpm --tpm --budget --models --expires --allow-sub-source --db --json' -- "$cur"))
            elif [[ ${words[2]} == set && $cur == -* ]]; then
                COMPREPLY=($(compgen -W '--rpm --tpm --budget --models --expires --disable --enable --db --json' -- "$cur"))
            elif [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W '--db --json' -- "$cur"))
            fi
            return ;;
        bench)
            if ((cword == 2)); then
                COMPREPLY=($(compgen -W 'run list show' -- "$cur"))
            elif [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W '--db --providers --demo --json --baseline --force' -- "$cur"))
            elif [[ ${words[2]} == run ]]; then
                _filedir '@(yaml|yml)'
            fi
            return ;;
        eval)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W '--check-suite --targets --json --db --providers --demo --force --concurrency --help' -- "$cur"))
            else
                _filedir '@(yaml|yml)'
            fi
            return ;;
        config)
            if ((cword == 2)); then
                COMPREPLY=($(compgen -W 'validate diff apply backups rollback trust' -- "$cur"))
            elif [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W '--json --yes --db --providers --known-hosts --reason' -- "$cur"))
            elif [[ ${words[2]} == validate ]] || { [[ ${words[2]} == @(diff|apply) ]] && ((cword == 4)); }; then
                _filedir '@(yaml|yml)'
            fi
            return ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    elif ((cword == 1)); then
        COMPREPLY=($(compgen -W 'keys bench eval config' -- "$cur"))
    fi
} &&
    complete -F _boocontrol boocontrol
