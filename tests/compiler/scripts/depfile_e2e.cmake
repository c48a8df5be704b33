# End-to-end test of tact_generate()'s dependency tracking, run with cmake -P:
# configures and builds depfile_project/ (app.actor imports types.actor),
# touches the imported file, rebuilds, and checks that app.actor's outputs
# were regenerated -- and that a rebuild with nothing touched does nothing.
#   -DTACT_SOURCE_DIR -DTACTC -DPROTOC_C -DINCLUDES=a|b -DWORK -DGENERATOR
cmake_minimum_required(VERSION 3.20)

set(src ${WORK}/src)
set(bin ${WORK}/build)
file(REMOVE_RECURSE ${WORK})
# A copy, so that touching an input does not touch the source tree.
file(COPY ${CMAKE_CURRENT_LIST_DIR}/../depfile_project/ DESTINATION ${src})
string(REPLACE "|" ";" incs "${INCLUDES}")

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                  TIMEOUT 300)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(out "${out}${err}" PARENT_SCOPE)
endfunction()

function(stamp var)
  set(s "")
  foreach(f app.tact.h app.tact.c app.pb-c.c types.tact.h types.pb-c.c)
    set(p ${bin}/tact_gen/generated/${f})
    if(NOT EXISTS ${p})
      message(FATAL_ERROR "not generated: ${p}")
    endif()
    # protoc-c always rewrites its outputs: their times tell whether the
    # command ran, where tactc's write-if-changed outputs may keep theirs.
    file(TIMESTAMP ${p} t "%s" UTC)
    list(APPEND s "${f}=${t}")
  endforeach()
  set(${var} "${s}" PARENT_SCOPE)
endfunction()

function(time_of list file var)
  foreach(e IN LISTS list)
    if(e MATCHES "^${file}=(.*)$")
      set(${var} ${CMAKE_MATCH_1} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "no time for ${file}")
endfunction()

step("configure" ${CMAKE_COMMAND} -S ${src} -B ${bin} -G ${GENERATOR}
     -DTACT_SOURCE_DIR=${TACT_SOURCE_DIR} -DTACT_TACTC=${TACTC} -DTACT_PROTOC_C=${PROTOC_C}
     "-DTACT_INCLUDE_DIRS=${incs}")
step("first build" ${CMAKE_COMMAND} --build ${bin})
stamp(t0)

# Timestamps have one-second resolution here: let a second pass.
execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 1.2)
step("rebuild with nothing changed" ${CMAKE_COMMAND} --build ${bin})
stamp(t1)
if(NOT "${t0}" STREQUAL "${t1}")
  message(FATAL_ERROR "a rebuild with nothing changed regenerated files:\n${t0}\n${t1}\n${out}")
endif()

file(TOUCH ${src}/types.actor)
step("rebuild after touching the imported types.actor" ${CMAKE_COMMAND} --build ${bin})
stamp(t2)
time_of("${t1}" app.pb-c.c before)
time_of("${t2}" app.pb-c.c after)
if(NOT after GREATER before)
  message(FATAL_ERROR "touching types.actor, which app.actor imports, did not regenerate "
                      "app.actor's outputs:\n${t1}\n${t2}\n${out}")
endif()
time_of("${t2}" types.pb-c.c after)
time_of("${t1}" types.pb-c.c before)
if(NOT after GREATER before)
  message(FATAL_ERROR "touching types.actor did not regenerate its own outputs")
endif()

# And an edit that changes the imported file's meaning must reach app's build.
execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 1.2)
file(APPEND ${src}/types.actor "\nmessage Extra {\n  int32 n = 1;\n}\n")
step("rebuild after editing types.actor" ${CMAKE_COMMAND} --build ${bin})
stamp(t3)
time_of("${t3}" app.pb-c.c after)
time_of("${t2}" app.pb-c.c before)
if(NOT after GREATER before)
  message(FATAL_ERROR "editing types.actor did not regenerate app.actor's outputs")
endif()
file(READ ${bin}/tact_gen/generated/types.proto p)
if(NOT p MATCHES "message Extra")
  message(FATAL_ERROR "types.proto was not regenerated after an edit")
endif()
message(STATUS "tact_generate() tracks imports")
