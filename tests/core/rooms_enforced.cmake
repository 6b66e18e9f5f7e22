# ctest `rooms_enforced` (label unit): the build enforces the room map of core/CMakeLists.txt.
# For every room R and every other room S, a file of R that includes a header of S is compiled
# with R's include path (build/core/rooms/R): it must fail with "No such file or directory"
# exactly when R may not use S, and find the header when it may (preprocessing only). The header
# probed is S's front header (engine/engine.h) or its first: a room's internal headers may use
# rooms that the rooms above it do not see (engine/enginecore.h includes runners/).
#   cmake -DCXX=... -DSOURCE=<core dir> -DVIEWS=<build/core/rooms> -DROOMS="a;b" -DQT_INCLUDES="..."
#         -DUSES_<room>="..." -P rooms_enforced.cmake
# Lists arrive with "," (a ";" would split the command line).
foreach(var ROOMS QT_INCLUDES)
    string(REPLACE "," ";" ${var} "${${var}}")
endforeach()
foreach(room IN LISTS ROOMS)
    string(REPLACE "," ";" USES_${room} "${USES_${room}}")
endforeach()
set(failures)
set(checked 0)
set(probe_dir ${VIEWS}/../room-probes)
file(MAKE_DIRECTORY ${probe_dir})
foreach(room IN LISTS ROOMS)
    set(allowed ${USES_${room}} ${room})
    foreach(other IN LISTS ROOMS)
        # The room's front header (engine/engine.h), else its first one.
        if(EXISTS ${SOURCE}/${other}/${other}.h)
            set(name ${other}.h)
        else()
            file(GLOB headers ${SOURCE}/${other}/*.h)
            list(SORT headers)
            list(GET headers 0 header)
            get_filename_component(name ${header} NAME)
        endif()
        set(probe ${probe_dir}/${room}_uses_${other}.cpp)
        file(WRITE ${probe} "#include \"${other}/${name}\"\n")
        set(qt_flags)
        foreach(dir IN LISTS QT_INCLUDES)
            list(APPEND qt_flags -isystem ${dir})
        endforeach()
        execute_process(COMMAND ${CXX} -std=c++20 -E -o /dev/null -I${VIEWS}/${room} ${qt_flags} ${probe}
                        RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
        math(EXPR checked "${checked} + 1")
        list(FIND allowed ${other} at)
        if(at EQUAL -1)
            if(rc EQUAL 0 OR NOT err MATCHES "${other}/${name}: No such file or directory")
                list(APPEND failures "${room} may not use ${other}, but including ${other}/${name} did not fail as expected (exit ${rc}): ${err}")
            endif()
        elseif(NOT rc EQUAL 0)
            list(APPEND failures "${room} may use ${other}, but including ${other}/${name} failed: ${err}")
        endif()
    endforeach()
endforeach()
if(failures)
    list(JOIN failures "\n" text)
    message(FATAL_ERROR "${text}")
endif()
message(STATUS "rooms_enforced: ${checked} room pairs checked, every upward include fails to compile")
