#pragma once

#include "engine/truststore.h"
#include "model/flow.h"

#include <QDialog>

class QPushButton;
class QTextBrowser;

namespace pw {

// Before the GUI first runs, schedules or backfills a flow file this user has not trusted
// (issue 12 "Trust"): what the flow runs — each task's command or SQL with its working dir,
// environment or connection, the notify command and webhook — grouped by task and shown as
// code, and, for a file trusted before and changed since, what changed (marked in the list).
// "Trust" (never the default button: Enter does not trust) accepts; the caller records it.
class TrustDialog : public QDialog
{
    Q_OBJECT
public:
    // `action`: the accept button's text, e.g. tr("Trust and Run").
    TrustDialog(const Flow &flow, const TrustStore::Check &check, const QString &action,
        QWidget *parent = nullptr);

    QPushButton *trustButton() const { return m_trust; }
    // The listing as plain text (what the user reads).
    QString listing() const;
    QStringList changes() const { return m_changes; }

private:
    QString html(const Flow &flow) const;

    QStringList m_changes;
    QTextBrowser *m_list;
    QPushButton *m_trust;
};

} // namespace pw
