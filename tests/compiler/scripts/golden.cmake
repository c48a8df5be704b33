# Golden tests of tactc's output, run with cmake -P.
#
#   -DMODE=check        runs tactc on INPUT into WORK and compares every file
#                       byte for byte with EXPECTED_DIR/<stem>.*; no file may be
#                       missing or extra.
#   -DMODE=determinism  runs tactc on every input of INPUT_DIR twice (the
#                       second time from another folder, by absolute path,
#                       with MALLOC_PERTURB_ set) and compares the two runs.
#   -DMODE=regen        rewrites EXPECTED_DIR from INPUT_DIR (what the target
#                       golden_regen runs).
# Always: -DTACTC=<path> -DWORK=<scratch folder>.
cmake_minimum_required(VERSION 3.20)

set(EMIT c,proto,dot)

function(run_tactc outdir input workdir)
  file(REMOVE_RECURSE ${outdir})
  file(MAKE_DIRECTORY ${outdir})
  execute_process(COMMAND ${TACTC} --emit ${EMIT} -o ${outdir} ${input}
                  WORKING_DIRECTORY ${workdir}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                  TIMEOUT 30)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "tactc ${input} failed (${rc}):\n${out}${err}")
  endif()
  if(NOT "${err}" STREQUAL "")
    message(FATAL_ERROR "tactc ${input} succeeded but wrote to stderr:\n${err}")
  endif()
endfunction()

# Compares every file of dir a with dir b (both ways); lists the differences.
function(compare_dirs a b what result_var)
  file(GLOB fa RELATIVE ${a} ${a}/*)
  file(GLOB fb RELATIVE ${b} ${b}/*)
  list(SORT fa)
  list(SORT fb)
  set(problems "")
  if(NOT "${fa}" STREQUAL "${fb}")
    string(APPEND problems "  files differ: ${what}: [${fa}] vs [${fb}]\n")
  endif()
  foreach(f IN LISTS fa)
    if(NOT EXISTS ${b}/${f})
      continue()
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${a}/${f} ${b}/${f}
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      string(APPEND problems "  ${f} differs\n")
      find_program(DIFF diff)
      if(DIFF)
        execute_process(COMMAND ${DIFF} -u ${a}/${f} ${b}/${f} OUTPUT_VARIABLE d)
        string(LENGTH "${d}" len)
        if(len GREATER 6000)
          string(SUBSTRING "${d}" 0 6000 d)
          string(APPEND d "\n[... diff cut ...]\n")
        endif()
        string(APPEND problems "${d}")
      endif()
    endif()
  endforeach()
  set(${result_var} "${problems}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "check")
  get_filename_component(stem ${INPUT} NAME_WLE)
  get_filename_component(dir ${INPUT} DIRECTORY)
  set(got ${WORK}/got)
  set(want ${WORK}/want)
  run_tactc(${got} ${stem}.actor ${dir})
  # tactc also writes the .proto of each imported file (protoc-c needs them);
  # those are compared by the imported file's own golden test.
  file(GLOB imported LIST_DIRECTORIES false ${got}/*)
  foreach(f IN LISTS imported)
    get_filename_component(name ${f} NAME)
    if(NOT name MATCHES "^${stem}\\.")
      file(REMOVE ${f})
    endif()
  endforeach()
  file(REMOVE_RECURSE ${want})
  file(GLOB expected ${EXPECTED_DIR}/${stem}.*)
  if(NOT expected)
    message(FATAL_ERROR "no expected files ${EXPECTED_DIR}/${stem}.*: run the golden_regen target")
  endif()
  file(COPY ${expected} DESTINATION ${want})
  compare_dirs(${want} ${got} "expected vs generated" problems)
  if(problems)
    message(FATAL_ERROR "${INPUT}: output differs from the golden files "
                        "(if the change is intended, run the golden_regen target):\n${problems}")
  endif()
elseif(MODE STREQUAL "determinism")
  file(GLOB inputs ${INPUT_DIR}/*.actor)
  foreach(input IN LISTS inputs)
    get_filename_component(stem ${input} NAME_WLE)
    run_tactc(${WORK}/one/${stem} ${stem}.actor ${INPUT_DIR})
    file(MAKE_DIRECTORY ${WORK}/elsewhere)
    set(ENV{MALLOC_PERTURB_} 165)
    run_tactc(${WORK}/two/${stem} ${input} ${WORK}/elsewhere)
    unset(ENV{MALLOC_PERTURB_})
    compare_dirs(${WORK}/one/${stem} ${WORK}/two/${stem} "run 1 vs run 2" problems)
    if(problems)
      message(FATAL_ERROR "${input}: two runs of tactc differ:\n${problems}")
    endif()
  endforeach()
elseif(MODE STREQUAL "regen")
  file(GLOB inputs ${INPUT_DIR}/*.actor)
  file(GLOB old ${EXPECTED_DIR}/*)
  if(old)
    file(REMOVE ${old})
  endif()
  foreach(input IN LISTS inputs)
    get_filename_component(stem ${input} NAME_WLE)
    run_tactc(${WORK}/regen/${stem} ${stem}.actor ${INPUT_DIR})
    file(GLOB made ${WORK}/regen/${stem}/*)
    file(COPY ${made} DESTINATION ${EXPECTED_DIR})
    message(STATUS "golden: ${stem}")
  endforeach()
else()
  message(FATAL_ERROR "MODE must be check, determinism or regen")
endif()
