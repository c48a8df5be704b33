# TACT_SANITIZE=address: AddressSanitizer + UndefinedBehaviorSanitizer.
# TACT_SANITIZE=thread: ThreadSanitizer. Applied to every target of the build.
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
