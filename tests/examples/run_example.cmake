# Runs an example and compares its stdout with the expected text, byte for
# byte: cmake -DEXE=<program> -DEXPECTED=<expected.txt> -P run_example.cmake
cmake_minimum_required(VERSION 3.20)
if(NOT EXISTS "${EXPECTED}")
  message(FATAL_ERROR "no expected output ${EXPECTED}")
endif()
execute_process(COMMAND ${EXE} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                TIMEOUT 50)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} exited with ${rc}\nstdout:\n${out}\nstderr:\n${err}")
endif()
file(READ ${EXPECTED} want)
if(NOT "${out}" STREQUAL "${want}")
  get_filename_component(dir ${EXE} DIRECTORY)
  file(WRITE ${dir}/actual_output.txt "${out}")
  find_program(DIFF diff)
  set(d "")
  if(DIFF)
    execute_process(COMMAND ${DIFF} -u ${EXPECTED} ${dir}/actual_output.txt OUTPUT_VARIABLE d)
  endif()
  message(FATAL_ERROR "${EXE}: output differs from ${EXPECTED}:\n${d}\n"
                      "expected:\n${want}\ngot:\n${out}\nstderr:\n${err}")
endif()
