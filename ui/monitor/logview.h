#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace pw {

// An attempt's log (UI.md "Log view"): monospace, read-only; while the attempt runs it tails the
// file (reads only what was appended, off the GUI thread) and follows the end until the user
// scrolls up (scrolling back to the end follows again); a search field highlights every match,
// Enter jumps to the next one. Shows at most the last 4 MiB of a huge log. Main thread only.
class LogView : public QWidget
{
    Q_OBJECT
public:
    explicit LogView(QWidget *parent = nullptr);

    // Shows `path` (empty = nothing); `live`: keep reading what is appended.
    void setFile(const QString &path, bool live);
    void setLive(bool live);
    QString file() const { return m_path; }
    QString text() const;
    bool isFollowing() const { return m_follow; }
    QPlainTextEdit *editor() const { return m_text; }
    void setSearch(const QString &text);
    int matchCount() const { return m_matches; }

Q_SIGNALS:
    void appended();

private:
    void readMore();
    void highlight();
    void findNext();

    QPlainTextEdit *m_text;
    QLineEdit *m_search;
    QLabel *m_status;
    QTimer m_poll;
    QString m_path;
    qint64 m_offset = 0;
    bool m_reading = false;
    bool m_follow = true;
    bool m_live = false;
    int m_matches = 0;
    quint64 m_generation = 0;
};

} // namespace pw
