#pragma once

#include "result.h"

#include <QDate>
#include <QDateTime>
#include <QStringList>

#include <optional>

namespace pw {

enum class ParamType { String, Int, Bool, Date, DateTime, Choice };

QString toString(ParamType t);
std::optional<ParamType> paramTypeFromString(const QString &s);

// A declared flow parameter. Canonical values (DESIGN §4): int in decimal, bool true/false,
// date YYYY-MM-DD, datetime YYYY-MM-DDTHH:MM:SSZ (UTC); `today` (date) and `now` (datetime)
// resolve against the clock passed in, in the local time zone where the run is created.
struct ParamSpec
{
    QString name;
    ParamType type = ParamType::String;
    QStringList values;                  // choice only
    std::optional<QString> defaultValue; // as written (may be "today")
    QString description;
    int line = 0;
    int column = 0;

    // Canonical form of `raw`, or an error that names the parameter and the expected form.
    Result<QString> canonicalize(const QString &raw, const QDateTime &now) const;

    friend bool operator==(const ParamSpec &a, const ParamSpec &b)
    {
        return a.name == b.name && a.type == b.type && a.values == b.values
            && a.defaultValue == b.defaultValue && a.description == b.description;
    }
};

} // namespace pw
