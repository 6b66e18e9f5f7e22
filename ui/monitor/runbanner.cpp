#include "runbanner.h"

#include "statepalette.h"

#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace pw {

RunBanner::RunBanner(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("runBanner"));
    setAutoFillBackground(true);
    setFrameShape(QFrame::StyledPanel);
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(8, 4, 8, 4);
    v->setSpacing(4);
    auto *runRow = new QHBoxLayout;
    m_run = new QLabel(this);
    m_run->setObjectName(QStringLiteral("runBannerText"));
    m_showCurrent = new QPushButton(tr("Show current"), this);
    m_showCurrent->setObjectName(QStringLiteral("showCurrent"));
    m_showCurrent->setFlat(true);
    m_showCurrent->setCursor(Qt::PointingHandCursor);
    runRow->addWidget(m_run, 1);
    runRow->addWidget(m_showCurrent);
    v->addLayout(runRow);

    m_previewRow = new QWidget(this);
    auto *p = new QHBoxLayout(m_previewRow);
    p->setContentsMargins(0, 0, 0, 0);
    m_preview = new QLabel(m_previewRow);
    m_preview->setObjectName(QStringLiteral("previewText"));
    QFont bold = m_preview->font();
    bold.setBold(true);
    m_preview->setFont(bold);
    m_warning = new QLabel(m_previewRow);
    m_warning->setObjectName(QStringLiteral("previewWarning"));
    m_warning->setStyleSheet(
        QStringLiteral("color: %1").arg(StatePalette::color(TaskState::Failed).darker(110).name()));
    m_confirm = new QPushButton(tr("Run"), m_previewRow);
    m_confirm->setObjectName(QStringLiteral("confirmRerun"));
    m_confirm->setDefault(true);
    m_confirm->setIcon(StatePalette::icon(TaskState::Running));
    m_cancel = new QPushButton(tr("Cancel"), m_previewRow);
    m_cancel->setObjectName(QStringLiteral("cancelRerun"));
    p->addWidget(m_preview);
    p->addWidget(m_warning, 1);
    p->addWidget(m_confirm);
    p->addWidget(m_cancel);
    m_previewRow->hide();
    v->addWidget(m_previewRow);

    m_choiceRow = new QWidget(this);
    auto *ch = new QHBoxLayout(m_choiceRow);
    ch->setContentsMargins(0, 0, 0, 0);
    m_choiceText = new QLabel(m_choiceRow);
    m_choiceText->setObjectName(QStringLiteral("definitionDifference"));
    m_choiceText->setWordWrap(true);
    m_choiceText->setTextFormat(Qt::PlainText);
    m_useCurrent = new QPushButton(tr("Use the current file"), m_choiceRow);
    m_useCurrent->setObjectName(QStringLiteral("useCurrentDefinition"));
    m_useCurrent->setToolTip(
        tr("Rerun with the open file's definition: changed tasks and their downstream run too"));
    m_keepStored = new QPushButton(tr("Keep the run's definition"), m_choiceRow);
    m_keepStored->setObjectName(QStringLiteral("keepRunDefinition"));
    m_keepStored->setToolTip(tr("Rerun exactly what this run ran, ignoring the file's changes"));
    ch->addWidget(m_choiceText, 1);
    ch->addWidget(m_useCurrent);
    ch->addWidget(m_keepStored);
    m_choiceRow->hide();
    v->addWidget(m_choiceRow);
    connect(m_useCurrent, &QPushButton::clicked, this, &RunBanner::useCurrentClicked);
    connect(m_keepStored, &QPushButton::clicked, this, &RunBanner::keepStoredClicked);

    m_confirmRow = new QWidget(this);
    auto *c = new QVBoxLayout(m_confirmRow);
    c->setContentsMargins(0, 0, 0, 0);
    c->setSpacing(2);
    m_confirmText = new QLabel(m_confirmRow);
    m_confirmText->setObjectName(QStringLiteral("confirmText"));
    m_confirmText->setWordWrap(true);
    m_confirmText->setTextFormat(Qt::PlainText);
    m_confirmText->setStyleSheet(
        QStringLiteral("color: %1").arg(StatePalette::color(TaskState::Failed).darker(110).name()));
    m_confirmBox
        = new QCheckBox(tr("I have checked this: run these tasks again anyway"), m_confirmRow);
    m_confirmBox->setObjectName(QStringLiteral("confirmCheck"));
    c->addWidget(m_confirmText);
    c->addWidget(m_confirmBox, 0, Qt::AlignLeft);
    m_confirmRow->hide();
    v->addWidget(m_confirmRow);
    connect(m_confirmBox, &QCheckBox::toggled, this, &RunBanner::updateRunButton);

    connect(m_showCurrent, &QPushButton::clicked, this, &RunBanner::showCurrentClicked);
    connect(m_confirm, &QPushButton::clicked, this, &RunBanner::confirmClicked);
    connect(m_cancel, &QPushButton::clicked, this, &RunBanner::cancelClicked);
    if (parent)
        parent->installEventFilter(this);
}

void RunBanner::setRunText(const QString &text, bool warn)
{
    m_run->setText(text);
    QPalette pal = palette();
    const QColor base = pal.color(QPalette::Window);
    const QColor tint
        = warn ? StatePalette::color(TaskState::RetryWait) : StatePalette::color(TaskState::Queued);
    QColor bg = tint;
    bg.setAlphaF(0.18);
    // Blend by hand: autoFillBackground paints an opaque colour.
    const qreal a = bg.alphaF();
    pal.setColor(QPalette::Window,
        QColor::fromRgbF(base.redF() * (1 - a) + tint.redF() * a,
            base.greenF() * (1 - a) + tint.greenF() * a,
            base.blueF() * (1 - a) + tint.blueF() * a));
    setPalette(pal);
    reposition();
}

void RunBanner::setPreviewText(const QString &text, const QString &warning)
{
    m_preview->setText(text);
    m_warning->setText(warning);
    m_previewRow->setVisible(!text.isEmpty());
    if (!text.isEmpty())
        m_confirm->setFocus();
    reposition();
}

void RunBanner::setConfirmation(const QString &text, bool canRun)
{
    m_canRun = canRun;
    m_confirmText->setText(text);
    m_confirmBox->setChecked(false);
    m_confirmRow->setVisible(!text.isEmpty());
    updateRunButton();
    if (!text.isEmpty())
        m_confirmBox->setFocus();
    reposition();
}

void RunBanner::setDefinitionChoice(const QString &difference)
{
    m_choiceText->setText(difference.isEmpty()
            ? QString()
            : tr("The file changed since this run (%1). Which definition should run?")
                  .arg(difference));
    m_choiceRow->setVisible(!difference.isEmpty());
    updateRunButton();
    reposition();
}

bool RunBanner::isChoosingDefinition() const
{
    return !m_choiceText->text().isEmpty();
}

void RunBanner::updateRunButton()
{
    m_confirm->setEnabled(
        m_canRun && !isChoosingDefinition() && (!needsConfirmation() || m_confirmBox->isChecked()));
}

bool RunBanner::needsConfirmation() const
{
    return !m_confirmText->text().isEmpty();
}

QString RunBanner::runText() const
{
    return m_run->text();
}

QString RunBanner::previewText() const
{
    return m_previewRow->isVisible() || !m_preview->text().isEmpty() ? m_preview->text()
                                                                     : QString();
}

bool RunBanner::isPreviewing() const
{
    return !m_preview->text().isEmpty();
}

void RunBanner::reposition()
{
    if (!parentWidget())
        return;
    adjustSize();
    setGeometry(0, 0, parentWidget()->width(), sizeHint().height());
    raise();
}

bool RunBanner::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize)
        reposition();
    return QFrame::eventFilter(watched, event);
}

} // namespace pw
