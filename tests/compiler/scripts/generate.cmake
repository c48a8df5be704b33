# Generates the code of every golden input into one folder, for the compile
# tests: cmake -DTACTC=<path> -DGEN=<dir> -DINPUTS=<a.actor;b.actor> -P generate.cmake
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE ${GEN})
file(MAKE_DIRECTORY ${GEN})
set(failed "")
foreach(input IN LISTS INPUTS)
  get_filename_component(dir ${input} DIRECTORY)
  get_filename_component(name ${input} NAME)
  execute_process(COMMAND ${TACTC} -o ${GEN} ${name} WORKING_DIRECTORY ${dir}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 30)
  if(NOT rc EQUAL 0)
    string(APPEND failed "tactc ${input} failed (${rc}):\n${out}${err}\n")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "${failed}")
endif()
