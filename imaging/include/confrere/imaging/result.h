// Result<T>: a value or a user-facing error, for failures a user can cause
// (not DICOM, unsupported syntax, truncated file...). Programming and
// environment errors are exceptions instead, caught once in main().
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace confrere {

// One table of error codes shared by the libraries; the message carries the
// context (file, value, what would be valid).
enum class ErrorCode {
  InvalidArgument,  // a parameter out of range or malformed
  NotFound,         // a path or object that does not exist
  Io,               // the operating system refused a read or write
  NotDicom,         // the bytes are not a DICOM object
  Unsupported,      // valid input we cannot handle (transfer syntax, photometric...)
  Corrupt,          // malformed or truncated content
  TooLarge,         // dimensions beyond the bytes present or the memory budget
  Cancelled,        // the user cancelled a long task
};

const char* toString(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
};

// Minimal std::expected stand-in (C++20). Access to the wrong alternative
// throws std::logic_error: that is a programming error.
template <class T>
class Result {
 public:
  Result(T value) : m_v(std::move(value)) {}              // NOLINT(google-explicit-constructor)
  Result(Error error) : m_v(std::move(error)) {}          // NOLINT(google-explicit-constructor)

  bool ok() const { return m_v.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { check(true); return std::get<0>(m_v); }
  const T& value() const& { check(true); return std::get<0>(m_v); }
  T&& value() && { check(true); return std::get<0>(std::move(m_v)); }
  const Error& error() const { check(false); return std::get<1>(m_v); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void check(bool wantValue) const {
    if (ok() != wantValue) {
      throw std::logic_error(wantValue ? "Result: value() on an error: " + std::get<1>(m_v).message
                                       : "Result: error() on a value");
    }
  }
  std::variant<T, Error> m_v;
};

struct Unit {};
using Status = Result<Unit>;
inline Status okStatus() { return Unit{}; }

inline Error makeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace confrere
