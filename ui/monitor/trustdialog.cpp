#include "trustdialog.h"

#include "editor/theme.h"

#include <algorithm>

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace pw {

namespace {

QString kindText(const QString &kind)
{
    if (kind == QLatin1String("shell"))
        return TrustDialog::tr("shell command");
    if (kind == QLatin1String("sql"))
        return TrustDialog::tr("SQL");
    if (kind == QLatin1String("notify"))
        return TrustDialog::tr("notify command");
    return TrustDialog::tr("notify webhook");
}

} // namespace

TrustDialog::TrustDialog(
    const Flow &flow, const TrustStore::Check &check, const QString &action, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("trustDialog"));
    const QString file = QFileInfo(flow.sourcePath).fileName();
    const bool changed = check.verdict == TrustStore::Verdict::Changed;
    setWindowTitle(changed ? tr("Trust the changed flow?") : tr("Trust this flow?"));
    if (changed)
        m_changes = TrustStore::changesSince(check.trustedDefinition, flow);

    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(this);
    heading->setObjectName(QStringLiteral("trustHeading"));
    heading->setWordWrap(true);
    QString text = changed
        ? tr("<b>%1</b> changed since you trusted it on %2. It runs the commands below on this "
             "computer, as you.")
              .arg(file.toHtmlEscaped(),
                  QLocale().toString(check.trustedAt.toLocalTime(), QLocale::ShortFormat))
        : tr("<b>%1</b> runs the commands below on this computer, as you. Run it only if you "
             "trust where it came from.")
              .arg(file.toHtmlEscaped());
    if (changed && !m_changes.isEmpty())
        text += QStringLiteral("<br>")
            + tr("What changed: %1.").arg(m_changes.join(QStringLiteral(", ")).toHtmlEscaped());
    heading->setText(text);
    layout->addWidget(heading);

    m_list = new QTextBrowser(this);
    m_list->setObjectName(QStringLiteral("trustList"));
    m_list->setOpenLinks(false);
    m_list->setHtml(html(flow));
    m_list->setMinimumSize(720, 320); // whole command lines, mostly
    layout->addWidget(m_list, 1);

    auto *note = new QLabel(
        tr("You are asked again when what it runs changes. Saving the flow here trusts it."), this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(note);

    auto *buttons = new QDialogButtonBox(this);
    m_trust = buttons->addButton(action, QDialogButtonBox::AcceptRole);
    m_trust->setObjectName(QStringLiteral("trustButton"));
    m_trust->setAutoDefault(false);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    cancel->setFocus();
}

QString TrustDialog::html(const Flow &flow) const
{
    const Theme &theme = Theme::current();
    const QList<TrustStore::Runnable> runs = TrustStore::whatRuns(flow);
    if (runs.isEmpty())
        return QStringLiteral("<p>%1</p>")
            .arg(tr("It runs no commands and no SQL.").toHtmlEscaped());
    QString out;
    for (const TrustStore::Runnable &r : runs) {
        const bool added = m_changes.contains(QStringLiteral("added task %1").arg(r.task));
        const bool changed = added
            || m_changes.contains(QStringLiteral("changed task %1").arg(r.task))
            || (r.task.isEmpty()
                && std::any_of(m_changes.cbegin(), m_changes.cend(), [](const QString &c) {
                       return c.startsWith(QLatin1String("changed flow settings"));
                   }));
        const QString who = r.task.isEmpty() ? tr("Flow notifications") : r.task;
        QString head = QStringLiteral("<b>%1</b> — %2").arg(who.toHtmlEscaped(), kindText(r.kind));
        if (!r.detail.isEmpty())
            head += QStringLiteral(" <span style=\"color:%1\">(%2)</span>")
                        .arg(theme.mutedText.name(), r.detail.toHtmlEscaped());
        if (changed)
            head += QStringLiteral(" <span style=\"color:%1\"><b>%2</b></span>")
                        .arg(theme.invalid.name(), added ? tr("new") : tr("changed"));
        out += QStringLiteral("<p style=\"margin-top:10px; margin-bottom:2px\">%1</p>").arg(head);
        out += QStringLiteral("<pre style=\"background:%1; margin:0; padding:4px\">%2</pre>")
                   .arg(palette().color(QPalette::AlternateBase).name(), r.text.toHtmlEscaped());
    }
    return out;
}

QString TrustDialog::listing() const
{
    return m_list->toPlainText();
}

} // namespace pw
