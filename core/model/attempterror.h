#pragma once

#include <QString>

namespace pw {

// Why an attempt did not succeed: a kind plus its detail (DESIGN §5). Runners and the engine
// pass this value; its text form — "exit:N" ("exit:N: …" with a detail, e.g. the database's
// message of a sql task), "signal:N", "timeout", "spawn: …", "cancelled", "cancelled: …",
// "unsupported: …", "environment: …", "output: …" — is made only where it leaves them: the
// attempt's row in the history store, events and logs. retry_on entries (RetryPolicy) name the
// same kinds.
struct AttemptError
{
    enum class Kind {
        None,        // succeeded
        Exit,        // non-zero exit code `code`
        Signal,      // killed by signal `code`
        Timeout,     // the task's timeout ended it
        Spawn,       // it could not be started (missing working directory, exec failure)
        Cancelled,   // cancelled (detail: why, when not by a user)
        Unsupported, // a task type or executor this version does not run
        Environment, // this machine cannot run attempts at all (the engine stops)
        Output,      // exited 0, but a declared output was not written or not committed
    };
    Kind kind = Kind::None;
    int code = 0;   // Exit: the exit code; Signal: the signal number
    QString detail; // Spawn, Unsupported, Environment: what went wrong; Cancelled: why;
                    // Exit: what the program said went wrong (sql: the database's message)

    static AttemptError exit(int code) { return {Kind::Exit, code, {}}; }
    static AttemptError signal(int number) { return {Kind::Signal, number, {}}; }
    static AttemptError timeout() { return {Kind::Timeout, 0, {}}; }
    static AttemptError spawn(QString what) { return {Kind::Spawn, 0, std::move(what)}; }
    static AttemptError cancelled(QString why = {}) { return {Kind::Cancelled, 0, std::move(why)}; }
    static AttemptError unsupported(QString what)
    {
        return {Kind::Unsupported, 0, std::move(what)};
    }
    static AttemptError environment(QString what)
    {
        return {Kind::Environment, 0, std::move(what)};
    }
    static AttemptError output(QString what) { return {Kind::Output, 0, std::move(what)}; }

    // The text form (see the struct comment); empty for None.
    QString text() const;

    friend bool operator==(const AttemptError &, const AttemptError &) = default;
};

} // namespace pw
