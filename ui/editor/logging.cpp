#include "logging.h"

Q_LOGGING_CATEGORY(lcEditor, "pw.ui.editor", QtWarningMsg)
