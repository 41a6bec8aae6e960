// Result<T>: a value or an Error, shaped like std::expected (which C++20 lacks).
// Errors are values in ztnet: parsers and loaders return them, nothing throws across modules.
#pragma once

#include <cassert>
#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace ztnet {

/// What went wrong, and where in the text that was being read (a byte offset into it, or npos).
/// `code` names the kind of problem as the diagnostics do ("reach-too-large"), when the error is
/// one a caller reports to people as a diagnostic.
struct Error {
    static constexpr std::size_t kNoOffset = static_cast<std::size_t>(-1);
    std::string message;
    std::size_t offset = kNoOffset;
    std::string code = {};
};

template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(state_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(state_);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(state_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const {
        assert(!ok());
        return std::get<1>(state_);
    }

  private:
    std::variant<T, Error> state_;
};

/// Shorthand for building a failed Result: `return fail("expected a port");`
inline Error fail(std::string message, std::size_t offset = Error::kNoOffset) {
    return Error{std::move(message), offset};
}
/// A failed Result that a caller reports as the diagnostic `code`.
inline Error fail_with(std::string code, std::string message) {
    return Error{std::move(message), Error::kNoOffset, std::move(code)};
}

} // namespace ztnet
