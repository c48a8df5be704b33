# Install rules and the packages users find tact through (included by the root
# CMakeLists.txt when TACT_INSTALL is on):
#
#   bin/tactc
#   lib/libtact.a, lib/libtact.so -> libtact.so.0.1 -> libtact.so.0.1.0
#   include/tact/*.h
#   lib/cmake/tact/   find_package(tact): tact::tact (shared), tact::tact_static,
#                     tact::tactc, and tact_generate() running the installed tactc
#   lib/pkgconfig/tact.pc
#
# (lib is CMAKE_INSTALL_LIBDIR.) Everything is relative to the prefix, so
# `cmake --install build --prefix DIR` may pick any prefix at install time.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TACT_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/tact
    CACHE STRING "Where the CMake package of tact is installed, relative to the prefix")
mark_as_advanced(TACT_INSTALL_CMAKEDIR)

set_target_properties(tactc PROPERTIES EXPORT_NAME tactc)

install(TARGETS tact tact_shared tactc
  EXPORT tactTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tact
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT tact NAMELINK_COMPONENT tact
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT tact
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/tact
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT tact
  FILES_MATCHING PATTERN "*.h")

# -- CMake package ------------------------------------------------------------
install(EXPORT tactTargets
  NAMESPACE tact::
  FILE tactTargets.cmake
  DESTINATION ${TACT_INSTALL_CMAKEDIR} COMPONENT tact)
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/tactConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/tactConfig.cmake
  INSTALL_DESTINATION ${TACT_INSTALL_CMAKEDIR})
# 0.x: any minor release may break compatibility, so 0.1.y only satisfies 0.1.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cmake/tactConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/cmake/tactConfig.cmake
  ${PROJECT_BINARY_DIR}/cmake/tactConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/tact.cmake
  DESTINATION ${TACT_INSTALL_CMAKEDIR} COMPONENT tact)

# -- pkg-config -----------------------------------------------------------------
# Written at install time, so that the paths in it are those of the prefix
# actually installed to (`cmake --install --prefix` may differ from the
# configured CMAKE_INSTALL_PREFIX).
set(TACT_PC_IN ${CMAKE_CURRENT_LIST_DIR}/tact.pc.in)
set(TACT_PC_OUT ${PROJECT_BINARY_DIR}/cmake/tact.pc)
install(CODE "
  set(PROJECT_VERSION [[${PROJECT_VERSION}]])
  set(PROJECT_DESCRIPTION [[${PROJECT_DESCRIPTION}]])
  set(TACT_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(TACT_PC_LIBDIR [[${CMAKE_INSTALL_LIBDIR}]])
  set(TACT_PC_INCLUDEDIR [[${CMAKE_INSTALL_INCLUDEDIR}]])
  set(TACT_PC_BINDIR [[${CMAKE_INSTALL_BINDIR}]])
  foreach(dir LIBDIR INCLUDEDIR BINDIR)
    if(NOT IS_ABSOLUTE \"\${TACT_PC_\${dir}}\")
      set(TACT_PC_\${dir} \"\\\${prefix}/\${TACT_PC_\${dir}}\")
    endif()
  endforeach()
  configure_file([[${TACT_PC_IN}]] [[${TACT_PC_OUT}]] @ONLY)
" COMPONENT tact)
install(FILES ${TACT_PC_OUT}
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT tact)
