#include "outputfiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace pw {

namespace {

const QString kTempMark = QStringLiteral(".pw-tmp-");

// fsync of a file or directory by path; errno text on failure.
std::optional<QString> syncPath(const QString &path, bool directory)
{
    const int fd = ::open(QFile::encodeName(path).constData(),
        (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        return QString::fromLocal8Bit(std::strerror(err));
    return std::nullopt;
}

} // namespace

QString OutputFiles::tempPath(const QString &path, qint64 runId, int attempt)
{
    const QFileInfo fi(path);
    return fi.absolutePath() + QStringLiteral("/.") + fi.fileName() + kTempMark
        + QString::number(runId) + QLatin1Char('-') + QString::number(attempt);
}

std::optional<AttemptError> OutputFiles::prepare(const QList<AttemptOutput> &outputs, qint64 runId)
{
    for (const AttemptOutput &o : outputs) {
        const QFileInfo fi(o.path);
        QDir dir = fi.absoluteDir();
        if (!dir.exists() && !QDir().mkpath(dir.absolutePath()))
            return AttemptError::spawn(
                QStringLiteral("cannot create the directory of output '%1'").arg(o.path));
        // Leftovers of earlier attempts of this run (a killed process): .NAME.pw-tmp-RUN-*
        const QString pattern = QLatin1Char('.') + fi.fileName() + kTempMark
            + QString::number(runId) + QStringLiteral("-*");
        const QStringList stale
            = dir.entryList({pattern}, QDir::Files | QDir::Hidden | QDir::System);
        for (const QString &name : stale)
            QFile::remove(dir.absoluteFilePath(name));
    }
    return std::nullopt;
}

std::optional<AttemptError> OutputFiles::commit(const QList<AttemptOutput> &outputs)
{
    auto failWith = [&outputs](const QString &why) {
        discard(outputs);
        return AttemptError::output(why);
    };
    // First every output must be there and durable; only then is any final name replaced.
    for (const AttemptOutput &o : outputs) {
        const QFileInfo fi(o.temp);
        if (!fi.exists())
            return failWith(QStringLiteral("'%1' was not written (the task exited 0 without "
                                           "writing its temporary path %2)")
                                .arg(o.path, o.temp));
        if (!fi.isFile())
            return failWith(QStringLiteral("'%1' is not a file (%2)").arg(o.path, o.temp));
        if (auto err = syncPath(o.temp, false))
            return failWith(QStringLiteral("cannot fsync '%1': %2").arg(o.temp, *err));
    }
    QSet<QString> dirs;
    for (const AttemptOutput &o : outputs) {
        if (::rename(QFile::encodeName(o.temp).constData(), QFile::encodeName(o.path).constData())
            != 0)
            return failWith(QStringLiteral("cannot rename %1 to '%2': %3")
                                .arg(o.temp, o.path, QString::fromLocal8Bit(std::strerror(errno))));
        dirs.insert(QFileInfo(o.path).absolutePath());
    }
    for (const QString &d : std::as_const(dirs)) {
        if (auto err = syncPath(d, true))
            return AttemptError::output(
                QStringLiteral("cannot fsync directory %1: %2").arg(d, *err));
    }
    return std::nullopt;
}

void OutputFiles::discard(const QList<AttemptOutput> &outputs)
{
    for (const AttemptOutput &o : outputs)
        QFile::remove(o.temp);
}

int OutputFiles::removeTemps(const QStringList &temps)
{
    int removed = 0;
    for (const QString &t : temps) {
        // Only what this scheme names: never a final output or another file.
        if (QFileInfo(t).fileName().contains(kTempMark) && QFile::remove(t))
            ++removed;
    }
    return removed;
}

QString OutputFiles::recordText(const QList<AttemptOutput> &outputs)
{
    QJsonArray a;
    for (const AttemptOutput &o : outputs)
        a.append(o.temp);
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

QStringList OutputFiles::tempsFromRecord(const QString &text)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array())
        out.append(v.toString());
    return out;
}

} // namespace pw
