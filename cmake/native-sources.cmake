# The addon's sources are listed once, in binding.gyp's "sources" (which is why binding.gyp is kept
# strict JSON: no comments, double quotes). CMakeLists.txt includes this file to compile the same
# list; `cmake -P cmake/native-sources.cmake` prints it (test/native/build-sources.test.ts compares
# that list with binding.gyp and with native/*.cc).
cmake_minimum_required(VERSION 3.19)
get_filename_component(BLASNET_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
file(READ "${BLASNET_ROOT}/binding.gyp" blasnet_gyp)
string(JSON blasnet_source_count LENGTH "${blasnet_gyp}" targets 0 sources)
math(EXPR blasnet_source_last "${blasnet_source_count} - 1")
set(BLASNET_SOURCES "")
foreach(i RANGE ${blasnet_source_last})
  string(JSON blasnet_source GET "${blasnet_gyp}" targets 0 sources ${i})
  list(APPEND BLASNET_SOURCES "${BLASNET_ROOT}/${blasnet_source}")
  if(CMAKE_SCRIPT_MODE_FILE)
    message("${blasnet_source}")
  endif()
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${BLASNET_ROOT}/binding.gyp")
