# tact_generate(TARGET <target> FILES <x.actor>... [IMPORT_DIRS <dir>...] [OUT_DIR <dir>]
#               [LIBRARY <libtact target>])
#
# Generates C from .actor files at build time and adds it to <target>: for
# each x.actor, tactc writes x.tact.h, x.tact.c and x.proto, and protoc-c turns
# x.proto into x.pb-c.h and x.pb-c.c (the protobuf-c message structs). The
# folder holding them goes on <target>'s include path, and <target> links
# libtact: tact::tact, or the target named by LIBRARY (tact::tact_static for
# the static library of an installed tact; in the tact tree tact::tact is
# already the static one). Editing an .actor file, or any file it imports (tactc writes a
# make-style dependency file), regenerates what depends on it.
#
# TACT_TACTC names the tactc executable (a target name or a path); the tact
# project and its installed CMake package (tactConfig.cmake: tact::tactc) set it.
# TACT_PROTOC_C names protoc-c; found on the PATH if unset.
function(tact_generate)
  cmake_parse_arguments(TG "" "TARGET;OUT_DIR;LIBRARY" "FILES;IMPORT_DIRS" ${ARGN})
  if(NOT TG_TARGET OR NOT TG_FILES)
    message(FATAL_ERROR "tact_generate: TARGET and FILES are required")
  endif()
  if(TG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tact_generate: unknown arguments: ${TG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TG_OUT_DIR)
    set(TG_OUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/tact_gen/${TG_TARGET})
  endif()
  file(MAKE_DIRECTORY ${TG_OUT_DIR})
  # A project that pulls tact in with add_subdirectory() does not see the
  # variable set in tact's scope, but the target is global.
  set(tactc ${TACT_TACTC})
  if(NOT tactc)
    if(TARGET tactc)
      set(tactc tactc)
    elseif(TARGET tact::tactc)
      set(tactc tact::tactc)
    else()
      message(FATAL_ERROR "tact_generate: no tactc (set TACT_TACTC)")
    endif()
  endif()
  if(NOT TACT_PROTOC_C)
    find_program(TACT_PROTOC_C protoc-c REQUIRED)
  endif()

  set(include_flags)
  foreach(dir IN LISTS TG_IMPORT_DIRS)
    get_filename_component(dir ${dir} ABSOLUTE)
    list(APPEND include_flags -I ${dir})
  endforeach()

  foreach(file IN LISTS TG_FILES)
    get_filename_component(src ${file} ABSOLUTE)
    get_filename_component(stem ${file} NAME_WLE)
    set(base ${TG_OUT_DIR}/${stem})
    add_custom_command(
      OUTPUT ${base}.tact.h ${base}.tact.c ${base}.proto ${base}.pb-c.h ${base}.pb-c.c
      # tactc also writes the .proto of every file x.actor imports, so protoc-c
      # finds them whatever order a parallel build runs the commands in.
      COMMAND ${tactc} ${include_flags} -o ${TG_OUT_DIR} -M ${base}.d ${src}
      COMMAND ${TACT_PROTOC_C} --c_out=${TG_OUT_DIR} -I${TG_OUT_DIR} ${base}.proto
      DEPENDS ${src} ${tactc}
      DEPFILE ${base}.d
      WORKING_DIRECTORY ${TG_OUT_DIR}
      COMMENT "Generating C from ${file}"
      VERBATIM)
    target_sources(${TG_TARGET} PRIVATE ${base}.tact.c ${base}.pb-c.c ${base}.tact.h)
  endforeach()
  target_include_directories(${TG_TARGET} PUBLIC ${TG_OUT_DIR})
  if(NOT TG_LIBRARY)
    set(TG_LIBRARY tact::tact)
  endif()
  target_link_libraries(${TG_TARGET} PUBLIC ${TG_LIBRARY})
endfunction()
