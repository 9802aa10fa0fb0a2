# Test discovery by convention, so a new test needs no edit here:
#   tests/unit/test_<name>.c     cmocka unit test linked against the library
#   tests/cli/test_<name>.sh     shell test given IL_BIN, IL_SOURCE_DIR, IL_BUILD_DIR, IL_SHARED_DIR
#   tests/integration/test_<name>.py  python3 test, same environment
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
find_program(PYTHON3 python3 REQUIRED)

set(IL_TEST_ENV
  "IL_BIN=$<TARGET_FILE:inspector-ledger>"
  "IL_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
  "IL_BUILD_DIR=${CMAKE_BINARY_DIR}"
  "IL_SHARED_DIR=${IL_SHARED_DIR}"
  "IL_TEST_OUT=${CMAKE_BINARY_DIR}/test-output"
  "IL_TOOLS_DIR=${CMAKE_BINARY_DIR}/tools"
  # The default credential chain ends with EC2 instance metadata (169.254.169.254): tests stay on loopback, so it is
  # off unless a test points AWS_EC2_METADATA_SERVICE_ENDPOINT at the fake and sets this to false itself.
  "AWS_EC2_METADATA_DISABLED=true"
  # A guard, not a feature: a test that slips onto a public endpoint meets a loopback port nothing listens on and
  # fails at once instead of contacting AWS; the fake on 127.0.0.1 is reached directly (libcurl reads only the
  # lower-case http_proxy). Tests that record endpoints set their own proxy over these.
  "HTTPS_PROXY=http://127.0.0.1:9" "https_proxy=http://127.0.0.1:9"
  "HTTP_PROXY=http://127.0.0.1:9" "http_proxy=http://127.0.0.1:9"
  "NO_PROXY=127.0.0.1,localhost,::1" "no_proxy=127.0.0.1,localhost,::1"
  "NO_COLOR=1")

file(GLOB IL_UNIT_TESTS CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/unit/test_*.c")
foreach(src ${IL_UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_include_directories(${name} PRIVATE "${CMAKE_SOURCE_DIR}/src" "${CMAKE_SOURCE_DIR}/tests/unit")
  target_compile_options(${name} PRIVATE ${IL_WARNINGS})
  target_link_libraries(${name} PRIVATE il PkgConfig::CMOCKA)
  add_test(NAME unit.${name} COMMAND ${name} WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}")
  set_tests_properties(unit.${name} PROPERTIES ENVIRONMENT "${IL_TEST_ENV}" TIMEOUT 600 SKIP_RETURN_CODE 77)
endforeach()

file(GLOB IL_CLI_TESTS CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/cli/test_*.sh")
foreach(src ${IL_CLI_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_test(NAME cli.${name} COMMAND bash ${src} WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}")
  set_tests_properties(cli.${name} PROPERTIES ENVIRONMENT "${IL_TEST_ENV}" TIMEOUT 900 SKIP_RETURN_CODE 77)
endforeach()

file(GLOB IL_PY_TESTS CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/integration/test_*.py")
foreach(src ${IL_PY_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_test(NAME integration.${name} COMMAND ${PYTHON3} ${src} WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}")
  set_tests_properties(integration.${name} PROPERTIES ENVIRONMENT "${IL_TEST_ENV}" TIMEOUT 900 SKIP_RETURN_CODE 77)
endforeach()

# tests/tools/<name>.c: small programs the script tests drive (e.g. a signer for the botocore differential test).
file(GLOB IL_TEST_TOOLS CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/tools/*.c")
foreach(src ${IL_TEST_TOOLS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_include_directories(${name} PRIVATE "${CMAKE_SOURCE_DIR}/src")
  target_compile_options(${name} PRIVATE ${IL_WARNINGS})
  target_link_libraries(${name} PRIVATE il)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tools")
endforeach()

# test_fuzz_regressions replays the fuzz inputs through the fuzz targets' own entry points: each tests/fuzz/fuzz_<name>.c
# is compiled in with LLVMFuzzerTestOneInput renamed to il_fuzz_<name>; fuzz_cli_opts needs the CLI's parsers.
if(TARGET test_fuzz_regressions)
  file(GLOB IL_FUZZ_REPLAY_SOURCES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_*.c")
  foreach(src ${IL_FUZZ_REPLAY_SOURCES})
    get_filename_component(name ${src} NAME_WE)
    string(REGEX REPLACE "^fuzz_" "" name ${name})
    set_source_files_properties(${src} TARGET_DIRECTORY test_fuzz_regressions PROPERTIES
      COMPILE_DEFINITIONS "LLVMFuzzerTestOneInput=il_fuzz_${name}")
  endforeach()
  set(IL_FUZZ_REPLAY_CLI ${IL_CLI_SOURCES})
  list(FILTER IL_FUZZ_REPLAY_CLI EXCLUDE REGEX "cli_main\\.c$")
  target_sources(test_fuzz_regressions PRIVATE ${IL_FUZZ_REPLAY_SOURCES} ${IL_FUZZ_REPLAY_CLI})
  target_include_directories(test_fuzz_regressions PRIVATE ${CURL_INCLUDE_DIRS})
endif()
