#!/bin/bash
# Command-line tests of tactc: cli.sh TACTC CLI_DIR WORK CASE
# CLI_DIR holds the inputs (tests/compiler/cli); WORK is a scratch folder.
set -u
TACTC=$1 SRC=$2 WORK=$3 CASE=$4
rm -rf "$WORK" && mkdir -p "$WORK/out" || exit 1
cd "$WORK" || exit 1

fail() { echo "FAIL [$CASE]: $*" >&2; exit 1; }
# run ARGS...: runs tactc, sets rc, and leaves stdout/stderr in out.txt/err.txt
run() { "$TACTC" "$@" >out.txt 2>err.txt; rc=$?; }
expect_rc() { [ "$rc" = "$1" ] || { cat out.txt err.txt >&2; fail "exit status $rc, expected $1"; }; }
expect_in() { grep -q -e "$2" "$1" || { cat "$1" >&2; fail "$1 lacks /$2/"; }; }
expect_empty() { [ ! -s "$1" ] || { cat "$1" >&2; fail "$1 is not empty"; }; }
expect_no_outputs() { [ -z "$(ls -A out)" ] || fail "files were written: $(ls out)"; }
mtime() { stat -c %Y "$1"; }

case $CASE in
help)
  for opt in --help -h; do
    run $opt; expect_rc 0
    expect_in out.txt '^usage: tactc '
    expect_in out.txt -- '--emit'
    expect_empty err.txt
  done ;;
version)
  run --version; expect_rc 0
  grep -Eq '^tactc [0-9]+\.[0-9]+\.[0-9]+$' out.txt || { cat out.txt; fail "bad version line"; }
  expect_empty err.txt ;;
no_input)
  run; expect_rc 2
  expect_in err.txt 'no input'
  expect_in err.txt '^usage: tactc'
  run -o out; expect_rc 2
  expect_no_outputs ;;
unknown_option)
  run --no-such-option "$SRC/ok.actor"; expect_rc 2
  expect_in err.txt 'usage: tactc'
  run -Z "$SRC/ok.actor"; expect_rc 2
  run -o; expect_rc 2
  expect_no_outputs ;;
bad_emit)
  for e in java c,java C; do
    run --emit "$e" -o out "$SRC/ok.actor"; expect_rc 2
    expect_in err.txt 'error'
    expect_no_outputs
  done ;;
emit_kinds)
  run -o out "$SRC/ok.actor"; expect_rc 0
  [ "$(ls out | tr '\n' ' ')" = "ok.proto ok.tact.c ok.tact.h " ] || fail "default --emit wrote: $(ls out)"
  rm -f out/*
  run --emit dot -o out "$SRC/ok.actor"; expect_rc 0
  [ "$(ls out)" = "ok.dot" ] || fail "--emit dot wrote: $(ls out)"
  rm -f out/*
  run --emit proto,c,proto -o out "$SRC/ok.actor"; expect_rc 0
  [ "$(ls out | tr '\n' ' ')" = "ok.proto ok.tact.c ok.tact.h " ] || fail "--emit proto,c,proto wrote: $(ls out)" ;;
bad_emit_empty)
  # An empty list is bad usage too, and says so.
  for e in '' , ,,; do
    run --emit "$e" -o out "$SRC/ok.actor"; expect_rc 2
    expect_in err.txt 'error'
    expect_no_outputs
  done ;;
missing_file)
  run -o out nosuch.actor; expect_rc 1
  expect_in err.txt 'nosuch.actor'
  expect_in err.txt 'error'
  expect_no_outputs ;;
missing_outdir)
  # tactc creates the output folder, as mkdir -p would.
  run -o out/not/there "$SRC/ok.actor"; expect_rc 0
  [ -f out/not/there/ok.tact.h ] || fail "out/not/there/ok.tact.h was not written" ;;
error_input)
  cp "$SRC/bad.actor" "$SRC/ok.actor" .
  run -o out bad.actor; expect_rc 1
  expect_empty out.txt
  # gcc style: the location line, the source line, a caret under the column.
  head -n 3 err.txt > first.txt
  printf '%s\n' "bad.actor:5:3: error: unknown type 'Nowhere'" \
                "  Nowhere y = 2;" "  ^" > want.txt
  if ! sed -n 1p err.txt | grep -q '^bad\.actor:5:3: error: '; then cat err.txt >&2; fail "no 'bad.actor:5:3: error:' first line"; fi
  [ "$(sed -n 2p err.txt)" = "  Nowhere y = 2;" ] || { cat err.txt >&2; fail "line 2 is not the source line"; }
  [ "$(sed -n 3p err.txt)" = "  ^" ] || { cat -A err.txt >&2; fail "line 3 is not a caret under column 3"; }
  expect_no_outputs
  # A good file beside a bad one: still nothing is written.
  run -o out ok.actor bad.actor; expect_rc 1
  expect_no_outputs ;;
depfile)
  # Absolute paths in, absolute paths out; the import beside and the one via -I.
  run -I "$SRC/inc" -o "$WORK/out" -M "$WORK/deps.d" "$SRC/main.actor"; expect_rc 0
  cat deps.d
  tr -d '\\\n' < deps.d | tr -s ' ' '\n' > words.txt
  for w in "$WORK/out/main.tact.h" "$WORK/out/main.tact.c" "$WORK/out/main.proto" \
           "$SRC/main.actor" "$SRC/sub/near.actor" "$SRC/inc/far.actor"; do
    grep -qxF -e "$w" -e "$w:" words.txt || fail "deps.d lacks $w"
  done
  grep -q "^$WORK/out/main.tact.h .*:" deps.d || fail "deps.d's first line is not the rule's targets"
  # make must read it: a rule whose prerequisites all exist.
  if command -v make >/dev/null; then
    printf 'include deps.d\n' > Makefile
    make -q -f Makefile "$WORK/out/main.tact.h" 2>make.err; [ $? -le 1 ] || { cat make.err; fail "make cannot read deps.d"; }
  fi ;;
include_dir)
  run -o out "$SRC/main.actor"; expect_rc 1
  expect_in err.txt 'far.actor'
  run -I "$SRC/inc" -o out "$SRC/main.actor"; expect_rc 0
  expect_in out/main.proto 'import "far.proto";'
  expect_in out/main.tact.h '#include "far.tact.h"' ;;
unchanged)
  cp "$SRC/ok.actor" .
  run -M deps.d -o out ok.actor; expect_rc 0
  touch -d '2001-01-01 00:00:00' out/* deps.d
  old=$(mtime out/ok.tact.h)
  run -M deps.d -o out ok.actor; expect_rc 0
  for f in out/* deps.d; do
    [ "$(mtime "$f")" = "$old" ] || fail "$f was rewritten though unchanged"
  done
  # A change is written.
  sed -i 's/int32 x = 1;/int32 x = 1;\n  int32 z = 2;/' ok.actor
  run -M deps.d -o out ok.actor; expect_rc 0
  # (the header only names the message: it does not change)
  [ "$(mtime out/ok.proto)" != "$old" ] || fail "ok.proto was not rewritten after a change"
  [ "$(mtime out/ok.tact.h)" = "$old" ] || fail "ok.tact.h was rewritten though unchanged"
  expect_in out/ok.proto 'int32 z = 2;' ;;
*)
  fail "unknown case" ;;
esac
echo "PASS [$CASE]"
