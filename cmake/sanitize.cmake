# TACT_SANITIZE=address: AddressSanitizer + UndefinedBehaviorSanitizer.
# TACT_SANITIZE=thread: ThreadSanitizer. Applied to every target of the build,
# and, through tact_sanitize_interface(), to every program that links libtact,
# in this tree or in a project that pulls tact in with add_subdirectory(): a
# sanitized libtact needs the sanitizer's runtime at link time, and TSan needs
# the whole program instrumented.
if(TACT_SANITIZE STREQUAL "address")
  set(_tact_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
elseif(TACT_SANITIZE STREQUAL "thread")
  set(_tact_san -fsanitize=thread -fno-omit-frame-pointer)
elseif(NOT TACT_SANITIZE STREQUAL "")
  message(FATAL_ERROR "TACT_SANITIZE must be address, thread or empty, not '${TACT_SANITIZE}'")
endif()
if(_tact_san)
  add_compile_options(${_tact_san})
  add_link_options(${_tact_san})
endif()

# Puts the sanitizer options on the interface of the given library targets.
function(tact_sanitize_interface)
  if(_tact_san)
    foreach(target IN LISTS ARGN)
      target_compile_options(${target} INTERFACE ${_tact_san})
      target_link_options(${target} INTERFACE ${_tact_san})
    endforeach()
  endif()
endfunction()
