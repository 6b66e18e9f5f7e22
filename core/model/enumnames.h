#pragma once

// Internal helper: map a QString to an enum whose values index a table of names.

#include <QString>

#include <array>
#include <optional>

namespace pw::detail {

template<typename Enum, size_t N>
std::optional<Enum> lookupName(const std::array<const char *, N> &names, const QString &s)
{
    for (size_t i = 0; i < N; ++i) {
        if (s == QLatin1String(names[i]))
            return static_cast<Enum>(i);
    }
    return std::nullopt;
}

} // namespace pw::detail
