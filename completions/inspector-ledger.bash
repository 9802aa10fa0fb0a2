# bash completion for inspector-ledger (installed as share/bash-completion/completions/inspector-ledger).
# Option lists mirror each subcommand's --help; tests/cli/test_install.sh fails when they drift apart.

_inspector_ledger_opts() {
    local aws='--profile --role-arn --role-session-name --external-id --endpoint-url --max-attempts --rate-limit --max-pages --timeout --debug'
    local scope='--region --all-regions --role-name --role-arn-template --account --external-id --only-account --only-region --tags-source --organization --all-accounts --coverage --not-scanned-severity --implicit-severity'
    local rules='--as-of --warn-days --max-days --require-distinct-approver --schema --policy --print-policy --max-renewals --base --reviews'
    case $1 in
        validate) echo "--format --output --fail-on $rules --schema-only --quiet -q --verbose -v --help -h --version -V" ;;
        check) echo "$scope --full --runtimes --format --output --fail-on --quiet -q --verbose -v $rules $aws --help -h --version -V" ;;
        report) echo "--format --output --as-of --warn-days --with-history --no-git --schema --live --runtimes --since --changes --policy $scope $aws --help -h --version -V" ;;
        apply) echo "--yes --dry-run --remove-unrecorded --log --as-of --format --output --region --all-regions --role-name --role-arn-template --account --external-id --only-account --only-region $aws --help -h --version -V" ;;
        iam-policy) echo "--apply --coverage --organization --assume-role --role-name --role-arn-template --role-arn --account --partition --output --help -h --version -V" ;;
        whoami) echo "--format --region --endpoint-url --profile --role-arn --external-id --role-session-name --debug --help -h --version -V" ;;
        schema) echo "--list --help -h --version -V" ;;
    esac
}

_inspector_ledger_formats() {
    case $1 in
        validate) echo "text json github sarif junit markdown codequality" ;;
        check) echo "text json github sarif junit markdown codequality asff ocsf" ;;
        report) echo "html markdown csv json" ;;
        whoami) echo "text json" ;;
        apply) echo "text json markdown" ;;
    esac
}

_inspector_ledger() {
    local cur prev cmd i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            validate | check | report | apply | iam-policy | whoami | schema) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    if [ -z "$cmd" ]; then
        mapfile -t COMPREPLY < <(compgen -W "validate check report apply iam-policy whoami schema --help -h --version -V" -- "$cur")
        return 0
    fi
    case $prev in
        --format) mapfile -t COMPREPLY < <(compgen -W "$(_inspector_ledger_formats "$cmd")" -- "$cur"); return 0 ;;
        --fail-on) mapfile -t COMPREPLY < <(compgen -W "error warning never" -- "$cur"); return 0 ;;
        --tags-source) mapfile -t COMPREPLY < <(compgen -W "tagging lambda inspector" -- "$cur"); return 0 ;;
        --not-scanned-severity | --implicit-severity)
            mapfile -t COMPREPLY < <(compgen -W "error warning notice" -- "$cur")
            return 0
            ;;
        --output | --schema | --runtimes) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return 0 ;;
        --profile)
            local profiles
            profiles=$(sed -n 's/^\[\(profile \)\{0,1\}\([^]]*\)\]$/\2/p' "${AWS_CONFIG_FILE:-$HOME/.aws/config}" 2>/dev/null)
            mapfile -t COMPREPLY < <(compgen -W "$profiles" -- "$cur")
            return 0
            ;;
        --region | --role-name | --role-arn-template | --account | --external-id | --role-arn | --role-session-name | \
            --endpoint-url | --max-attempts | --rate-limit | --max-pages | --timeout | --only-account | --only-region | \
            --as-of | --warn-days | --max-days)
            return 0 ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_inspector_ledger_opts "$cmd")" -- "$cur")
    elif [ "$cmd" = schema ]; then
        mapfile -t COMPREPLY < <(compgen -W "inspector-exclusions validate-result check-result report apply-plan apply-log" -- "$cur")
    else
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
    return 0
}
complete -o filenames -F _inspector_ledger inspector-ledger
