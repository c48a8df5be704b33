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
expect_all_tactc() { ! grep -qv '^tactc: ' "$1" || { cat "$1" >&2; fail "$1 has lines that do not start with 'tactc: '"; }; }
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
  expect_all_tactc err.txt
  expect_in err.txt "^tactc: error: no input files"
  run -o out; expect_rc 2
  expect_no_outputs ;;
unknown_option)
  # Usage errors: one line that starts with "tactc:" (not getopt's argv[0]), status 2.
  run --no-such-option "$SRC/ok.actor"; expect_rc 2
  expect_all_tactc err.txt
  expect_in err.txt "^tactc: error: unknown option '--no-such-option'"
  run -Z "$SRC/ok.actor"; expect_rc 2
  expect_all_tactc err.txt
  expect_in err.txt "^tactc: error: unknown option '-Z'"
  run -o; expect_rc 2
  expect_all_tactc err.txt
  expect_in err.txt "^tactc: error: option '-o' needs an argument"
  run "$SRC/ok.actor" --emit; expect_rc 2
  expect_all_tactc err.txt
  expect_in err.txt "^tactc: error: option '--emit' needs an argument"
  for bad in x -1 +5 ' 5' 5x 99999999999 ''; do
    run --max-errors="$bad" "$SRC/ok.actor"; expect_rc 2
    expect_all_tactc err.txt
    expect_in err.txt "^tactc: error: --max-errors needs a count"
  done
  expect_no_outputs ;;
max_errors)
  # 100 errors: 20 shown by default, then one line saying it stopped.
  { echo 'package p;'; for i in $(seq 100); do echo '@'; done; } > many.actor
  run -o out many.actor; expect_rc 1
  [ "$(grep -c ': error: ' err.txt)" = 20 ] || { cat err.txt >&2; fail "not 20 errors by default"; }
  [ "$(tail -n 1 err.txt)" = "tactc: fatal error: too many errors (20), stopping now (--max-errors=N changes the limit, 0: none)" ] ||
    { tail -n 3 err.txt >&2; fail "no final line saying it stopped"; }
  run --max-errors=3 -o out many.actor; expect_rc 1
  [ "$(grep -c ': error: ' err.txt)" = 3 ] || { cat err.txt >&2; fail "--max-errors=3 did not stop at 3"; }
  expect_in err.txt 'too many errors (3)'
  run --max-errors=0 -o out many.actor; expect_rc 1
  [ "$(grep -c ': error: ' err.txt)" = 100 ] || fail "--max-errors=0 did not show all 100 errors"
  ! grep -q 'too many errors' err.txt || fail "--max-errors=0 still stopped"
  # The limit counts errors across files: the second file is not read after it.
  run --max-errors=100 -o out many.actor many.actor; expect_rc 1
  expect_no_outputs ;;
binary_input)
  # A 2 MB file of compressed bytes (no NUL: the not-UTF-8 test), the same with a
  # NUL byte, and 2 MB of it after a text header: one line for each of the first
  # two, the error limit for the third; each in well under a second
  # (shown, not asserted: the time would flake on a loaded machine).
  seq 1 1000000 | gzip -n -1 | tr -d '\000' | head -c 2000000 > noise.actor
  { head -c 1000 noise.actor; printf '\000'; cat noise.actor; } > nul.actor
  { echo 'package p;'; for i in $(seq 100); do echo "// line $i of a text header longer than the 4 KiB tactc looks at"; done
    cat noise.actor; } > tail.actor
  [ "$(stat -c %s noise.actor)" = 2000000 ] || fail "noise.actor is not 2 MB"
  for f in noise nul tail; do
    start=$(date +%s%N)
    run -o out $f.actor; expect_rc 1
    echo "$f.actor: $(( ($(date +%s%N) - start) / 1000000 )) ms, $(wc -l < err.txt) lines"
    expect_no_outputs
    case $f in
    noise) expect_in err.txt '^noise\.actor: error: not a text file ([0-9]* of its first 4096 bytes are not UTF-8 text, the first at offset [0-9]*)$'
           [ "$(wc -l < err.txt)" = 1 ] || fail "more than one line for noise.actor" ;;
    nul)   [ "$(cat err.txt)" = "nul.actor: error: not a text file (NUL byte at offset 1000)" ] ||
             { cat err.txt >&2; fail "nul.actor: not the one not-a-text-file line"; } ;;
    tail)  [ "$(grep -c ': error: ' err.txt)" = 20 ] || fail "tail.actor: not stopped at 20 errors"
           expect_in err.txt 'too many errors' ;;
    esac
  done ;;
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
