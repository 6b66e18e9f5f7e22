# ctest `formatted` (label unit): every C++ file of the project is formatted by .clang-format.
#   cmake -DCLANG_FORMAT=<path> -DSOURCE=<project dir> -P formatted.cmake
# Fix with: git ls-files '*.cpp' '*.h' | xargs clang-format -i
if(NOT CLANG_FORMAT)
    message(FATAL_ERROR "clang-format is not installed (installer/dev.sh deps installs it)")
endif()
set(files)
foreach(dir app core ui tests)
    file(GLOB_RECURSE found ${SOURCE}/${dir}/*.cpp ${SOURCE}/${dir}/*.h)
    list(APPEND files ${found})
endforeach()
list(LENGTH files count)
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror --style=file ${files}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    string(REGEX MATCHALL "[^\n]*: error: code should be clang-formatted[^\n]*" bad "${err}")
    list(LENGTH bad nbad)
    string(REPLACE ";" "\n" bad "${bad}")
    message(FATAL_ERROR "${nbad} places are not formatted:\n${bad}\n"
                        "Fix with: git ls-files '*.cpp' '*.h' | xargs clang-format -i")
endif()
message(STATUS "${count} files formatted")
