#pragma once

// pw::Result<T, E>: a small value-or-error type with the interface of std::expected
// (has_value, value, error, operator*, operator->, value_or). libstdc++ 12's <expected> is
// invisible to clang 14, which clang-tidy, clangd and libFuzzer use here (DESIGN §2).
// Errors across core's public API are values of this type; nothing throws across threads.

#include "error.h"

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace pw {

template<typename E>
class Unexpected
{
public:
    explicit Unexpected(E e) : m_error(std::move(e)) { }
    const E &error() const & { return m_error; }
    E &&error() && { return std::move(m_error); }

private:
    E m_error;
};

template<typename E>
Unexpected(E) -> Unexpected<E>;

// Shorthand: `return pw::fail("message");`
inline Unexpected<Error> fail(QString message)
{
    return Unexpected<Error>(Error(std::move(message)));
}
// `return pw::failEnvironment("message");` for errors of the machine, not of the input.
inline Unexpected<Error> failEnvironment(QString message)
{
    return Unexpected<Error>(Error::environment(std::move(message)));
}

template<typename T, typename E = Error>
class [[nodiscard]] Result
{
public:
    using value_type = T;
    using error_type = E;

    Result() requires std::is_default_constructible_v<T> : m_v(std::in_place_index<0>) { }
    Result(const T &v) : m_v(std::in_place_index<0>, v) { }
    Result(T &&v) : m_v(std::in_place_index<0>, std::move(v)) { }
    template<typename G>
    Result(const Unexpected<G> &u) : m_v(std::in_place_index<1>, u.error())
    { }
    template<typename G>
    Result(Unexpected<G> &&u) : m_v(std::in_place_index<1>, std::move(u).error())
    { }

    bool has_value() const { return m_v.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T &value() &
    {
        assert(has_value());
        return std::get<0>(m_v);
    }
    const T &value() const &
    {
        assert(has_value());
        return std::get<0>(m_v);
    }
    T &&value() &&
    {
        assert(has_value());
        return std::move(std::get<0>(m_v));
    }
    const E &error() const &
    {
        assert(!has_value());
        return std::get<1>(m_v);
    }
    E &&error() &&
    {
        assert(!has_value());
        return std::move(std::get<1>(m_v));
    }

    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T &&operator*() && { return std::move(*this).value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    template<typename U>
    T value_or(U &&fallback) const &
    {
        return has_value() ? value() : T(std::forward<U>(fallback));
    }

private:
    std::variant<T, E> m_v;
};

template<typename E>
class [[nodiscard]] Result<void, E>
{
public:
    using value_type = void;
    using error_type = E;

    Result() = default;
    template<typename G>
    Result(const Unexpected<G> &u) : m_error(u.error()), m_ok(false)
    { }
    template<typename G>
    Result(Unexpected<G> &&u) : m_error(std::move(u).error()), m_ok(false)
    { }

    bool has_value() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    void value() const { assert(m_ok); }
    const E &error() const &
    {
        assert(!m_ok);
        return m_error;
    }
    E &&error() &&
    {
        assert(!m_ok);
        return std::move(m_error);
    }

private:
    E m_error{};
    bool m_ok = true;
};

} // namespace pw

// Early return on error, for functions that return any Result (it converts from Unexpected):
//   PW_TRY(store.begin());                      // returns the error of a failed Result
//   PW_TRY_ASSIGN(run, store.run(id));          // declares `run` as the value, or returns
// Not for Result<void> values (there is nothing to assign).
#define PW_TRY(expr)                                                                               \
    do {                                                                                           \
        if (auto pwTryResult_ = (expr); !pwTryResult_)                                             \
            return ::pw::Unexpected(std::move(pwTryResult_).error());                              \
    } while (false)

#define PW_TRY_ASSIGN(var, expr)                                                                   \
    auto var##Result_ = (expr);                                                                    \
    if (!var##Result_)                                                                             \
        return ::pw::Unexpected(std::move(var##Result_).error());                                  \
    auto var = std::move(*var##Result_)
