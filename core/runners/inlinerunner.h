#pragma once

#include "runner.h"

namespace pw {

// Attempts that finish at once on the engine thread, with no side effects and no log:
// `noop` tasks succeed; task types or executors that are not implemented yet fail with
// "unsupported: ..." (not retryable), so a flow using them loads fine and fails at run time
// with a clear message.
class InlineRunner : public Runner
{
public:
    enum class Mode { Succeed, Unsupported };
    explicit InlineRunner(Mode mode) : m_mode(mode) { }

    void start(const AttemptSpec &spec, const AttemptCallbacks &callbacks) override;
    void cancel(const AttemptKey &) override { }
    int activeCount() const override { return 0; }
    bool runsInline() const override { return true; }

private:
    Mode m_mode;
};

} // namespace pw
