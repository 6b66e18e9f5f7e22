#include "logview.h"

#include <QFile>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace pw {

namespace {

constexpr qint64 kMaxInitial = 4 * 1024 * 1024;

struct Chunk
{
    QByteArray data;
    qint64 offset = 0; // where the next read starts
    bool truncated = false;
    bool missing = false;
};

} // namespace

LogView::LogView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("logView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto *bar = new QHBoxLayout;
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("logSearch"));
    m_search->setPlaceholderText(tr("Search the log…"));
    m_search->setClearButtonEnabled(true);
    m_status = new QLabel(this);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_status);
    layout->addLayout(bar);
    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlaceholderText(tr("No log"));
    layout->addWidget(m_text, 1);

    m_poll.setInterval(500);
    connect(&m_poll, &QTimer::timeout, this, &LogView::readMore);
    connect(m_search, &QLineEdit::textChanged, this, &LogView::highlight);
    connect(m_search, &QLineEdit::returnPressed, this, &LogView::findNext);
    QScrollBar *sb = m_text->verticalScrollBar();
    connect(sb, &QScrollBar::valueChanged, this, [this, sb](int v) {
        // Scrolling up stops following; back at the end follows again.
        m_follow = v >= sb->maximum();
    });
}

void LogView::setFile(const QString &path, bool live)
{
    if (path == m_path) {
        setLive(live);
        return;
    }
    ++m_generation;
    m_path = path;
    m_offset = 0;
    m_reading = false;
    m_follow = true;
    m_text->clear();
    m_status->clear();
    setLive(live);
    if (!path.isEmpty())
        readMore();
}

void LogView::setLive(bool live)
{
    m_live = live;
    if (live && !m_path.isEmpty())
        m_poll.start();
    else
        m_poll.stop();
    if (!live && !m_path.isEmpty())
        readMore(); // the rest of a log that just ended
}

QString LogView::text() const
{
    return m_text->toPlainText();
}

void LogView::setSearch(const QString &text)
{
    m_search->setText(text);
}

void LogView::readMore()
{
    if (m_reading || m_path.isEmpty())
        return;
    m_reading = true;
    const QString path = m_path;
    const qint64 from = m_offset;
    const quint64 generation = m_generation;
    const bool live = m_live;
    QtConcurrent::run([path, from, live]() {
        Chunk c;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            c.missing = true;
            c.offset = from;
            return c;
        }
        qint64 start = from;
        if (from == 0 && f.size() > kMaxInitial) {
            start = f.size() - kMaxInitial;
            c.truncated = true;
        }
        f.seek(start);
        c.data = f.readAll();
        // While the log grows, a partial last line waits for the next read.
        const qsizetype nl = c.data.lastIndexOf('\n');
        if (live && nl >= 0 && nl + 1 < c.data.size())
            c.data.truncate(nl + 1);
        c.offset = start + c.data.size();
        return c;
    }).then(this, [this, generation](const Chunk &c) {
        if (generation != m_generation)
            return;
        m_reading = false;
        if (c.missing) {
            // The log file is made on the first byte of output: an ended attempt without one
            // printed nothing.
            m_status->setText(m_live ? tr("no output yet") : tr("no output"));
            return;
        }
        m_status->clear();
        m_offset = c.offset;
        if (c.data.isEmpty())
            return;
        const bool follow = m_follow;
        QString text = QString::fromUtf8(c.data);
        if (c.truncated)
            text.prepend(tr("[… only the last 4 MiB are shown …]") + QLatin1Char('\n'));
        if (text.endsWith(QLatin1Char('\n')))
            text.chop(1);
        m_text->appendPlainText(text);
        if (follow) {
            QScrollBar *sb = m_text->verticalScrollBar();
            sb->setValue(sb->maximum());
            m_follow = true;
        }
        if (!m_search->text().isEmpty())
            highlight();
        Q_EMIT appended();
    });
}

void LogView::highlight()
{
    QList<QTextEdit::ExtraSelection> selections;
    const QString needle = m_search->text();
    m_matches = 0;
    if (!needle.isEmpty()) {
        QTextDocument *doc = m_text->document();
        QTextCursor c(doc);
        QTextCharFormat fmt;
        fmt.setBackground(QColor(0xF0, 0xE4, 0x42));
        fmt.setForeground(QColor(0x20, 0x20, 0x20));
        while (true) {
            c = doc->find(needle, c);
            if (c.isNull() || m_matches >= 10000)
                break;
            QTextEdit::ExtraSelection s;
            s.cursor = c;
            s.format = fmt;
            selections << s;
            ++m_matches;
        }
        m_status->setText(m_matches == 1 ? tr("1 match") : tr("%1 matches").arg(m_matches));
    } else {
        m_status->clear();
    }
    m_text->setExtraSelections(selections);
}

void LogView::findNext()
{
    const QString needle = m_search->text();
    if (needle.isEmpty())
        return;
    if (!m_text->find(needle)) {
        m_text->moveCursor(QTextCursor::Start);
        m_text->find(needle);
    }
    m_follow = false;
}

} // namespace pw
