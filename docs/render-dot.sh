#!/bin/sh
# Renders tactc's Graphviz output (`tactc --emit dot`) as a PNG.
#
#   docs/render-dot.sh TACTC FILE.actor OUT.png [-I DIR]...
#   docs/render-dot.sh TACTC            # redraws docs/language-example.png
#
# TACTC is the tactc to run (e.g. build/compiler/tactc). With no .actor file it
# draws the bank example of docs/language.md (bank.actor and the money.actor it
# imports, written to a temporary folder). Needs Graphviz's `dot`
# (apt-get install graphviz).
set -eu

if [ $# -lt 1 ]; then
    sed -n '2,10p' "$0" >&2
    exit 2
fi
tactc=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -eq 0 ]; then
    here=$(cd "$(dirname "$0")" && pwd)
    out=$here/language-example.png
    cat >"$tmp/money.actor" <<'EOF'
package money;

enum Currency {
  CURRENCY_UNSPECIFIED = 0;
  EUR = 1;
  USD = 2;
}

message Money {
  int64 cents = 1;
  Currency currency = 2;
}
EOF
    cat >"$tmp/bank.actor" <<'EOF'
package bank;

import "money.actor";

/// One line of a statement.
message Entry {
  money.Money amount = 1;
  optional string memo = 2;
  repeated string tags = 3;
  Account counterparty = 4;
}

message Statement {
  string owner = 1;
  repeated Entry entries = 2;
}

enum Kind {
  KIND_UNSPECIFIED = 0;
  CHECKING = 1;
  SAVINGS = 2;
}

/// Keeps one account's balance.
actor Account(string owner, Kind kind) {
  ask deposit(money.Money amount, optional string memo) -> int64;
  ask withdraw(int64 cents) -> int64;
  ask statement() -> Statement;
  ask close();
  tell audit(string line);
  property int64 overdraft_limit;
}
EOF
    set -- "$tmp/bank.actor"
else
    [ $# -ge 2 ] || { echo "usage: $0 TACTC FILE.actor OUT.png [-I DIR]..." >&2; exit 2; }
    src=$1
    out=$2
    shift 2
    set -- "$@" "$src"
fi

"$tactc" --emit dot -o "$tmp" "$@"
for f in "$tmp"/*.dot; do
    dot -Tpng -o "$out" "$f"
done
echo "wrote $out"
