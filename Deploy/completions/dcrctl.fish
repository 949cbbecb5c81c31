function __dcrctl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dcrctl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __dcrctl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dcrctl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __dcrctl_parse_tokens -S
    set -l unparsed_tokens (__dcrctl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'dcrctl'
        __dcrctl_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'status'
            __dcrctl_parse_subcommand 0 'socket=' 'connect=' 'token-file=' 'json' 'watch=' 'version' 'h/help'
        case 'load'
            __dcrctl_parse_subcommand 0 'socket=' 'connect=' 'token-file=' 'site=' 'json' 'watch=' 'version' 'h/help'
        case 'top'
            __dcrctl_parse_subcommand 0 'socket=' 'connect=' 'token-file=' 'site=' 'interval=' 'give-up-after=' 'version' 'h/help'
        case 'watch'
            __dcrctl_parse_subcommand 0 'socket=' 'connect=' 'token-file=' 'site=' 'interval=' 'json' 'count=' 'version' 'h/help'
        case 'report'
            __dcrctl_parse_subcommand 1 'socket=' 'connect=' 'token-file=' 'from=' 'to=' 'by=' 'site=+' 'scale=' 'json' 'csv' 'chart' 'version' 'h/help'
        case 'document'
            __dcrctl_parse_subcommand 1 'socket=' 'connect=' 'token-file=' 'from=' 'to=' 'month=' 'year=' 'site=+' 'lang=' 'public' 'threshold=' 'scale=' 'format=' 'o/output=' 'version' 'h/help'
        case 'send'
            __dcrctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'intake'
                __dcrctl_parse_subcommand 0 'socket=' 'connect=' 'token-file=' 'site=' 'booth=' 'at-ms=' 'event-id=' 'json' 'client-code=' 'gender=' 'age=' 'municipality=' 'substance=' 'route=' 'version' 'h/help'
            case 'release'
                __dcrctl_parse_subcommand 0 'socket=' 'connect=' 'token-file=' 'site=' 'booth=' 'at-ms=' 'event-id=' 'json' 'version' 'h/help'
            case 'incident'
                __dcrctl_parse_subcommand 0 'socket=' 'connect=' 'token-file=' 'site=' 'booth=' 'at-ms=' 'event-id=' 'json' 'kind=' 'victim-gender=' 'victim-role=' 'client-code=' 'overdose-response=' 'version' 'h/help'
            case 'referral'
                __dcrctl_parse_subcommand 0 'socket=' 'connect=' 'token-file=' 'site=' 'booth=' 'at-ms=' 'event-id=' 'json' 'client-code=' 'gender=' 'target=' 'version' 'h/help'
            end
        case 'simulate'
            __dcrctl_parse_subcommand 0 'socket=' 'connect=' 'token-file=' 'site=+' 'backfill=' 'speed=' 'seed=' 'duration=' 'rate-limit=' 'turnover=' 'batch-size=' 'version' 'h/help'
        case 'reload'
            __dcrctl_parse_subcommand 0 'socket=' 'connect=' 'token-file=' 'version' 'h/help'
        case 'backup'
            __dcrctl_parse_subcommand 0 'socket=' 'connect=' 'token-file=' 'to=' 'json' 'version' 'h/help'
        case 'export'
            __dcrctl_parse_subcommand 0 'store=' 'from=' 'to=' 'format=' 'export-key=' 'o/output=' 'version' 'h/help'
        case 'help'
            __dcrctl_parse_subcommand -r 1 'version'
        end
    end
end

function __dcrctl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __dcrctl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __dcrctl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __dcrctl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__dcrctl_tokens -p)
    if test -z "$(__dcrctl_tokens -t)"
        set -l index (count (__dcrctl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'dcrctl' -f
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl" -eq 1' -fa 'status' -d 'The daemon\'s health: uptime, connections, events stored, ingest rates, rejected frames.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl" -eq 1' -fa 'load' -d 'Booths taken per site, recent intakes, today against a normal day.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl" -eq 1' -fa 'top' -d 'A full-screen live view of every site, pushed by the daemon (like htop).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl" -eq 1' -fa 'watch' -d 'Stream the live load as lines (or NDJSON with --json), pushed by the daemon.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl" -eq 1' -fa 'report' -d 'Exact counts for any period: intakes, clients, incidents or referrals.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl" -eq 1' -fa 'document' -d 'The council\'s report as one self-contained HTML file (tables, charts), in Danish by default.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl" -eq 1' -fa 'send' -d 'Send one event as a booth terminal would (for manual use and scripts).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl" -eq 1' -fa 'simulate' -d 'Act as the booth terminals of simulated rooms: backfill past weeks, then run live.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl" -eq 1' -fa 'reload' -d 'Make dcrd re-read its configuration file, as SIGHUP does (role admin).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl" -eq 1' -fa 'backup' -d 'Make dcrd write a verified copy of its event store while ingest goes on (role admin).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl" -eq 1' -fa 'export' -d 'Export a period\'s events from a backup for researchers, pseudonyms re-keyed (CSV or JSON lines).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl status" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl status" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl status" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl status" json' -l 'json' -d 'Print JSON ({"version": 1, …}).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl status" watch' -l 'watch' -d 'Repeat every N seconds until interrupted.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl status" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl load" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl load" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl load" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl load" site' -l 'site' -d 'Only this site.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl load" json' -l 'json' -d 'Print JSON ({"version": 1, …}).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl load" watch' -l 'watch' -d 'Repeat every N seconds until interrupted.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl load" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl load" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl top" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl top" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl top" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl top" site' -l 'site' -d 'Start with only this site.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl top" interval' -l 'interval' -d 'Seconds between updates (+ and - change it).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl top" give-up-after' -l 'give-up-after' -d 'Exit (status 69) when the daemon has been away this many seconds (default: keep trying).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl top" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl top" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl watch" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl watch" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl watch" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl watch" site' -l 'site' -d 'Only this site.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl watch" interval' -l 'interval' -d 'Seconds between updates.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl watch" json' -l 'json' -d 'One JSON document per line (NDJSON).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl watch" count' -l 'count' -d 'Stop after N updates (for scripts).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl watch" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl watch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report" from' -l 'from' -d 'First local date, YYYY-MM-DD.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report" to' -l 'to' -d 'Last local date, YYYY-MM-DD (inclusive).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report" by' -l 'by' -d 'Group by these dimensions, comma-separated.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report"' -l 'site' -d 'Only these sites (repeatable).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report" scale' -l 'scale' -d 'An explicit estimate factor, e.g. 12 for one month × 12.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report" json' -l 'json' -d 'Print JSON ({"version": 1, …}).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report" csv' -l 'csv' -d 'Print CSV for spreadsheets.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report" chart' -l 'chart' -d 'Draw a horizontal bar chart (colour only on a terminal, never with NO_COLOR).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl report" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" from' -l 'from' -d 'First local date, YYYY-MM-DD.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" to' -l 'to' -d 'Last local date, YYYY-MM-DD (inclusive).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" month' -l 'month' -d 'One calendar month, YYYY-MM (instead of --from/--to).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" year' -l 'year' -d 'One calendar year, YYYY (instead of --from/--to).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document"' -l 'site' -d 'Only these sites (repeatable).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" lang' -l 'lang' -d 'da (default) or en.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" public' -l 'public' -d 'For publication: suppress small cells (see --threshold) and their complements.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" threshold' -l 'threshold' -d 'With --public: cells below this are suppressed (default 5).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" scale' -l 'scale' -d 'An estimate factor, e.g. 12 for one month × 12; printed as an estimate beside the counts.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" format' -l 'format' -d 'html (default), json or csv.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" o output' -s 'o' -l 'output' -d 'Write here (a folder for csv); default standard output (html, json).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl document" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl send" -eq 1' -fa 'intake' -d 'A client takes a booth and uses.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl send" -eq 1' -fa 'release' -d 'A booth is free again (--booth required).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl send" -eq 1' -fa 'incident' -d 'A situation report.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_positional "dcrctl send" -eq 1' -fa 'referral' -d 'A client is referred to other help.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" site' -l 'site' -d 'Site code, e.g. H17.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" booth' -l 'booth' -d 'Booth number (0: none).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" at-ms' -l 'at-ms' -d 'When it happened, Unix milliseconds (default: now).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" event-id' -l 'event-id' -d 'The event\'s UUID (default: a new one); reuse it to resend.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" json' -l 'json' -d 'Print JSON ({"version": 1, …}).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" client-code' -l 'client-code' -d 'The client\'s pseudonymous code (never stored raw).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" gender' -l 'gender' -d 'male, female or other.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" age' -l 'age' -d 'Years, 12…100 (0: unknown).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" municipality' -l 'municipality' -d 'Danish municipality code (0: unknown).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" substance' -l 'substance' -d 'heroin, cocaine, crack, amphetamine, methamphetamine, methadone, opioid-medicine, benzodiazepine, ketamine, other.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" route' -l 'route' -d 'injection, smoking, snorting, oral, other.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send intake" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send release" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send release" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send release" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send release" site' -l 'site' -d 'Site code, e.g. H17.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send release" booth' -l 'booth' -d 'Booth number (0: none).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send release" at-ms' -l 'at-ms' -d 'When it happened, Unix milliseconds (default: now).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send release" event-id' -l 'event-id' -d 'The event\'s UUID (default: a new one); reuse it to resend.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send release" json' -l 'json' -d 'Print JSON ({"version": 1, …}).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send release" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send release" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" site' -l 'site' -d 'Site code, e.g. H17.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" booth' -l 'booth' -d 'Booth number (0: none).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" at-ms' -l 'at-ms' -d 'When it happened, Unix milliseconds (default: now).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" event-id' -l 'event-id' -d 'The event\'s UUID (default: a new one); reuse it to resend.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" json' -l 'json' -d 'Print JSON ({"version": 1, …}).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" kind' -l 'kind' -d 'violence, theft, threat, sexual-harassment, sexual-assault, rape, overdose, needle-stick-injury, weapon, other.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" victim-gender' -l 'victim-gender' -d 'male, female or other.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" victim-role' -l 'victim-role' -d 'client, staff or other.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" client-code' -l 'client-code' -d 'The client involved, if any.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" overdose-response' -l 'overdose-response' -d 'For overdoses: none, oxygen, naloxone, ambulance.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send incident" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" site' -l 'site' -d 'Site code, e.g. H17.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" booth' -l 'booth' -d 'Booth number (0: none).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" at-ms' -l 'at-ms' -d 'When it happened, Unix milliseconds (default: now).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" event-id' -l 'event-id' -d 'The event\'s UUID (default: a new one); reuse it to resend.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" json' -l 'json' -d 'Print JSON ({"version": 1, …}).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" client-code' -l 'client-code' -d 'The client\'s pseudonymous code.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" gender' -l 'gender' -d 'male, female or other.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" target' -l 'target' -d 'drug-treatment, outreach-assessment, treatment-trial, health-care, housing, social-services, mental-health, other.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl send referral" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate"' -l 'site' -d 'Simulate this site, CODE or CODE:BOOTHS (repeatable; default: every site the daemon has).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate" backfill' -l 'backfill' -d 'Send this many past weeks first, with their own timestamps.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate" speed' -l 'speed' -d 'Run live this many times faster than real time (0: stop after the backfill).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate" seed' -l 'seed' -d 'Seed of the simulated room.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate" duration' -l 'duration' -d 'Stop the live run after this many (real) seconds.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate" rate-limit' -l 'rate-limit' -d 'Send the backfill at most this many events per second (default: as fast as the daemon stores).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate" turnover' -l 'turnover' -d 'Share of each site\'s clients replaced by new ones per day (default 0.002).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate" batch-size' -l 'batch-size' -d 'Events per pipelined batch.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl simulate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl reload" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl reload" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl reload" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl reload" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl reload" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl backup" socket' -l 'socket' -d 'The daemon\'s Unix socket (default: /run/dcr/dcrd.sock, as dcrd uses).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl backup" connect' -l 'connect' -d 'Connect over TCP instead: tcp:HOST:PORT.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl backup" token-file' -l 'token-file' -d 'File holding the token for TCP connections.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl backup" to' -l 'to' -d 'The file to write (must not exist).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl backup" json' -l 'json' -d 'Print JSON ({"version": 1, …}).'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl backup" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl backup" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl export" store' -l 'store' -d 'The backup to read (a file dcrctl backup wrote).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl export" from' -l 'from' -d 'First local date, YYYY-MM-DD.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl export" to' -l 'to' -d 'Last local date, YYYY-MM-DD (inclusive).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl export" format' -l 'format' -d 'csv or jsonl.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl export" export-key' -l 'export-key' -d 'The export key file (created when absent).' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl export" o output' -s 'o' -l 'output' -d 'The file to write.' -rfka ''
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl export" version' -l 'version' -d 'Show the version.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dcrctl' -n '__dcrctl_should_offer_completions_for_flags_or_options "dcrctl help" version' -l 'version' -d 'Show the version.'
