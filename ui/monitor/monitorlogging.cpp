#include "monitorlogging.h"

Q_LOGGING_CATEGORY(lcMonitor, "pw.ui.monitor", QtInfoMsg)
