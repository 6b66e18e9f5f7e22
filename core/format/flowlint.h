#pragma once

#include "model/flow.h"
#include "model/result.h"

namespace pw {

// The idempotency lint (issue 10): findings that do not stop a flow from running but make a
// retry or a rerun of one date likely to duplicate or clobber data. Every finding is an Error
// with severity Warning, the task's position and the key path of the value at fault:
//  - a task with retries (its effective policy) declaring an output whose name uses no
//    parameter: every run writes the same file;
//  - a sql task that inserts without a `partition` and without any bound `:param`;
//  - a shell command that appends (`>>`) to a file whose name uses no parameter;
//  - a template inside double quotes in a shell command (its value is shell-quoted, so the
//    quotes end up in the text) without `|raw`;
//  - `{{name|raw}}` of a string parameter or a secret in a shell command of a scheduled flow
//    (issue 12: its value would be shell syntax in a run nobody watches);
//  - `check` on a task that is idempotent (it is shown only before rerunning an
//    `idempotent: false` task).
// `pipewright-cli validate` prints them (exit 0); `--strict` makes them errors (exit 2).
// Run on a flow that loaded (FlowValidator found no errors); a pure function.
class FlowLint
{
public:
    static Errors warnings(const Flow &flow);
};

} // namespace pw
