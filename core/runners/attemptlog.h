#pragma once

#include "model/attempterror.h"
#include "model/secretmask.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace pw {

// The log file of one attempt (DESIGN §3), written by the runner from the child's output pipe.
// Created on the first byte of output, directory and all: an attempt that prints nothing leaves
// no file, and every reader treats a missing log as an empty one. Appended to (a file left by an
// earlier engine counts towards the limit). Capped at `limit` bytes of output: the output is cut
// there, the truncation line (truncationLine()) written once, and the rest discarded — the
// caller keeps draining the pipe so the child never blocks on a full one.
//
// Secret values (SecretMask, as known when the log is made) are written as "***", also when
// one arrives split across two reads: the last (longest secret - 1) bytes are held back until
// more output shows they end no secret, or until finish(). The file and the directories made
// for it are private to the user (0600 / 0700).
//
// Thread rules: one attempt's worker thread.
class AttemptLog
{
public:
    static constexpr qint64 kDefaultLimit = 100 * 1024 * 1024;

    // `path` empty: no log, everything is discarded. `secrets`: the values to mask.
    explicit AttemptLog(QString path, qint64 limit = kDefaultLimit,
        QList<QByteArray> secrets = SecretMask::values());
    ~AttemptLog(); // finish(), its error ignored
    AttemptLog(const AttemptLog &) = delete;
    AttemptLog &operator=(const AttemptLog &) = delete;

    // Appends output. An Environment error when the log cannot be created or written (its
    // directory cannot be made, disk full); the caller ends the attempt. After an error, or past
    // the limit, it writes nothing more.
    std::optional<AttemptError> append(const QByteArray &data);
    // Writes what append() held back: the output has ended.
    std::optional<AttemptError> finish();

    bool created() const { return m_fd >= 0; }
    bool truncated() const { return m_truncated; }

    // "[pipewright] log truncated at 100 MB; further output discarded\n".
    static QByteArray truncationLine(qint64 limit);
    // 100 MB, 64 KB, 1500 bytes: the largest unit (1024-based) that divides it.
    static QString formatSize(qint64 bytes);

private:
    std::optional<AttemptError> open();
    std::optional<AttemptError> write(const char *data, qint64 size);
    // Writes `data` (masked) up to the limit.
    std::optional<AttemptError> put(const QByteArray &data);

    QString m_path;
    qint64 m_limit;
    QList<QByteArray> m_secrets;
    qsizetype m_hold = 0; // longest secret - 1
    QByteArray m_pending; // masked, not yet written: it may begin a secret
    int m_fd = -1;
    qint64 m_size = 0; // bytes in the file
    bool m_endsWithNewline = true;
    bool m_truncated = false;
    bool m_failed = false;
};

} // namespace pw
