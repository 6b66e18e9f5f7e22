# Writes the large and random files of the malformed corpus into OUT (too big to commit: the
# repository keeps no file over 64 KB). tst_malformed runs it at test time:
#   cmake -DOUT=DIR -P gen_large.cmake
# Their expectations are the rows of EXPECTED.tsv marked "generated". Deterministic: random
# bytes come from fixed seeds.
if(NOT OUT)
    message(FATAL_ERROR "usage: cmake -DOUT=DIR -P gen_large.cmake")
endif()
file(MAKE_DIRECTORY "${OUT}")
set(head "pipewright: 1\nflow: big\n")

# Above the loader's 16 MiB limit.
string(REPEAT "a" 17000000 s)
file(WRITE "${OUT}/too_large.flow.yaml" "${s}")

# Huge scalars where messages quote them: the message must stay short.
string(REPEAT "k" 4000000 s)
file(WRITE "${OUT}/huge_unknown_key.flow.yaml" "${head}${s}: 1\ntasks: {a: {type: noop}}\n")
string(REPEAT "x" 1000000 s)
file(WRITE "${OUT}/huge_invalid_task_id.flow.yaml" "${head}tasks:\n  \"a b${s}\": {type: noop}\n")
string(REPEAT "echo 0123456789 " 600000 s)
file(WRITE "${OUT}/huge_command.flow.yaml"
     "${head}tasks:\n  a:\n    type: shel\n    command: \"${s}\"\n")
string(REPEAT "\\ud83d\\ude00" 80000 s)
file(WRITE "${OUT}/huge_escapes.flow.json"
     "{\"pipewright\": 1, \"flow\": \"big\", \"title\": \"${s}\", \"tasks\": {},}\n")
string(REPEAT "x" 1000000 s)
file(WRITE "${OUT}/long_line.flow.json"
     "{\"pipewright\": 1, \"flow\": \"big\", \"title\": \"${s}\", \"tasks\": {\"a\": {\"type\": \"noop\"},}}\n")

string(REPEAT "x" 1000000 s)
file(WRITE "${OUT}/huge_invalid_flow_id.flow.yaml" "pipewright: 1\nflow: \"a b${s}\"\ntasks: {}\n")

# 100,000 levels of nesting, in every form the parsers know.
string(REPEAT "[" 100000 s)
file(WRITE "${OUT}/deep_flow_seq_100k.flow.yaml" "${s}")
string(REPEAT "{a: " 100000 s)
file(WRITE "${OUT}/deep_flow_map_100k.flow.yaml" "${s}")
string(REPEAT "- " 100000 s)
file(WRITE "${OUT}/deep_block_seq_100k.flow.yaml" "${s}x\n")
string(REPEAT "? " 100000 s)
file(WRITE "${OUT}/deep_block_key_100k.flow.yaml" "${s}x\n")
string(REPEAT "[" 100000 s)
file(WRITE "${OUT}/deep_json_array_100k.flow.json" "${s}")
string(REPEAT "{\"a\": " 100000 s)
file(WRITE "${OUT}/deep_json_object_100k.flow.json" "${s}")
# Block mappings nest by indentation: 3,000 levels are 4.5 MB. (Lines go to the file in chunks:
# appending to one long CMake string copies it every time.)
file(WRITE "${OUT}/deep_block_map_3000.flow.yaml" "")
foreach(chunk RANGE 29)
    set(s "")
    foreach(k RANGE 99)
        math(EXPR i "${chunk} * 100 + ${k}")
        string(REPEAT " " ${i} indent)
        string(APPEND s "${indent}k:\n")
    endforeach()
    file(APPEND "${OUT}/deep_block_map_3000.flow.yaml" "${s}")
endforeach()

# Random bytes (no NUL: CMake strings cannot hold one; committed files have NULs), and random
# printable ASCII, which gets past the UTF-8 check into the YAML parser.
set(bytes "")
foreach(i RANGE 1 255)
    if(NOT i EQUAL 59 AND NOT i EQUAL 92) # ';' and '\' would be list and escape syntax
        string(ASCII ${i} c)
        string(APPEND bytes "${c}")
    endif()
endforeach()
string(RANDOM LENGTH 65536 ALPHABET "${bytes}" RANDOM_SEED 12 s)
file(WRITE "${OUT}/random_bytes.flow.yaml" "${s}")
set(ascii "")
foreach(i RANGE 32 126)
    if(NOT i EQUAL 59 AND NOT i EQUAL 92)
        string(ASCII ${i} c)
        string(APPEND ascii "${c}")
    endif()
endforeach()
string(APPEND ascii "\n\t")
string(RANDOM LENGTH 65536 ALPHABET "${ascii}" RANDOM_SEED 13 s)
file(WRITE "${OUT}/random_ascii.flow.yaml" "${s}")

# Error floods: 3,000 bad tasks, 100,000 unknown keys, 100,000 aliases of one id.
string(REPEAT "  t: {type: shel, after: [nope]}\n" 3000 s)
file(WRITE "${OUT}/error_flood.flow.yaml" "${head}tasks:\n${s}")
string(REPEAT "k: 1\n" 100000 s)
file(WRITE "${OUT}/many_duplicate_keys.flow.yaml" "${head}${s}tasks: {a: {type: noop}}\n")
# 20,000 misspelt ids among 20,000 tasks, and 20,000 unknown template names among 20,000
# parameters: a "did you mean" over every id or name, or a message listing every parameter, for
# each would take minutes or gigabytes.
set(after "${OUT}/unknown_after_flood.flow.yaml")
set(names "${OUT}/unknown_template_flood.flow.yaml")
file(WRITE "${after}" "${head}tasks:\n")
file(WRITE "${names}" "${head}params:\n")
foreach(part params tasks)
    if(part STREQUAL "tasks")
        file(APPEND "${names}" "tasks:\n")
    endif()
    foreach(chunk RANGE 199)
        set(s "")
        set(p "")
        foreach(k RANGE 99)
            math(EXPR i "${chunk} * 100 + ${k}")
            string(APPEND s "  t${i}: {type: noop, after: [u${i}]}\n")
            if(part STREQUAL "params")
                string(APPEND p "  p${i}: {type: int, default: 1}\n")
            else()
                string(APPEND p "  t${i}: {type: shell, command: \"echo {{x${i}}}\"}\n")
            endif()
        endforeach()
        if(part STREQUAL "params")
            file(APPEND "${after}" "${s}")
        endif()
        file(APPEND "${names}" "${p}")
    endforeach()
endforeach()
string(REPEAT ", *a" 100000 s)
file(WRITE "${OUT}/many_aliases.flow.yaml"
     "${head}tasks:\n  a: {type: noop}\n  b: {type: noop, after: [&a a${s}]}\n")
