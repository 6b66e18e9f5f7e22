#pragma once

#include <QLoggingCategory>

// The ui library's logging category: pw.ui.editor (enable with QT_LOGGING_RULES="pw.ui.*=true").
Q_DECLARE_LOGGING_CATEGORY(lcEditor)
