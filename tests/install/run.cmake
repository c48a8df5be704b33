# The install test (see CMakeLists.txt). Steps, each fatal on failure:
#   1. cmake --install BUILD_DIR --prefix WORK/prefix, and check what is there;
#   2. copy tests/install/project to WORK/project (outside the tact tree's
#      reach: only the prefix leads back to tact);
#   3. CMake: configure with CMAKE_PREFIX_PATH=WORK/prefix, build, run app
#      (tact::tact, shared) and app_static (tact::tact_static);
#   4. make with PKG_CONFIG_PATH=WORK/prefix/LIBDIR/pkgconfig, run its app.
# Every program's output must equal project/expected.txt.
foreach(var BUILD_DIR PROJECT_DIR WORK GENERATOR CC MAKE PKG_CONFIG LIBDIR SOVERSION)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run.cmake: ${var} is not set")
  endif()
endforeach()

set(prefix ${WORK}/prefix)
set(src ${WORK}/project)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

# -- 1. install ----------------------------------------------------------------
set(config_args)
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} ${config_args})

set(expect_files
  bin/tactc
  include/tact/tact.h include/tact/actor.h include/tact/future.h include/tact/pb.h
  ${LIBDIR}/libtact.a
  ${LIBDIR}/libtact.so
  ${LIBDIR}/libtact.so.${SOVERSION}
  ${LIBDIR}/cmake/tact/tactConfig.cmake
  ${LIBDIR}/cmake/tact/tactConfigVersion.cmake
  ${LIBDIR}/cmake/tact/tactTargets.cmake
  ${LIBDIR}/cmake/tact/tact.cmake
  ${LIBDIR}/pkgconfig/tact.pc)
foreach(f IN LISTS expect_files)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${prefix}/${f}")
  endif()
endforeach()
message(STATUS "installed into ${prefix}")

find_program(READELF readelf)
# Checks that the program at exe does (want=1) or does not (want=0) load libtact.so.
function(check_needed exe want)
  if(NOT READELF)
    return()
  endif()
  run("readelf ${exe}" ${READELF} -d ${exe})
  string(FIND "${run_out}" "[libtact.so.${SOVERSION}]" at)
  if(want AND at EQUAL -1)
    message(FATAL_ERROR "${exe} does not load libtact.so.${SOVERSION}:\n${run_out}")
  elseif(NOT want AND NOT at EQUAL -1)
    message(FATAL_ERROR "${exe} loads libtact.so although linked statically:\n${run_out}")
  endif()
endfunction()

file(READ ${PROJECT_DIR}/expected.txt expected)
function(check_output what exe)
  run("${what}" ${exe})
  if(NOT run_out STREQUAL expected)
    message(FATAL_ERROR "${what}: output differs\n--- expected\n${expected}--- got\n${run_out}")
  endif()
  message(STATUS "${what}: output as expected")
endfunction()

# -- 2. the project, away from the tree -----------------------------------------
file(COPY ${PROJECT_DIR}/ DESTINATION ${src})

# -- 3. CMake: find_package(tact) ------------------------------------------------
set(cmake_args -S ${src} -B ${WORK}/cmake-build -G ${GENERATOR}
    -DCMAKE_C_COMPILER=${CC}
    -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
    "-DCMAKE_C_FLAGS=${EXTRA_CFLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${EXTRA_CFLAGS}")
if(MAKE_PROGRAM)
  list(APPEND cmake_args -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
run("configuring the CMake project" ${CMAKE_COMMAND} ${cmake_args})
string(FIND "${run_out}" "tact_DIR: ${prefix}/" at)
if(at EQUAL -1)
  message(FATAL_ERROR "find_package(tact) did not find the test prefix:\n${run_out}")
endif()
run("building the CMake project" ${CMAKE_COMMAND} --build ${WORK}/cmake-build ${config_args})
set(bin ${WORK}/cmake-build)
if(EXISTS ${bin}/${CONFIG}/app)
  set(bin ${bin}/${CONFIG})
endif()
check_output("CMake app (tact::tact)" ${bin}/app)
check_needed(${bin}/app 1)
check_output("CMake app_static (tact::tact_static)" ${bin}/app_static)
check_needed(${bin}/app_static 0)

# -- 4. pkg-config + make --------------------------------------------------------
run("make" ${CMAKE_COMMAND} -E env
    PKG_CONFIG_PATH=${prefix}/${LIBDIR}/pkgconfig
    ${MAKE} -C ${src} OUT=${WORK}/make-build CC=${CC} PKG_CONFIG=${PKG_CONFIG}
    "CFLAGS=-O2 ${EXTRA_CFLAGS}")
check_output("make app (pkg-config tact)" ${WORK}/make-build/app)
check_needed(${WORK}/make-build/app 1)
