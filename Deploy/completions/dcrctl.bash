#!/bin/bash

__dcrctl_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__dcrctl_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__dcrctl_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__dcrctl_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_dcrctl() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __dcrctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    status|load|top|watch|report|document|send|history|simulate|reload|backup|export|forward|help)
        # Offer subcommand argument completions
        "_dcrctl_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'status load top watch report document send history simulate reload backup export forward help' -- "${cur}"))
        ;;
    esac
}

_dcrctl_status() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --watch)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--watch')
        return
        ;;
    esac
}

_dcrctl_load() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --site --watch)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--watch')
        return
        ;;
    esac
}

_dcrctl_top() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --site --interval --give-up-after)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--interval')
        return
        ;;
    '--give-up-after')
        return
        ;;
    esac
}

_dcrctl_watch() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --site --interval --count)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--interval')
        return
        ;;
    '--count')
        return
        ;;
    esac
}

_dcrctl_report() {
    repeating_flags=()
    non_repeating_flags=(--json --csv --chart --version -h --help)
    repeating_options=(--site)
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --from --to --by --scale)
    __dcrctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--by')
        return
        ;;
    '--site')
        return
        ;;
    '--scale')
        return
        ;;
    esac
}

_dcrctl_document() {
    repeating_flags=()
    non_repeating_flags=(--public --version -h --help)
    repeating_options=(--site)
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --from --to --month --year --lang --threshold --scale --format -o --output)
    __dcrctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--month')
        return
        ;;
    '--year')
        return
        ;;
    '--site')
        return
        ;;
    '--lang')
        return
        ;;
    '--threshold')
        return
        ;;
    '--scale')
        return
        ;;
    '--format')
        return
        ;;
    '-o'|'--output')
        return
        ;;
    esac
}

_dcrctl_send() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __dcrctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    intake|release|incident|referral|turn-away|suspend|lift-suspension|void|amend|referral-outcome)
        # Offer subcommand argument completions
        "_dcrctl_send_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'intake release incident referral turn-away suspend lift-suspension void amend referral-outcome' -- "${cur}"))
        ;;
    esac
}

_dcrctl_send_intake() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id --client-code --gender --age --municipality --substance --route)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    '--client-code')
        return
        ;;
    '--gender')
        return
        ;;
    '--age')
        return
        ;;
    '--municipality')
        return
        ;;
    '--substance')
        return
        ;;
    '--route')
        return
        ;;
    esac
}

_dcrctl_send_release() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    esac
}

_dcrctl_send_incident() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id --kind --victim-gender --victim-role --client-code --overdose-response)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    '--kind')
        return
        ;;
    '--victim-gender')
        return
        ;;
    '--victim-role')
        return
        ;;
    '--client-code')
        return
        ;;
    '--overdose-response')
        return
        ;;
    esac
}

_dcrctl_send_referral() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id --client-code --gender --target --scope --accepted)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    '--client-code')
        return
        ;;
    '--gender')
        return
        ;;
    '--target')
        return
        ;;
    '--scope')
        return
        ;;
    '--accepted')
        return
        ;;
    esac
}

_dcrctl_send_turn-away() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id --reason --client-code --gender --age)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    '--reason')
        return
        ;;
    '--client-code')
        return
        ;;
    '--gender')
        return
        ;;
    '--age')
        return
        ;;
    esac
}

_dcrctl_send_suspend() {
    repeating_flags=()
    non_repeating_flags=(--json --all-sites --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id --client-code --minutes --from-ms --reason)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    '--client-code')
        return
        ;;
    '--minutes')
        return
        ;;
    '--from-ms')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_dcrctl_send_lift-suspension() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id --suspension-id)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    '--suspension-id')
        return
        ;;
    esac
}

_dcrctl_send_void() {
    repeating_flags=()
    non_repeating_flags=(--json --admin --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id --target-id --reason)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    '--target-id')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_dcrctl_send_amend() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __dcrctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    intake|incident|referral|turn-away)
        # Offer subcommand argument completions
        "_dcrctl_send_amend_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'intake incident referral turn-away' -- "${cur}"))
        ;;
    esac
}

_dcrctl_send_amend_intake() {
    repeating_flags=()
    non_repeating_flags=(--admin --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--target-id --correction --corrected-at-ms --socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id --client-code --gender --age --municipality --substance --route)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--target-id')
        return
        ;;
    '--correction')
        return
        ;;
    '--corrected-at-ms')
        return
        ;;
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    '--client-code')
        return
        ;;
    '--gender')
        return
        ;;
    '--age')
        return
        ;;
    '--municipality')
        return
        ;;
    '--substance')
        return
        ;;
    '--route')
        return
        ;;
    esac
}

_dcrctl_send_amend_incident() {
    repeating_flags=()
    non_repeating_flags=(--admin --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--target-id --correction --corrected-at-ms --socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id --kind --victim-gender --victim-role --client-code --overdose-response)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--target-id')
        return
        ;;
    '--correction')
        return
        ;;
    '--corrected-at-ms')
        return
        ;;
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    '--kind')
        return
        ;;
    '--victim-gender')
        return
        ;;
    '--victim-role')
        return
        ;;
    '--client-code')
        return
        ;;
    '--overdose-response')
        return
        ;;
    esac
}

_dcrctl_send_amend_referral() {
    repeating_flags=()
    non_repeating_flags=(--admin --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--target-id --correction --corrected-at-ms --socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id --client-code --gender --target --scope --accepted)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--target-id')
        return
        ;;
    '--correction')
        return
        ;;
    '--corrected-at-ms')
        return
        ;;
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    '--client-code')
        return
        ;;
    '--gender')
        return
        ;;
    '--target')
        return
        ;;
    '--scope')
        return
        ;;
    '--accepted')
        return
        ;;
    esac
}

_dcrctl_send_amend_turn-away() {
    repeating_flags=()
    non_repeating_flags=(--admin --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--target-id --correction --corrected-at-ms --socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id --reason --client-code --gender --age)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--target-id')
        return
        ;;
    '--correction')
        return
        ;;
    '--corrected-at-ms')
        return
        ;;
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    '--reason')
        return
        ;;
    '--client-code')
        return
        ;;
    '--gender')
        return
        ;;
    '--age')
        return
        ;;
    esac
}

_dcrctl_send_referral-outcome() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --site --booth --at-ms --event-id --referral-id --accepted)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--booth')
        return
        ;;
    '--at-ms')
        return
        ;;
    '--event-id')
        return
        ;;
    '--referral-id')
        return
        ;;
    '--accepted')
        return
        ;;
    esac
}

_dcrctl_history() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file)
    __dcrctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    esac
}

_dcrctl_simulate() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--site)
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --backfill --speed --seed --duration --rate-limit --turnover --batch-size)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--site')
        return
        ;;
    '--backfill')
        return
        ;;
    '--speed')
        return
        ;;
    '--seed')
        return
        ;;
    '--duration')
        return
        ;;
    '--rate-limit')
        return
        ;;
    '--turnover')
        return
        ;;
    '--batch-size')
        return
        ;;
    esac
}

_dcrctl_reload() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    esac
}

_dcrctl_backup() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file --to)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    '--to')
        return
        ;;
    esac
}

_dcrctl_export() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--store --from --to --format --export-key -o --output)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--format')
        return
        ;;
    '--export-key')
        return
        ;;
    '-o'|'--output')
        return
        ;;
    esac
}

_dcrctl_forward() {
    repeating_flags=()
    non_repeating_flags=(--status --json --quiet --version -h --help)
    repeating_options=()
    non_repeating_options=(--socket --connect --ca --cert --key --token-file)
    __dcrctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--socket')
        return
        ;;
    '--connect')
        return
        ;;
    '--ca')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--token-file')
        return
        ;;
    esac
}

_dcrctl_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __dcrctl_offer_flags_options -1
}

complete -o filenames -F _dcrctl dcrctl
