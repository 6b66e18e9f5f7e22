#pragma once

#include <QLoggingCategory>

// The monitor's logging category: pw.ui.monitor (enable with QT_LOGGING_RULES="pw.ui.*=true").
Q_DECLARE_LOGGING_CATEGORY(lcMonitor)
