#!/usr/bin/env bash
# Posts llm-eval's summary.md on a pull request, or edits the comment it posted before, found by
# the hidden marker summary.md ends with, so a pull request carries one llm-eval comment that
# always shows the latest run.
#
# Usage: post-comment.sh SUMMARY_MD [REPORT_LINK]
#   REPORT_LINK (optional): where report.html can be downloaded (the artifact URL); added last.
# Env: GH_TOKEN (the workflow's GITHUB_TOKEN), GITHUB_REPOSITORY (owner/name), PR_NUMBER.
# Needs the GitHub CLI (`gh`), preinstalled on GitHub-hosted runners.
set -euo pipefail

summary=${1:?usage: post-comment.sh SUMMARY_MD [REPORT_LINK]}
link=${2:-}
marker='<!-- llm-eval-report -->'
: "${GITHUB_REPOSITORY:?set GITHUB_REPOSITORY to owner/name}"
: "${PR_NUMBER:?set PR_NUMBER to the pull request number}"

if [ ! -s "$summary" ]; then
  echo "post-comment.sh: $summary is missing or empty: did llm-eval run with --format md (the default)?" >&2
  exit 2
fi
if ! grep -qF -- "$marker" "$summary"; then
  echo "post-comment.sh: $summary has no '$marker' line: is it llm-eval's summary.md?" >&2
  exit 2
fi

body=$(mktemp)
trap 'rm -f "$body"' EXIT
cat "$summary" > "$body"
if [ -n "$link" ]; then
  printf '\n[Download report.html](%s)\n' "$link" >> "$body"
fi

# The newest comment of a bot that carries the marker (a person quoting it is left alone).
existing=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
  --jq ".[] | select(.user.type == \"Bot\" and (.body | contains(\"$marker\"))) | .id" | tail -n 1)

if [ -n "$existing" ]; then
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" -F "body=@$body" > /dev/null
  echo "updated comment $existing on #$PR_NUMBER"
else
  gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" -F "body=@$body" > /dev/null
  echo "posted a comment on #$PR_NUMBER"
fi
